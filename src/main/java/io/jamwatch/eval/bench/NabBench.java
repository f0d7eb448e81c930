package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.nab.NabCorpus;
import io.jamwatch.eval.nab.NabProfile;
import io.jamwatch.eval.nab.NabScorer;
import io.jamwatch.eval.nab.NabSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * NAB's protocol (shared/eval/nab/SOURCE.md): a causal score in [0, 1] for every row of every
 * file, in a single pass; the per-series detector is fitted on the file's probationary rows only
 * (the first min(floor(0.15 N), 750)); then NAB's corpus-wide threshold sweep per profile, its
 * scoring and its normalisation with the null detector ({@link NabScorer}).
 */
public final class NabBench {

  /** Scores of one series. */
  public record SeriesRun(NabSeries series, double[] scores, long fitMillis, long scoreMillis) {}

  private NabBench() {}

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
        scores[i] = scorer.warming() ? 0.0 : sc;
      }
    }
    long t2 = System.nanoTime();
    return new SeriesRun(s, scores, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
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
