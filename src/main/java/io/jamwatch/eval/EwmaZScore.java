package io.jamwatch.eval;

import io.jamwatch.avro.ScannerEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Baseline detector: per reading, an exponentially weighted mean and variance (West 1979) of the
 * device's own past; the score of an event is the largest |z| over its readings, each z computed
 * against the statistics before the event is folded in (so an event is judged by the past only).
 * Until a reading has {@code warmup} values its z is 0. One instance = one device.
 */
public final class EwmaZScore {

  private final double alpha;
  private final int warmup;
  private final Map<String, double[]> stats = new HashMap<>(); // name -> {mean, var, count}

  /**
   * @param alpha weight of the newest value (effective memory about 1/alpha events)
   * @param warmup values of a reading seen before its z counts
   */
  public EwmaZScore(double alpha, int warmup) {
    if (!(alpha > 0 && alpha < 1) || warmup < 2) {
      throw new IllegalArgumentException("need 0 < alpha < 1 and warmup >= 2, got " + alpha + ", " + warmup);
    }
    this.alpha = alpha;
    this.warmup = warmup;
  }

  /** max |z| over the event's finite readings (0 while warming up or with no reading). */
  public float score(ScannerEvent e) {
    double best = 0;
    for (Map.Entry<String, Float> r : e.getReadings().entrySet()) {
      Float v = r.getValue();
      if (v == null || !Float.isFinite(v)) {
        continue;
      }
      double[] s = stats.get(r.getKey());
      if (s == null) {
        stats.put(r.getKey(), new double[] {v, 0, 1});
        continue;
      }
      double d = v - s[0];
      if (s[2] >= warmup) {
        double sd = Math.sqrt(s[1]);
        double z = sd > 1e-12 ? Math.abs(d) / sd : (Math.abs(d) > 1e-12 ? 1e6 : 0);
        best = Math.max(best, z);
      }
      // During warm-up a plain running mean/variance, then exponential weighting.
      double a = s[2] < warmup ? 1.0 / (s[2] + 1) : alpha;
      s[0] += a * d;
      s[1] = (1 - a) * (s[1] + a * d * d);
      s[2]++;
    }
    return (float) best;
  }

  /**
   * Maps |z| to [0, 1) monotonically, |z| / (|z| + 1), for protocols that need a score in [0, 1]
   * (NAB); a monotone map changes no ranking and no swept threshold's detections. (A Gaussian tail
   * probability would round to 1.0f beyond |z| ~ 5.5 and tie every large deviation.)
   */
  public static float toUnit(float z) {
    float a = Math.abs(z);
    return a / (a + 1f);
  }
}
