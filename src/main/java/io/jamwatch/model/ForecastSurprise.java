package io.jamwatch.model;

import io.jamwatch.features.FeatureSpec;

/**
 * Turns the forecast head's output into an anomaly score in [0, 1]: the anomaly likelihood of
 * Ahmad, Lavin, Purdy &amp; Agha (2017), "Unsupervised real-time anomaly detection for streaming
 * data", Neurocomputing 262 (the NAB / HTM anomaly likelihood), applied to the log of the forecast
 * surprise.
 *
 * <p><b>Surprise.</b> At event t the device state holds {@code pred}, the forecast made at t-1 of
 * the encoded event t. The surprise is the mean squared error between {@code pred} and the encoded
 * event x_t over the <i>value</i> features ({@link FeatureSpec#valueIndices()}: every reading's
 * standardised value and the standardised log time since the previous event) that are present in
 * x_t (missing indicator 0). Binary features (missing indicators, event-type one-hot) are left out:
 * their squared errors live on another scale, and an imputed value carries no information. With no
 * present value feature the surprise is 0.
 *
 * <p><b>Likelihood.</b> s = ln(surprise + {@link #EPS}). The short window holds the last W values
 * of s (a ring buffer in the state); with its mean m_short, and the long-window mean and standard
 * deviation (mu, sigma), the score is {@code Phi((m_short - mu) / sigma)} = 1 - Q(.), the
 * probability under the long-window Gaussian that the recent average is not higher. As in the
 * paper sigma is that of single values, not of the window mean, which makes the score conservative.
 * The long window is the distribution fitted on training data ({@link Stats#longWindow()} = 0,
 * the default: a slow precursor drift is not absorbed as normal), or an exponentially weighted
 * running estimate of effective length longWindow seeded with the training fit.
 *
 * <p><b>State</b> (one float[] per device, {@link #stateSize()} long, kept by the caller, e.g. in
 * DeviceState.surpriseWindow): {@code [0, W)} the ring of recent s values, {@code [W]} the long
 * mean, {@code [W+1]} the long variance. The count of surprises already pushed is the caller's
 * (ring position = count mod W). Pure math, no allocation.
 */
public final class ForecastSurprise {
  /** Added to the surprise before the log, so a perfect forecast does not give -infinity. */
  public static final float EPS = 1e-6f;

  /**
   * Error statistics fitted on training data.
   *
   * @param logMean     mean of ln(surprise + EPS) on training data
   * @param logStd      its standard deviation (floored at 1e-3)
   * @param shortWindow W, number of recent surprises averaged
   * @param longWindow  0 = the long window is the training fit; &gt; 0 = effective length of an
   *                    exponentially weighted per-device estimate seeded with it
   */
  public record Stats(float logMean, float logStd, int shortWindow, int longWindow) {
    public static final int DEFAULT_SHORT_WINDOW = 10;

    public Stats {
      if (!Float.isFinite(logMean)) throw new IllegalArgumentException("surprise logMean not finite: " + logMean);
      if (!(logStd > 0) || !Float.isFinite(logStd))
        throw new IllegalArgumentException("surprise logStd must be finite and > 0, got " + logStd);
      if (shortWindow < 1) throw new IllegalArgumentException("surprise shortWindow must be >= 1, got " + shortWindow);
      if (longWindow < 0) throw new IllegalArgumentException("surprise longWindow must be >= 0, got " + longWindow);
      if (longWindow > 0 && longWindow <= shortWindow)
        throw new IllegalArgumentException(
            "surprise longWindow (" + longWindow + ") must exceed shortWindow (" + shortWindow + ") or be 0");
    }

    /** Fits mean and std of ln(surprise + EPS) over {@code surprises[0..n)} (finite values only). */
    public static Stats fit(float[] surprises, int n, int shortWindow, int longWindow) {
      double mean = 0, m2 = 0;
      long k = 0;
      for (int i = 0; i < n; i++) {
        float s = surprises[i];
        if (!Float.isFinite(s)) continue;
        double v = Math.log(Math.max(0f, s) + EPS);
        k++;
        double d = v - mean;
        mean += d / k;
        m2 += d * (v - mean);
      }
      if (k < 2) throw new IllegalArgumentException("need at least 2 finite training surprises to fit, got " + k);
      double std = Math.max(1e-3, Math.sqrt(m2 / k));
      return new Stats((float) mean, (float) std, shortWindow, longWindow);
    }
  }

