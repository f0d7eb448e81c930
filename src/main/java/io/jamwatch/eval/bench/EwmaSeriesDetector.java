package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.EwmaZScore;
import java.util.List;

/** The EWMA z-score baseline as a benchmark detector: nothing to fit, score = toUnit(max |z|). */
public final class EwmaSeriesDetector implements SeriesDetector {

  private final double alpha;
  private final int warmup;

  public EwmaSeriesDetector(double alpha, int warmup) {
    this.alpha = alpha;
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "ewma-z";
  }

  @Override
  public String describe() {
    return "EWMA z-score, alpha " + alpha + ", warm-up " + warmup + " rows";
  }

  @Override
  public Scorer fit(List<ScannerEvent> training) {
    EwmaZScore z = new EwmaZScore(alpha, warmup);
    return new Scorer() {
      long seen;

      @Override
      public float score(ScannerEvent e) {
        seen++;
        return EwmaZScore.toUnit(z.score(e));
      }

      @Override
      public boolean warming() {
        return seen <= warmup;
      }
    };
  }
}
