package io.jamwatch.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jamwatch.eval.bench.CsvTimestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a NAB corpus laid out as numenta/NAB: {@code data/<category>/<name>.csv} (header
 * {@code timestamp,value}) and {@code labels/combined_windows.json} (relpath -> [[start, end], ...]).
 * Every data file must have a label entry (possibly empty); label entries of files that are not in
 * {@code data/} are reported by {@link #unmatchedLabels()}.
 */
public final class NabCorpus {

  private final List<NabSeries> series;
  private final List<String> unmatchedLabels;

  private NabCorpus(List<NabSeries> series, List<String> unmatchedLabels) {
    this.series = series;
    this.unmatchedLabels = unmatchedLabels;
  }

  public List<NabSeries> series() {
    return series;
  }

  /** Label-file entries with no data file (they are not scored and not counted as windows). */
  public List<String> unmatchedLabels() {
    return unmatchedLabels;
  }

  public static NabCorpus read(Path root) throws IOException {
    Path data = root.resolve("data");
    Path windowsFile = root.resolve("labels").resolve("combined_windows.json");
    if (!Files.isDirectory(data)) {
      throw new IOException("NAB corpus: no data/ folder in " + root);
    }
    if (!Files.isRegularFile(windowsFile)) {
      throw new IOException("NAB corpus: no labels/combined_windows.json in " + root);
    }
    Map<String, List<NabSeries.Window>> windows = readWindows(windowsFile);
    List<Path> csvs;
    try (Stream<Path> s = Files.walk(data)) {
      csvs =
          s.filter(p -> p.toString().endsWith(".csv") && Files.isRegularFile(p))
              .sorted()
              .toList();
    }
    List<NabSeries> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Path p : csvs) {
      String rel = data.relativize(p).toString().replace('\\', '/');
      List<NabSeries.Window> w = windows.get(rel);
      if (w == null) {
        throw new IOException(
            "NAB corpus: data file " + rel + " has no entry in " + windowsFile
                + " (an empty list is needed for a file without anomalies)");
      }
      out.add(readSeries(p, rel, w));
      seen.add(rel);
    }
    if (out.isEmpty()) {
      throw new IOException("NAB corpus: no CSV files under " + data);
    }
    List<String> unmatched = new ArrayList<>(windows.keySet());
    unmatched.removeAll(seen);
    return new NabCorpus(List.copyOf(out), List.copyOf(unmatched));
  }

  static Map<String, List<NabSeries.Window>> readWindows(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));
    Map<String, List<NabSeries.Window>> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<NabSeries.Window> ws = new ArrayList<>();
      for (JsonNode pair : e.getValue()) {
        if (!pair.isArray() || pair.size() != 2) {
          throw new IOException(file + ": " + e.getKey() + ": a window must be [start, end]");
        }
        String where = file.getFileName() + " " + e.getKey();
        ws.add(
            new NabSeries.Window(
                CsvTimestamps.parse(pair.get(0).asText(), where),
                CsvTimestamps.parse(pair.get(1).asText(), where)));
      }
      out.put(e.getKey(), List.copyOf(ws));
    }
    return out;
  }

  static NabSeries readSeries(Path p, String rel, List<NabSeries.Window> windows)
      throws IOException {
    List<Long> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.replace("\uFEFF", "").trim().equals("timestamp,value")) {
        throw new IOException(rel + ": header must be 'timestamp,value', got '" + header + "'");
      }
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String where = rel + " line " + lineNo;
        int comma = line.indexOf(',');
        if (comma < 0) {
          throw new IOException(where + ": expected 'timestamp,value'");
        }
        ts.add(CsvTimestamps.parse(line.substring(0, comma), where));
        try {
          vs.add(Double.parseDouble(line.substring(comma + 1).trim()));
        } catch (NumberFormatException e) {
          throw new IOException(where + ": value is not a number: '" + line.substring(comma + 1) + "'", e);
        }
      }
    }
    return new NabSeries(
        rel,
        ts.stream().mapToLong(Long::longValue).toArray(),
        vs.stream().mapToDouble(Double::doubleValue).toArray(),
        windows);
  }
}