  private final int[] valueIdx;
  private final int[] indicatorIdx;
  private final Stats stats;
  private final int w;
  private final float alpha; // 1 / longWindow, or 0 for the fixed training fit

  /**
   * @param valueIdx     indices of the value features compared
   * @param indicatorIdx for each value feature, the index of its missing indicator (or -1: always present)
   */
  public ForecastSurprise(int[] valueIdx, int[] indicatorIdx, Stats stats) {
    if (valueIdx.length != indicatorIdx.length)
      throw new IllegalArgumentException("valueIdx and indicatorIdx must have the same length");
    if (valueIdx.length == 0) throw new IllegalArgumentException("no value features to compare");
    this.valueIdx = valueIdx.clone();
    this.indicatorIdx = indicatorIdx.clone();
    this.stats = stats;
    this.w = stats.shortWindow();
    this.alpha = stats.longWindow() == 0 ? 0f : 1f / stats.longWindow();
  }

  /** The value features of {@code spec}, each masked by its missing indicator. */
  public static ForecastSurprise of(FeatureSpec spec, Stats stats) {
    return new ForecastSurprise(spec.valueIndices(), spec.indicatorIndices(), stats);
  }

  public Stats stats() {
    return stats;
  }

  /** Length of the per-device state array. */
  public int stateSize() {
    return w + 2;
  }

  /** Sets a fresh device state: empty ring, long window = the training fit. */
  public void initState(float[] state) {
    checkState(state);
    java.util.Arrays.fill(state, 0, w, 0f);
    state[w] = stats.logMean();
    state[w + 1] = stats.logStd() * stats.logStd();
  }

  /** MSE over the value features present in x: {@code mean_i (pred[i] - x[i])^2}. */
  public float surprise(float[] pred, float[] x) {
    return surprise(pred, 0, x, 0);
  }

  /** As {@link #surprise(float[], float[])} over flat arrays, e.g. rows of [T, B, F] tensors. */
  public float surprise(float[] pred, int predOff, float[] x, int xOff) {
    float sum = 0f;
    int n = 0;
    for (int k = 0; k < valueIdx.length; k++) {
      int ind = indicatorIdx[k];
      if (ind >= 0 && x[xOff + ind] != 0f) continue;
      float d = pred[predOff + valueIdx[k]] - x[xOff + valueIdx[k]];
      sum += d * d;
      n++;
    }
    return n == 0 ? 0f : sum / n;
  }

  /**
   * Pushes a surprise into the device state and returns the anomaly likelihood in [0, 1].
   *
   * @param state the device's state array ({@link #stateSize()}), updated in place
   * @param count surprises already pushed into this state (the caller increments it afterwards)
   */
  public float score(float[] state, long count, float surprise) {
    checkState(state);
    if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
    float s = (float) Math.log(Math.max(0f, surprise) + EPS);
    if (!Float.isFinite(s)) s = stats.logMean(); // NaN surprise: neutral rather than poisoning the window
    state[(int) (count % w)] = s;
    int n = (int) Math.min(count + 1, w);
    float sum = 0f;
    for (int i = 0; i < n; i++) sum += state[i];
    float shortMean = sum / n;
    float mu = state[w];
    float sigma = (float) Math.sqrt(Math.max(state[w + 1], 1e-6f));
    float likelihood = (float) normalCdf((shortMean - mu) / sigma);
    if (alpha > 0f) {
      // EWMA mean and variance (West 1979), updated after scoring so an event is judged by the past.
      float d = s - mu;
      state[w] = mu + alpha * d;
      state[w + 1] = (1f - alpha) * (state[w + 1] + alpha * d * d);
    }
    return likelihood;
  }

  private void checkState(float[] state) {
    if (state.length != w + 2)
      throw new IllegalArgumentException("surprise state must have " + (w + 2) + " floats, got " + state.length);
  }

  /**
   * Standard normal CDF via erfc, Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7
   * everywhere).
   */
  static double normalCdf(double z) {
    return NormalTail.cdf(z);
  }
}
