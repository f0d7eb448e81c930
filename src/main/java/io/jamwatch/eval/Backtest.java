package io.jamwatch.eval;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.logs.Labeller;
import io.jamwatch.logs.RecordedLogReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Scores every detector on the same events of a recorded log and measures them the same way.
 *
 * <ul>
 *   <li>Events: every event the stream would accept; an event the first detector (the model under
 *       test, through {@link OfflineScorer}) rejects (duplicate, out of order, non-finite) is fed to
 *       no detector.
 *   <li>Per-event labels from {@link Labeller} with the horizon: PR-AUC (average precision) and
 *       ROC-AUC over the POSITIVE and NEGATIVE events (IN_JAM and CENSORED left out).
 *   <li>Alerts ({@link AlertMetrics}): threshold sweep per detector; recall of jams at fixed
 *       false-alarm budgets per device-hour; the operating point (best recall within the operating
 *       budget) gives lead times, false alarms per device-hour and missed jams by mechanism (ground
 *       truth from jams.csv; without it, from JAM events, mechanism "unlabelled").
 * </ul>
 */
public final class Backtest {

  /** Settings; {@link #defaults()}. */
  public record Settings(
      long horizonMillis, long mergeGapMillis, double operatingBudget, double[] budgets, int thresholds) {
    public Settings {
      if (horizonMillis <= 0 || mergeGapMillis < 0 || !(operatingBudget > 0) || thresholds < 2) {
        throw new IllegalArgumentException("bad backtest settings");
      }
      budgets = budgets.clone();
    }

    public static Settings defaults() {
      return new Settings(Labeller.DEFAULT_HORIZON_MILLIS, 30_000L, 0.5, new double[] {1.0 / 24, 0.125, 0.5, 1.0}, 300);
    }

    public Settings withHorizon(long h) {
      return new Settings(h, mergeGapMillis, operatingBudget, budgets, thresholds);
    }

    public Settings withMergeGap(long g) {
      return new Settings(horizonMillis, g, operatingBudget, budgets, thresholds);
    }

    public Settings withOperatingBudget(double b) {
      return new Settings(horizonMillis, mergeGapMillis, b, budgets, thresholds);
    }
  }

  /** What one detector scored. */
  public record DetectorResult(
      String name,
      String description,
      double prAuc,
      double rocAuc,
      List<RankingMetrics.Point> prCurve,
      Map<Double, AlertMetrics.Outcome> atBudget,
      AlertMetrics.Outcome operating,
      List<DeviceTrace> traces) {}

  /** The whole backtest. */
  public record Result(
      Settings settings,
      int devices,
      long events,
      long rejected,
      long positives,
      long negatives,
      double deviceHours,
      Map<String, Integer> jamsByMechanism,
      List<DetectorResult> detectors) {}

  /** Per-device columns collected in one pass. */
  static final class DeviceColumns {
    final String id;
    long[] times = new long[256];
    byte[] types = new byte[256];
    float[][] scores;
    int n;

    DeviceColumns(String id, int detectors) {
      this.id = id;
      scores = new float[detectors][256];
    }

    void add(long t, EventType type, float[] s) {
      if (n == times.length) {
        times = Arrays.copyOf(times, n * 2);
        types = Arrays.copyOf(types, n * 2);
        for (int k = 0; k < scores.length; k++) {
          scores[k] = Arrays.copyOf(scores[k], n * 2);
        }
      }
      times[n] = t;
      types[n] = (byte) type.ordinal();
      for (int k = 0; k < s.length; k++) {
        scores[k][n] = s[k];
      }
      n++;
    }

    /** Light events (type and time only), enough for the Labeller. */
    List<ScannerEvent> lightEvents() {
      List<ScannerEvent> out = new ArrayList<>(n);
      EventType[] all = EventType.values();
      for (int i = 0; i < n; i++) {
        out.add(ScannerEvent.newBuilder().setDeviceId(id).setLineId("").setEventTime(Instant.ofEpochMilli(times[i]))
            .setType(all[types[i]]).setReadings(Map.of()).build());
      }
      return out;
    }
  }

