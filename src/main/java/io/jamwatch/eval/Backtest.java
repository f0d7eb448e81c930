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
import java.util.function.ToLongFunction;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.HorizonLadder;

/**
 * Scores every detector on the same events of a recorded log and measures them the same way.
 *
 * <ul>
 *   <li>Events: every event the stream would accept; an event the first detector (the model under
 *       test, through {@link OfflineScorer}) rejects (duplicate, out of order, non-finite) is fed to
 *       no detector.
 *   <li>Per-event labels from {@link Labeller} with the horizon: PR-AUC (average precision) and
 *       ROC-AUC over the POSITIVE and NEGATIVE events (IN_JAM and CENSORED left out).
 *   <li>Alerts ({@link AlertMetrics}): the one {@link AlertPolicy} replayed per device, its raise
 *       threshold swept per detector (a detector scoring outside [0, 1] is rank-scaled first);
 *       recall of jams at fixed false-alarm budgets per device-hour and at the operators' operating
 *       points (1 per device-day, per line-shift, per device-hour) with recall and lead per
 *       mechanism; a model is also measured at its own thresholds (what the stream would raise).
 *       Ground truth from jams.csv; without it, from JAM events, mechanism "unlabelled".
 * </ul>
 */
public final class Backtest {

  /**
   * Settings; {@link #defaults()}.
   *
   * @param policy the one alert policy (its thresholds are swept: raise t, clear t * clearFraction)
   * @param scope per device, the event time from which events are measured (earlier ones are
   *     replayed, not measured): {@link #ALL}, or the validation part of a training log
   */
  public record Settings(
      long horizonMillis, AlertPolicy policy, double clearFraction, double operatingBudget, double[] budgets,
      int thresholds, ToLongFunction<String> scope) {
    /** Every event of every device is measured. */
    public static final ToLongFunction<String> ALL = d -> Long.MIN_VALUE;

    public Settings {
      if (horizonMillis <= 0 || !(clearFraction > 0 && clearFraction <= 1) || !(operatingBudget > 0)
          || thresholds < 2) {
        throw new IllegalArgumentException("bad backtest settings");
      }
      java.util.Objects.requireNonNull(policy, "policy");
      java.util.Objects.requireNonNull(scope, "scope");
      budgets = budgets.clone();
    }

    /** The stream's default alert policy with the trainer's default clear fraction (0.5). */
    public static Settings defaults() {
      return new Settings(Labeller.DEFAULT_HORIZON_MILLIS, AlertPolicy.defaults(), 0.5, 0.5,
          new double[] {1.0 / 24, 0.125, 0.5, 1.0}, 300, ALL);
    }

    public Settings withHorizon(long h) {
      return new Settings(h, policy, clearFraction, operatingBudget, budgets, thresholds, scope);
    }

    public Settings withPolicy(AlertPolicy p, double fraction) {
      return new Settings(horizonMillis, p, fraction, operatingBudget, budgets, thresholds, scope);
    }

    public Settings withOperatingBudget(double b) {
      return new Settings(horizonMillis, policy, clearFraction, b, budgets, thresholds, scope);
    }

    public Settings withScope(ToLongFunction<String> s) {
      return new Settings(horizonMillis, policy, clearFraction, operatingBudget, budgets, thresholds, s);
    }

    /** The rule every detector's alerts are measured with. */
    public AlertMetrics.AlertRule rule() {
      return new AlertMetrics.AlertRule(horizonMillis, policy, clearFraction);
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
      List<DeviceTrace> traces,
      Map<AlertMetrics.OperatingPoint, AlertMetrics.Outcome> operatingPoints,
      AlertMetrics.Outcome atOwnThresholds,
      boolean rankScaled) {}

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
    String line = "";
    boolean[] warming = new boolean[256];
    long[] times = new long[256];
    byte[] types = new byte[256];
    float[][] scores;
    final float[][][] rungs; // [detector][rung][event], null for a detector without a ladder
    int n;

    DeviceColumns(String id, List<EventDetector> detectors) {
      this.id = id;
      scores = new float[detectors.size()][256];
      rungs = new float[detectors.size()][][];
      for (int k = 0; k < rungs.length; k++) {
        HorizonLadder l = detectors.get(k).ladder();
        if (l != null) rungs[k] = new float[l.rungs()][256];
      }
    }

    void add(long t, EventType type, float[] s, boolean warm, List<EventDetector> detectors) {
      if (n == times.length) {
        times = Arrays.copyOf(times, n * 2);
        warming = Arrays.copyOf(warming, n * 2);
        types = Arrays.copyOf(types, n * 2);
        for (int k = 0; k < scores.length; k++) {
          scores[k] = Arrays.copyOf(scores[k], n * 2);
          if (rungs[k] != null) {
            for (int r = 0; r < rungs[k].length; r++) rungs[k][r] = Arrays.copyOf(rungs[k][r], n * 2);
          }
        }
      }
      times[n] = t;
      warming[n] = warm;
      types[n] = (byte) type.ordinal();
      for (int k = 0; k < s.length; k++) {
        scores[k][n] = s[k];
        if (rungs[k] != null) {
          float[] p = detectors.get(k).rungScores();
          for (int r = 0; r < rungs[k].length; r++) rungs[k][r][n] = p[r];
        }
      }
      n++;
    }

    /** Detector {@code k}'s rung columns trimmed to the events, or null. */
    float[][] rungs(int k) {
      if (rungs[k] == null) return null;
      float[][] out = new float[rungs[k].length][];
      for (int r = 0; r < out.length; r++) out[r] = Arrays.copyOf(rungs[k][r], n);
      return out;
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
        boolean warm = detectors.get(0).warming();
        DeviceColumns dc = devices.computeIfAbsent(e.getDeviceId(), d -> new DeviceColumns(d, detectors));
        dc.line = e.getLineId();
        dc.add(e.getEventTime().toEpochMilli(), e.getType(), s, warm, detectors);
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
    Map<String, Long> from = new LinkedHashMap<>();
    for (DeviceColumns d : devices.values()) {
      long f = s.scope().applyAsLong(d.id);
      from.put(d.id, f);
      byte[] l = Labeller.label(d.lightEvents(), s.horizonMillis(), logEnd);
      labels.put(d.id, l);
      int first = d.n;
      for (int i = 0; i < d.n; i++) {
        if (d.times[i] < f) {
          continue;
        }
        first = Math.min(first, i);
        if (l[i] == Labeller.POSITIVE) {
          pos++;
        } else if (l[i] == Labeller.NEGATIVE) {
          neg++;
        }
      }
      hours += d.n - first < 2 ? 0 : (d.times[d.n - 1] - d.times[first]) / 3_600_000.0;
      for (DeviceTrace.Jam j : jams.getOrDefault(d.id, List.of())) {
        if (j.jamTime() >= f) {
          byMech.merge(j.mechanism(), 1, Integer::sum);
        }
      }
    }
    List<DetectorResult> out = new ArrayList<>();
    AlertMetrics.AlertRule rule = s.rule();
    for (int k = 0; k < detectors.size(); k++) {
      float[] sc = new float[(int) (pos + neg)];
      boolean[] y = new boolean[sc.length];
      int m = 0;
      boolean scaled = outsidePolicyRange(devices.values(), k);
      float[][] ranked = scaled ? rankScaled(devices.values(), k) : null;
      List<DeviceTrace> traces = new ArrayList<>();
      int di = 0;
      for (DeviceColumns d : devices.values()) {
        byte[] l = labels.get(d.id);
        long f = from.get(d.id);
        float[] ds = scaled ? ranked[di] : Arrays.copyOf(d.scores[k], d.n);
        di++;
        boolean[] inJam = new boolean[d.n];
        for (int i = 0; i < d.n; i++) {
          inJam[i] = l[i] == Labeller.IN_JAM;
          if (d.times[i] >= f && (l[i] == Labeller.POSITIVE || l[i] == Labeller.NEGATIVE)) {
            sc[m] = ds[i];
            y[m++] = l[i] == Labeller.POSITIVE;
          }
        }
        HorizonLadder ladder = scaled ? null : detectors.get(k).ladder();
        traces.add(new DeviceTrace(d.id, d.line, Arrays.copyOf(d.times, d.n), ds, Arrays.copyOf(d.warming, d.n), inJam,
            f, jams.getOrDefault(d.id, List.of()), ladder, ladder == null ? null : d.rungs(k)));
      }
      List<RankingMetrics.Point> curve = RankingMetrics.curve(sc, y);
      double[] th = AlertMetrics.candidateThresholds(traces, s.thresholds());
      List<AlertMetrics.Outcome> sweep = AlertMetrics.sweep(traces, th, rule);
      Map<Double, AlertMetrics.Outcome> at = new LinkedHashMap<>();
      for (double b : s.budgets()) {
        at.put(b, AlertMetrics.bestWithin(sweep, b));
      }
      AlertMetrics.Outcome op = AlertMetrics.bestWithin(sweep, s.operatingBudget());
      float[] own = detectors.get(k).ownThresholds();
      AlertMetrics.Outcome atOwn = own == null || scaled ? null
          : AlertMetrics.evaluate(traces, s.policy().withThresholds(own[0], own[1]), s.horizonMillis());
      out.add(new DetectorResult(detectors.get(k).name(), detectors.get(k).describe(),
          RankingMetrics.averagePrecision(sc, y), RankingMetrics.rocAuc(sc, y), thin(curve, 400), at, op, traces,
          AlertMetrics.operatingPoints(sweep), atOwn, scaled));
    }
    return new Result(s, devices.size(), counts[0], counts[1], pos, neg, hours, byMech, out);
  }

  /** Whether detector {@code k} scored outside [0, 1], the range the alert policy's thresholds live in. */
  static boolean outsidePolicyRange(java.util.Collection<DeviceColumns> devices, int k) {
    for (DeviceColumns d : devices) {
      for (int i = 0; i < d.n; i++) {
        float v = d.scores[k][i];
        if (!(v >= 0f && v <= 1f)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Detector {@code k}'s scores replaced by their rank in (0, 1] over the whole log (the share of
   * scores at or below; ties share a rank), so a baseline of any scale (a reading, a z-score) goes
   * through the same alert policy: order-preserving, so its sweep and ranking metrics are unchanged.
   */
  static float[][] rankScaled(java.util.Collection<DeviceColumns> devices, int k) {
    int n = 0;
    for (DeviceColumns d : devices) {
      n += d.n;
    }
    float[] all = new float[n];
    int p = 0;
    for (DeviceColumns d : devices) {
      System.arraycopy(d.scores[k], 0, all, p, d.n);
      p += d.n;
    }
    Arrays.sort(all);
    float[][] out = new float[devices.size()][];
    int di = 0;
    for (DeviceColumns d : devices) {
      float[] r = new float[d.n];
      for (int i = 0; i < d.n; i++) {
        int hi = upperBound(all, d.scores[k][i]);
        r[i] = (float) ((double) hi / n);
      }
      out[di++] = r;
    }
    return out;
  }

  /** Number of elements of sorted {@code a} that are <= v. */
  private static int upperBound(float[] a, float v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Float.compare(a[mid], v) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
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
    // Only the ranking matters here: two thresholds keep the alert sweep cheap.
    Settings s = Settings.defaults().withHorizon(horizonMillis);
    s = new Settings(s.horizonMillis(), s.policy(), s.clearFraction(), s.operatingBudget(), s.budgets(), 2, s.scope());
    Result res = run(trainLogs, dets, s, null);
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
