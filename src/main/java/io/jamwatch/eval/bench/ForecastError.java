package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.train.EpochRecord;
import io.jamwatch.train.TrainResult;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.ScoringModel;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * How good the forecast head's one-step forecast is, next to "repeat the last value" (persistence),
 * on a benchmark file: the detector is fitted exactly as the bench fits it, then every row is
 * streamed through the {@link ScoringModel} (ONNX Runtime) and, on the evaluated rows, the forecast
 * the device memory holds for the row (made at the row before) is compared with the row.
 *
 * <p>Scale: each reading in its model's standardised units, {@code (transform(v) - mean) / std}
 * from the model's own feature spec, <b>without</b> the encoder's clip, so a level that leaves
 * the training range counts in full (the forecast, made in clipped input space, is not helped by
 * the clip). Persistence is the previous row's value on the same scale. MSE over the readings
 * present in both rows; the ratio model / persistence is scale-free per file.
 */
public final class ForecastError {

  private ForecastError() {}

  /**
   * One file's result.
   *
   * @param rows      rows evaluated (with a previous row and the reading present)
   * @param modelMse  mean squared error of the forecast
   * @param persistenceMse mean squared error of the previous value
   * @param training  the training run (learning curve, best epoch, metrics)
   */
  public record FileError(
      String file, long rows, double modelMse, double persistenceMse, long normalRows, double normalModelMse,
      double normalPersistenceMse, TrainResult training) {
    public List<EpochRecord> curve() {
      return training.curve();
    }

    public int bestEpoch() {
      return training.bestEpoch();
    }

    /** Adam steps of the training run (NaN if the trainer does not report them). */
    public double steps() {
      Double s = training.metrics().get("adam_steps");
      return s == null ? Double.NaN : s;
    }

    /** model / persistence; 1 when both are 0 (a flat series), NaN with no evaluated row. */
    public double ratio() {
      return ratio(rows, modelMse, persistenceMse);
    }

    /** The same on the rows labelled normal (NaN without labels). */
    public double normalRatio() {
      return ratio(normalRows, normalModelMse, normalPersistenceMse);
    }

    private static double ratio(long n, double m, double p) {
      if (n == 0) return Double.NaN;
      if (p == 0) return m == 0 ? 1.0 : Double.POSITIVE_INFINITY;
      return m / p;
    }
  }

  /**
   * Fits {@code detector} on {@code events[0, fitRows)} and measures on rows {@code [evalFrom, n)};
   * also on the rows {@code normal} marks (null = no labels).
   */
  public static FileError measure(
      ForecastModelDetector detector, String file, List<ScannerEvent> events, int fitRows, int evalFrom,
      boolean[] normal) throws Exception {
    ForecastModelDetector.Fitted f = detector.fitModel(events.subList(0, fitRows), List.of());
    try (ScoringModel model = f.model()) {
      FeatureSpec spec = model.encoder().spec();
      List<FeatureSpec.ReadingSpec> rs = spec.readings();
      int r = rs.size();
      double[] prev = new double[r], cur = new double[r];
      boolean[] prevOk = new boolean[r], curOk = new boolean[r];
      DeviceMemory mem = model.newMemory();
      double se = 0, sp = 0, nse = 0, nsp = 0;
      long n = 0, nn = 0;
      for (int i = 0; i < events.size(); i++) {
        ScannerEvent e = events.get(i);
        Map<String, Float> readings = e.getReadings();
        for (int k = 0; k < r; k++) {
          FeatureSpec.ReadingSpec s = rs.get(k);
          Float v = readings == null ? null : readings.get(s.name());
          curOk[k] = v != null && Float.isFinite(v);
          cur[k] = curOk[k] ? model.encoder().unclipped(k, v, mem.detector, model.encoderStateOffset()) : 0;
        }
        if (i >= evalFrom && i > 0) {
          // mem.pred is the forecast of this row, made when the previous row was stepped.
          double rowSe = 0, rowSp = 0;
          int m = 0;
          for (int k = 0; k < r; k++) {
            if (!curOk[k] || !prevOk[k]) continue;
            double dm = mem.pred[2 * k] - cur[k], dp = prev[k] - cur[k];
            rowSe += dm * dm;
            rowSp += dp * dp;
            m++;
          }
          if (m > 0) {
            se += rowSe / m;
            sp += rowSp / m;
            n++;
            if (normal != null && normal[i]) {
              nse += rowSe / m;
              nsp += rowSp / m;
              nn++;
            }
          }
        }
        model.score(e, mem);
        System.arraycopy(cur, 0, prev, 0, r);
        System.arraycopy(curOk, 0, prevOk, 0, r);
      }
      return new FileError(file, n, n == 0 ? Double.NaN : se / n, n == 0 ? Double.NaN : sp / n, nn,
          nn == 0 ? Double.NaN : nse / nn, nn == 0 ? Double.NaN : nsp / nn, f.training());
    }
  }