  /** One pass over the log: scores of every detector per device. */
  static Map<String, DeviceColumns> collect(Path logs, List<EventDetector> detectors, LongConsumer progress,
      long[] counts) {
    Map<String, DeviceColumns> devices = new LinkedHashMap<>();
    float[] s = new float[detectors.size()];
    long n = 0;
    long rejected = 0;
    try (RecordedLogReader.EventStream in = RecordedLogReader.open(logs)) {
      while (in.hasNext()) {
        ScannerEvent e = in.next();
        n++;
        if (progress != null && (n & 4095) == 0) {
          progress.accept(n);
        }
        s[0] = detectors.get(0).score(e);
        if (Float.isNaN(s[0])) {
          rejected++;
          continue;
        }
        for (int k = 1; k < s.length; k++) {
          s[k] = detectors.get(k).score(e);
          if (Float.isNaN(s[k])) {
            throw new IllegalStateException(detectors.get(k).name() + " rejected an event the first detector accepted: "
                + e.getDeviceId() + " at " + e.getEventTime());
          }
        }
        devices.computeIfAbsent(e.getDeviceId(), d -> new DeviceColumns(d, s.length))
            .add(e.getEventTime().toEpochMilli(), e.getType(), s);
      }
    } catch (Exception ex) {
      if (ex instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("reading " + logs + ": " + ex.getMessage(), ex);
    }
    counts[0] = n;
    counts[1] = rejected;
    return devices;
  }

  public static Result run(Path logs, List<EventDetector> detectors, Settings s, LongConsumer progress) {
    long[] counts = new long[2];
    Map<String, DeviceColumns> devices = collect(logs, detectors, progress, counts);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("no accepted event in " + logs);
    }
    long logEnd = Long.MIN_VALUE;
    for (DeviceColumns d : devices.values()) {
      logEnd = Math.max(logEnd, d.times[d.n - 1]);
    }
    Map<String, List<DeviceTrace.Jam>> jams = jams(logs, devices);
    Map<String, byte[]> labels = new LinkedHashMap<>();
    long pos = 0;
    long neg = 0;
    double hours = 0;
    Map<String, Integer> byMech = new TreeMap<>();
    for (DeviceColumns d : devices.values()) {
      byte[] l = Labeller.label(d.lightEvents(), s.horizonMillis(), logEnd);
      labels.put(d.id, l);
      for (byte b : l) {
        if (b == Labeller.POSITIVE) {
          pos++;
        } else if (b == Labeller.NEGATIVE) {
          neg++;
        }
      }
      hours += d.n < 2 ? 0 : (d.times[d.n - 1] - d.times[0]) / 3_600_000.0;
      for (DeviceTrace.Jam j : jams.getOrDefault(d.id, List.of())) {
        byMech.merge(j.mechanism(), 1, Integer::sum);
      }
    }
    List<DetectorResult> out = new ArrayList<>();
    AlertMetrics.AlertRule rule = new AlertMetrics.AlertRule(s.horizonMillis(), s.mergeGapMillis());
    for (int k = 0; k < detectors.size(); k++) {
      float[] sc = new float[(int) (pos + neg)];
      boolean[] y = new boolean[sc.length];
      int m = 0;
      List<DeviceTrace> traces = new ArrayList<>();
      for (DeviceColumns d : devices.values()) {
        byte[] l = labels.get(d.id);
        boolean[] inJam = new boolean[d.n];
        for (int i = 0; i < d.n; i++) {
          inJam[i] = l[i] == Labeller.IN_JAM;
          if (l[i] == Labeller.POSITIVE || l[i] == Labeller.NEGATIVE) {
            sc[m] = d.scores[k][i];
            y[m++] = l[i] == Labeller.POSITIVE;
          }
        }
        traces.add(new DeviceTrace(d.id, Arrays.copyOf(d.times, d.n), Arrays.copyOf(d.scores[k], d.n), inJam,
            jams.getOrDefault(d.id, List.of())));
      }
      List<RankingMetrics.Point> curve = RankingMetrics.curve(sc, y);
      double[] th = AlertMetrics.candidateThresholds(traces, s.thresholds());
      List<AlertMetrics.Outcome> sweep = AlertMetrics.sweep(traces, th, rule);
      Map<Double, AlertMetrics.Outcome> at = new LinkedHashMap<>();
      for (double b : s.budgets()) {
        at.put(b, AlertMetrics.bestWithin(sweep, b));
      }
      AlertMetrics.Outcome op = AlertMetrics.bestWithin(sweep, s.operatingBudget());
      out.add(new DetectorResult(detectors.get(k).name(), detectors.get(k).describe(),
          RankingMetrics.averagePrecision(sc, y), RankingMetrics.rocAuc(sc, y), thin(curve, 400), at, op, traces));
    }
    return new Result(s, devices.size(), counts[0], counts[1], pos, neg, hours, byMech, out);
  }

