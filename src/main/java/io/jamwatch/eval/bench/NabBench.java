package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.nab.NabCorpus;
import io.jamwatch.eval.nab.NabProfile;
import io.jamwatch.eval.nab.NabScorer;
import io.jamwatch.eval.nab.NabSeries;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.DetectorConfig;
import io.jamwatch.scoring.AlertState;
import java.util.ArrayList;
import java.util.List;

/**
 * NAB's protocol (shared/eval/nab/SOURCE.md): a causal score in [0, 1] for every row of every
 * file, in a single pass; the per-series detector is fitted on the file's probationary rows only
 * (the first min(floor(0.15 N), 750)); then NAB's corpus-wide threshold sweep per profile, its
 * scoring and its normalisation with the null detector ({@link NabScorer}).
 */
public final class NabBench {

  /** Scores of one series ({@code warming[i]}: the detector was still warming at row i). */
  public record SeriesRun(NabSeries series, double[] scores, boolean[] warming, long fitMillis, long scoreMillis) {}

  /** Alert suppression of the NAB configuration, rows. */
  public static final int SUPPRESS_EVENTS = 100;
  /** Likelihood long window of the NAB configuration, rows. */
  public static final int LONG_WINDOW = 2000;

  private NabBench() {}

  /**
   * The one detector configuration for every NAB file (chosen on the visible files' structure, not
   * per file): see BENCHMARKS.md for the ablation behind each value.
   */
  public static DetectorConfig detector() {
    return DetectorConfig.builder().levelTerm(true).longWindow(LONG_WINDOW).build();
  }

  /** The alert policy of the NAB configuration (its raise threshold is what NAB's optimiser sweeps). */
  public static AlertPolicy alertPolicy() {
    return new AlertPolicy(0.5f, 0.5f, 1, 0L, 0L, SUPPRESS_EVENTS);
  }

  public static List<SeriesRun> run(NabCorpus corpus, SeriesDetector detector, int limit, java.util.function.Consumer<String> progress)
      throws Exception {
    List<NabSeries> all = corpus.series();
    if (limit > 0 && limit < all.size()) {
      all = all.subList(0, limit);
    }
    List<SeriesRun> out = new ArrayList<>();
    for (NabSeries s : all) {
      try {
        out.add(runSeries(s, detector));
      } catch (Exception e) {
        throw new IllegalStateException("NAB file " + s.relPath() + ": " + e.getMessage(), e);
      }
      if (progress != null) {
        progress.accept(s.relPath());
      }
    }
    return out;
  }

  /** The series' rows as events of one device: deviceId = the file, one reading "value". */
  public static List<ScannerEvent> events(NabSeries s) {
    List<ScannerEvent> ev = new ArrayList<>(s.size());
    List<String> names = List.of("value");
    float[] v = new float[1];
    for (int i = 0; i < s.size(); i++) {
      v[0] = (float) s.values()[i];
      ev.add(RowEvents.of(s.relPath(), "nab", s.timestamps()[i], names, v));
    }
    return ev;
  }