  /** Geometric mean of the finite ratios. */
  public static double geometricMeanRatio(List<FileError> files) {
    return geometricMean(files.stream().mapToDouble(FileError::ratio).toArray());
  }

  /** Geometric mean of the finite positive values (NaN if none). */
  static double geometricMean(double[] ratios) {
    double s = 0;
    int k = 0;
    for (double q : ratios) {
      if (q > 0 && Double.isFinite(q)) {
        s += Math.log(q);
        k++;
      }
    }
    return k == 0 ? Double.NaN : Math.exp(s / k);
  }

  /** Files where the forecast's MSE is strictly below persistence's. */
  public static int beatsPersistence(List<FileError> files) {
    int k = 0;
    for (FileError f : files) if (f.ratio() < 1) k++;
    return k;
  }

  /**
   * The per-file table, then the summary lines. Loss columns: the training loss of the first and
   * the last epoch, and the validation loss of the kept epoch ("best"; 0 = no epoch beat the
   * near-persistence start of a residual forecast, which is kept).
   */
  public static void print(PrintStream o, String title, List<FileError> files) {
    boolean labelled = files.stream().anyMatch(f -> f.normalRows() > 0);
    o.println(title);
    o.printf("%-58s %6s %11s %11s %8s%s %6s %4s %6s %9s %9s %9s%n", "file", "rows", "model MSE", "persist MSE", "ratio",
        labelled ? "   normal" : "", "epochs", "best", "steps", "train 1st", "train end", "val best");
    for (FileError f : files) {
      List<EpochRecord> c = f.curve();
      double first = c.isEmpty() ? Double.NaN : c.get(0).trainLoss();
      double last = c.isEmpty() ? Double.NaN : c.get(c.size() - 1).trainLoss();
      double val = f.bestEpoch() >= 1 && f.bestEpoch() <= c.size() ? c.get(f.bestEpoch() - 1).validationLoss() : Double.NaN;
      o.printf("%-58s %6d %11.4g %11.4g %8.3f%s %6d %4d %6.0f %9.4g %9.4g %9.4g%n", f.file(), f.rows(), f.modelMse(),
          f.persistenceMse(), f.ratio(), labelled ? String.format(" %8.3f", f.normalRatio()) : "", c.size(), f.bestEpoch(),
          f.steps(), first, last, val);
    }
    o.printf("geometric mean ratio (model / persistence) over %d files: %.3f; beats persistence on %d of %d%n",
        files.size(), geometricMeanRatio(files), beatsPersistence(files), files.size());
    if (labelled) {
      double[] r = files.stream().mapToDouble(FileError::normalRatio).toArray();
      long beats = files.stream().filter(f -> f.normalRatio() < 1).count();
      o.printf("on the rows labelled normal only: geometric mean ratio %.3f; beats persistence on %d of %d%n",
          geometricMean(r), beats, files.size());
    }
    long kept = files.stream().filter(f -> f.bestEpoch() == 0).count();
    o.printf("files where no epoch beat the near-persistence start on validation (best = 0): %d of %d%n", kept, files.size());
  }
}
