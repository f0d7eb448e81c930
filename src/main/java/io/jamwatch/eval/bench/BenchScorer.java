package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.OfflineScorer;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.stream.StreamConfig;
import java.util.Arrays;
import java.util.List;

/**
 * A benchmark series scored through exactly the stream's per-device path: the stream's admission
 * and reset policy ({@link DeviceEventPolicy}, with the silence gap set for the series) and one
 * {@link ScoringModel#score} per row, via {@link OfflineScorer}, so a bench score equals the score
 * the topology emits for the same rows under the same policy.
 */
public final class BenchScorer implements SeriesDetector.Scorer {
  /** Silence gap of a series: this many median row intervals of its training rows (at least 10 min). */
  static final int SILENCE_GAP_INTERVALS = 100;

  private final ScoringModel model;
  private final OfflineScorer scorer;
  private boolean warming = true;

  private BenchScorer(ScoringModel model, DeviceEventPolicy policy) {
    this.model = model;
    this.scorer = new OfflineScorer(model, policy, null);
  }

  public static BenchScorer of(ScoringModel model, List<ScannerEvent> training) {
    return new BenchScorer(model, policyFor(training));
  }

  /** The stream's default policy with the silence gap set from the training rows' spacing. */
  public static DeviceEventPolicy policyFor(List<ScannerEvent> training) {
    long gap = 600_000L;
    if (training.size() > 2) {
      long[] d = new long[training.size() - 1];
      for (int i = 1; i < training.size(); i++) {
        d[i - 1] = training.get(i).getEventTime().toEpochMilli() - training.get(i - 1).getEventTime().toEpochMilli();
      }
      Arrays.sort(d);
      gap = Math.max(gap, SILENCE_GAP_INTERVALS * Math.max(1, d[d.length / 2]));
    }
    return StreamConfig.defaultEventPolicy().withSilenceGap(gap);
  }

  @Override
  public float score(ScannerEvent e) {
    OfflineScorer.Scored s = scorer.score(e);
    if (s.reject() != null) {
      // A row the stream would reject (e.g. a repeated timestamp is fine, an earlier one is not):
      // it gets no score there, so none here either.
      warming = true;
      return 0f;
    }
    warming = s.warming();
    return s.score();
  }

  @Override
  public boolean warming() {
    return warming;
  }

  @Override
  public void close() {
    model.close();
  }
}
