package io.jamwatch.eval.nab;

import io.jamwatch.eval.bench.CsvTimestamps;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one detector's per-file results in NAB's own results layout and format, so NAB's scorer
 * ({@code python run.py -d <detector> --optimize --score --normalize}) can check ours:
 * {@code <resultsDir>/<detector>/<category>/<detector>_<file>.csv} with columns
 * {@code timestamp,value,anomaly_score,label} (label 1 inside an anomaly window, as NAB's labeler).
 */
public final class NabResultsWriter {

  private NabResultsWriter() {}

  /** Writes one file's results; returns the path written. */
  public static Path write(Path resultsDir, String detector, NabSeries s, double[] scores)
      throws IOException {
    if (scores.length != s.size()) {
      throw new IllegalArgumentException(
          s.relPath() + ": " + scores.length + " scores for " + s.size() + " rows");
    }
    int slash = s.relPath().lastIndexOf('/');
    String category = slash < 0 ? "" : s.relPath().substring(0, slash);
    String name = s.relPath().substring(slash + 1);
    Path dir = resultsDir.resolve(detector).resolve(category);
    Files.createDirectories(dir);
    Path out = dir.resolve(detector + "_" + name);
    byte[] label = labels(s);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("timestamp,value,anomaly_score,label\n");
      for (int i = 0; i < s.size(); i++) {
        w.write(CsvTimestamps.format(s.timestamps()[i]));
        w.write(',');
        w.write(formatValue(s.values()[i]));
        w.write(',');
        w.write(Double.toString(scores[i]));
        w.write(',');
        w.write(label[i] == 1 ? "1" : "0");
        w.write('\n');
      }
    }
    return out;
  }

  /** 1 on rows whose timestamp lies inside a window (both ends inclusive). */
  static byte[] labels(NabSeries s) {
    byte[] out = new byte[s.size()];
    for (NabSeries.Window w : s.windows()) {
      for (int i = 0; i < s.size(); i++) {
        long t = s.timestamps()[i];
        if (t >= w.start() && t <= w.end()) {
          out[i] = 1;
        }
      }
    }
    return out;
  }

  private static String formatValue(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
