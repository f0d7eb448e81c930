package io.jamwatch.eval.skab;

import io.jamwatch.eval.bench.CsvTimestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a SKAB corpus laid out as waico/SKAB's {@code data/} folder: every {@code *.csv} below it,
 * {@code ;}-separated, header row, first column {@code datetime}. Files with the label columns
 * {@code anomaly} and {@code changepoint} are labelled experiments (one device each); files without
 * them (anomaly-free.csv) are normal-only. Works on any such folder, whatever files it holds.
 */
public final class SkabCorpus {

  /** One CSV file: sensor columns, and labels when present. */
  public record SkabFile(
      String relPath,
      List<String> sensors,
      long[] timestamps,
      float[][] values,
      byte[] anomaly,
      byte[] changepoint) {

    public boolean labelled() {
      return anomaly != null;
    }

    public int rows() {
      return timestamps.length;
    }

    /** Device id: the relative path without ".csv", e.g. {@code valve1/3}. */
    public String deviceId() {
      return relPath.endsWith(".csv") ? relPath.substring(0, relPath.length() - 4) : relPath;
    }
  }

  private final List<SkabFile> labelled;
  private final List<SkabFile> normalOnly;

  private SkabCorpus(List<SkabFile> labelled, List<SkabFile> normalOnly) {
    this.labelled = labelled;
    this.normalOnly = normalOnly;
  }

  public List<SkabFile> labelled() {
    return labelled;
  }

  public List<SkabFile> normalOnly() {
    return normalOnly;
  }

  /** Reads {@code root/data/**.csv} (or {@code root/**.csv} when root has no data/ folder). */
  public static SkabCorpus read(Path root) throws IOException {
    Path data = Files.isDirectory(root.resolve("data")) ? root.resolve("data") : root;
    if (!Files.isDirectory(data)) {
      throw new IOException("SKAB corpus folder not found: " + root);
    }
    List<Path> csvs;
    try (Stream<Path> s = Files.walk(data)) {
      csvs =
          s.filter(p -> p.toString().endsWith(".csv") && Files.isRegularFile(p))
              .sorted(Comparator.comparing((Path p) -> naturalKey(data.relativize(p))))
              .toList();
    }
    List<SkabFile> lab = new ArrayList<>();
    List<SkabFile> free = new ArrayList<>();
    for (Path p : csvs) {
      SkabFile f = readFile(p, data.relativize(p).toString().replace('\\', '/'));
      (f.labelled() ? lab : free).add(f);
    }
    if (lab.isEmpty()) {
      throw new IOException("no labelled SKAB file (with anomaly and changepoint columns) in " + data);
    }
    return new SkabCorpus(List.copyOf(lab), List.copyOf(free));
  }

  /** Sort key that orders "valve1/2.csv" before "valve1/10.csv". */
  private static String naturalKey(Path rel) {
    StringBuilder sb = new StringBuilder();
    for (String part : rel.toString().replace('\\', '/').split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)")) {
      sb.append(part.chars().allMatch(Character::isDigit) ? String.format("%012d", Long.parseLong(part)) : part);
    }
    return sb.toString();
  }

  static SkabFile readFile(Path p, String rel) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new IOException(rel + ": empty file");
      }
      String[] cols = stripBom(header).trim().split(";", -1);
      if (!cols[0].trim().equals("datetime")) {
        throw new IOException(rel + ": first column must be 'datetime', got '" + cols[0] + "'");
      }
      int anomalyCol = indexOf(cols, "anomaly");
      int cpCol = indexOf(cols, "changepoint");
      if ((anomalyCol < 0) != (cpCol < 0)) {
        throw new IOException(rel + ": has only one of the label columns anomaly/changepoint");
      }
      List<String> sensors = new ArrayList<>();
      List<Integer> sensorCols = new ArrayList<>();
      for (int c = 1; c < cols.length; c++) {
        if (c != anomalyCol && c != cpCol) {
          sensors.add(cols[c].trim());
          sensorCols.add(c);
        }
      }
      List<long[]> tsRows = new ArrayList<>();
      List<float[]> vals = new ArrayList<>();
      ByteList an = new ByteList();
      ByteList cp = new ByteList();
      String line;
      int lineNo = 1;
      long prev = Long.MIN_VALUE;
      while ((line = r.readLine()) != null) {
        lineNo++;
        line = line.trim();
        if (line.isEmpty()) {
          continue;
        }
        String where = rel + " line " + lineNo;
        String[] f = line.split(";", -1);
        if (f.length != cols.length) {
          throw new IOException(where + ": " + f.length + " fields, header has " + cols.length);
        }
        long t = CsvTimestamps.parse(f[0], where);
        if (t <= prev) {
          throw new IOException(where + ": timestamp not after the previous row");
        }
        prev = t;
        tsRows.add(new long[] {t});
        float[] v = new float[sensorCols.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = parseFloat(f[sensorCols.get(k)], where, cols[sensorCols.get(k)]);
        }
        vals.add(v);
        if (anomalyCol >= 0) {
          an.add(label(f[anomalyCol], where, "anomaly"));
          cp.add(label(f[cpCol], where, "changepoint"));
        }
      }
      long[] ts = tsRows.stream().mapToLong(a -> a[0]).toArray();
      return new SkabFile(
          rel, List.copyOf(sensors), ts, vals.toArray(new float[0][]),
          anomalyCol >= 0 ? an.toArray() : null, anomalyCol >= 0 ? cp.toArray() : null);
    }
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static int indexOf(String[] cols, String name) {
    for (int c = 0; c < cols.length; c++) {
      if (cols[c].trim().equals(name)) {
        return c;
      }
    }
    return -1;
  }

  private static float parseFloat(String s, String where, String col) throws IOException {
    try {
      float v = Float.parseFloat(s.trim());
      if (!Float.isFinite(v)) {
        throw new IOException(where + ": column " + col + " is not finite: '" + s + "'");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IOException(where + ": column " + col + " is not a number: '" + s + "'", e);
    }
  }

  private static byte label(String s, String where, String col) throws IOException {
    float v = parseFloat(s, where, col);
    if (v == 0f) {
      return 0;
    }
    if (v == 1f) {
      return 1;
    }
    throw new IOException(where + ": label " + col + " must be 0 or 1, got '" + s + "'");
  }

  /** Growable byte array (labels of a file). */
  private static final class ByteList {
    private byte[] a = new byte[1024];
    private int n;

    void add(byte b) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = b;
    }

    byte[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
