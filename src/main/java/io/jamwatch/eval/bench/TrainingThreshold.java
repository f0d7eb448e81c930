package io.jamwatch.eval.bench;

import java.util.Arrays;

/** An alarm threshold from training-part scores only: their q-quantile (linear, numpy's default). */
public final class TrainingThreshold {

  private TrainingThreshold() {}

  public static double quantile(float[] scores, int from, int to, double q) {
    if (to <= from) {
      throw new IllegalArgumentException("no training scores to fit a threshold on");
    }
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
    }
    float[] s = Arrays.copyOfRange(scores, from, to);
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