  /** At most {@code max} points of a curve, always keeping the first and last. */
  static List<RankingMetrics.Point> thin(List<RankingMetrics.Point> c, int max) {
    if (c.size() <= max) {
      return c;
    }
    List<RankingMetrics.Point> out = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      out.add(c.get((int) ((long) i * (c.size() - 1) / (max - 1))));
    }
    return out;
  }

  /** Ground truth per device: jams.csv, or JAM events when the log has none. */
  static Map<String, List<DeviceTrace.Jam>> jams(Path logs, Map<String, DeviceColumns> devices) {
    Map<String, List<DeviceTrace.Jam>> out = new TreeMap<>();
    List<JamTruth> truth = JamTruth.read(logs);
    if (!truth.isEmpty()) {
      for (JamTruth j : truth) {
        out.computeIfAbsent(j.deviceId(), d -> new ArrayList<>())
            .add(new DeviceTrace.Jam(j.jamTime(), j.clearTime(), j.mechanism()));
      }
    } else {
      for (DeviceColumns d : devices.values()) {
        for (int i = 0; i < d.n; i++) {
          if (d.types[i] == EventType.JAM.ordinal()) {
            out.computeIfAbsent(d.id, x -> new ArrayList<>()).add(new DeviceTrace.Jam(d.times[i], -1, "unlabelled"));
          }
        }
      }
    }
    out.values().forEach(l -> l.sort((a, b) -> Long.compare(a.jamTime(), b.jamTime())));
    return out;
  }

  /**
   * Chooses the single best reading (and direction) by average precision on training logs, for the
   * one-reading threshold baseline. Returns {name, sign, AP} as strings.
   */
  public static String[] bestReading(Path trainLogs, long horizonMillis, EventDetector gate) {
    List<String> names = new ArrayList<>(readingNames(trainLogs));
    List<EventDetector> dets = new ArrayList<>();
    dets.add(gate);
    for (String r : names) {
      dets.add(EventDetector.reading(r, 1, ""));
      dets.add(EventDetector.reading(r, -1, ""));
    }
    Result res = run(trainLogs, dets, Settings.defaults().withHorizon(horizonMillis), null);
    String best = null;
    int sign = 1;
    double bestAp = -1;
    for (int k = 1; k < dets.size(); k++) {
      double ap = res.detectors().get(k).prAuc();
      if (ap > bestAp) {
        bestAp = ap;
        best = names.get((k - 1) / 2);
        sign = (k - 1) % 2 == 0 ? 1 : -1;
      }
    }
    return new String[] {best, Integer.toString(sign), Double.toString(bestAp)};
  }

  /** Reading names present in the first events of a log. */
  static java.util.SortedSet<String> readingNames(Path logs) {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    try (RecordedLogReader.EventStream in = RecordedLogReader.open(logs)) {
      for (int i = 0; i < 20_000 && in.hasNext(); i++) {
        names.addAll(in.next().getReadings().keySet());
      }
    } catch (Exception ex) {
      throw new IllegalStateException("reading " + logs + ": " + ex.getMessage(), ex);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no readings in the first events of " + logs);
    }
    return names;
  }
}
