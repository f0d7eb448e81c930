package io.jamwatch.scoring;

import java.util.Arrays;

/**
 * Alerts raised on a risk model's horizon ladder: the probabilities of a jam within each of the
 * model's horizons (its primary one, e.g. 2 min, and the extra ones, e.g. 10 and 30 min) as one
 * alert signal, so a jam can be warned of as soon as one horizon sees it coming, and each alert says
 * how far ahead it looks.
 *
 * <ul>
 *   <li><b>Signal</b>: the largest of the rung probabilities. The one {@link AlertPolicy} raises and
 *       clears on it as on any score: raise threshold θ means "the probability of a jam within
 *       some horizon is at least θ", the same bar for every rung (calibrated probabilities make it
 *       the same precision bar).
 *   <li><b>Claim</b>: a raised alert claims the shortest horizon whose probability reached the raise
 *       threshold at the raise ("jam risk within ~10 min"), and its outcome is judged on that
 *       horizon ({@link AlertOutcomes}, and the backtest's {@code eval/AlertMetrics}): a jam within
 *       it, or a false alarm.
 * </ul>
 *
 * The stream ({@link DeviceScorer}), the offline scorer, the backtest and the trainer's threshold
 * choice all call this class, so a claim is the same everywhere. Rung 0 is the primary horizon.
 */
public final class HorizonLadder {
  private final long[] millis; // [K+1] rung 0 = the primary horizon

  /**
   * @param millis each rung's horizon in millis, rung 0 the primary one; all > 0
   */
  public HorizonLadder(long[] millis) {
    if (millis.length == 0) throw new IllegalArgumentException("a horizon ladder needs at least one rung");
    for (long m : millis) {
      if (m <= 0) throw new IllegalArgumentException("ladder horizons must be > 0 ms, got " + Arrays.toString(millis));
    }
    this.millis = millis.clone();
  }

  /** Number of rungs (the primary horizon and the extra ones). */
  public int rungs() {
    return millis.length;
  }

  /** Rung {@code r}'s horizon in millis. */
  public long millis(int r) {
    return millis[r];
  }

  /** The longest horizon. */
  public long longest() {
    long m = 0;
    for (long v : millis) m = Math.max(m, v);
    return m;
  }

  /** The alert signal of one step: the largest rung probability ({@code p[r]} = rung r's). */
  public static float signal(float[] p) {
    float s = p[0];
    for (int r = 1; r < p.length; r++) s = Math.max(s, p[r]);
    return s;
  }

  /**
   * The horizon an alert raised at threshold {@code raise} on step probabilities {@code p} claims:
   * the shortest horizon whose probability is at least {@code raise}; the longest when none is (the
   * signal did not reach the threshold: not a raise the policy would make).
   */
  public long claim(float[] p, float raise) {
    long best = Long.MAX_VALUE;
    for (int r = 0; r < millis.length; r++) {
      if (p[r] >= raise && millis[r] < best) best = millis[r];
    }
    return best == Long.MAX_VALUE ? longest() : best;
  }

  /** As {@link #claim(float[], float)} for step {@code i} of per-rung columns {@code cols[r][i]}. */
  public long claim(float[][] cols, int i, float raise) {
    long best = Long.MAX_VALUE;
    for (int r = 0; r < millis.length; r++) {
      if (cols[r][i] >= raise && millis[r] < best) best = millis[r];
    }
    return best == Long.MAX_VALUE ? longest() : best;
  }
}