  static SeriesRun runSeries(NabSeries s, SeriesDetector detector) throws Exception {
    List<ScannerEvent> ev = events(s);
    int probation = (int) NabScorer.probationaryLength(s.size());
    double[] scores = new double[s.size()];
    boolean[] warming = new boolean[s.size()];
    long t0 = System.nanoTime();
    long t1;
    try (SeriesDetector.Scorer scorer = detector.fit(ev.subList(0, probation))) {
      t1 = System.nanoTime();
      for (int i = 0; i < ev.size(); i++) {
        float sc = scorer.score(ev.get(i));
        if (!(sc >= 0f && sc <= 1f)) {
          throw new IllegalStateException(
              detector.name() + " gave score " + sc + " outside [0, 1] at " + s.relPath() + " row " + i);
        }
        warming[i] = scorer.warming();
        scores[i] = warming[i] ? 0.0 : sc;
      }
    }
    long t2 = System.nanoTime();
    return new SeriesRun(s, scores, warming, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
  }

  /**
   * The rows at which {@code policy} (the stream's alert policy, replayed over the row scores in
   * order: the same object, the same per-device state) raises an alert: 1 there, 0 elsewhere.
   */
  public static double[] detections(SeriesRun r, AlertPolicy policy) {
    AlertState st = new AlertState();
    double[] out = new double[r.scores().length];
    long[] ts = r.series().timestamps();
    for (int i = 0; i < out.length; i++) {
      if (policy.apply(st, (float) r.scores()[i], ts[i], r.warming()[i]) == AlertPolicy.Transition.RAISED) out[i] = 1;
    }
    return out;
  }

  /** One profile's result when detections are the alert policy's RAISED rows. */
  public record AlertResult(NabScorer.ProfileResult result, AlertPolicy policy) {}

  /**
   * NAB with the alert policy in the loop: a detection is a RAISED row of {@code base} (its
   * suppression, hysteresis and minimum duration included), and the one corpus-wide free parameter
   * NAB's optimiser sweeps is the raise threshold (clear threshold scaled with it). The NAB-format
   * result files then carry 1 on the RAISED rows, which NAB's own sweeper scores identically.
   */
  public static List<AlertResult> scoreAlerts(List<SeriesRun> runs, List<NabProfile> profiles, AlertPolicy base) {
    double[] cand = candidateThresholds(runs);
    double clearRatio = base.clearThreshold() / base.raiseThreshold();
    List<double[]> det = new ArrayList<>();
    double[][] raw = new double[profiles.size()][cand.length];
    for (int c = 0; c < cand.length; c++) {
      float raise = (float) cand[c];
      AlertPolicy p = base.withThresholds(raise, (float) (raise * clearRatio));
      det.clear();
      for (SeriesRun r : runs) det.add(detections(r, p));
      for (int k = 0; k < profiles.size(); k++) {
        double sum = 0;
        for (int f = 0; f < runs.size(); f++) sum += NabScorer.scoreAt(runs.get(f).series(), det.get(f), profiles.get(k), 0.5);
        raw[k][c] = sum;
      }
    }
    List<NabSeries> series = runs.stream().map(SeriesRun::series).toList();
    int windows = series.stream().mapToInt(x -> x.windows().size()).sum();
    List<AlertResult> out = new ArrayList<>();
    for (int k = 0; k < profiles.size(); k++) {
      int best = 0;
      for (int c = 1; c < cand.length; c++) if (raw[k][c] > raw[k][best]) best = c;
      NabProfile prof = profiles.get(k);
      float raise = (float) cand[best];
      out.add(new AlertResult(
          new NabScorer.ProfileResult(prof, new NabScorer.ThresholdScore(raise, raw[k][best], -1, -1, -1, -1),
              NabScorer.nullScore(series, prof), windows * prof.tpWeight()),
          base.withThresholds(raise, (float) (raise * clearRatio))));
    }
    return out;
  }

  /** Raise thresholds to try: scores at geometrically spaced upper ranks of all scored rows. */
  static double[] candidateThresholds(List<SeriesRun> runs) {
    int n = 0;
    for (SeriesRun r : runs) n += r.scores().length;
    double[] all = new double[n];
    int k = 0;
    for (SeriesRun r : runs) for (double v : r.scores()) all[k++] = v;
    java.util.Arrays.sort(all);
    java.util.TreeSet<Double> c = new java.util.TreeSet<>();
    for (double q = 1e-5; q < 0.5; q *= 1.06) {
      double v = all[Math.max(0, Math.min(n - 1, (int) Math.floor(n * (1 - q))))];
      if (v > 0) c.add(v);
    }
    if (c.isEmpty()) c.add(1.0);
    return c.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** NAB's optimise + score + normalise for each profile over the runs. */
  public static List<NabScorer.ProfileResult> score(List<SeriesRun> runs, List<NabProfile> profiles) {
    List<NabSeries> series = runs.stream().map(SeriesRun::series).toList();
    List<double[]> scores = runs.stream().map(SeriesRun::scores).toList();
    int windows = series.stream().mapToInt(x -> x.windows().size()).sum();
    List<NabScorer.ProfileResult> out = new ArrayList<>();
    for (NabProfile p : profiles) {
      out.add(NabScorer.score(series, scores, p, windows));
    }
    return out;
  }
}
