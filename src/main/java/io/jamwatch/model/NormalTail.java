package io.jamwatch.model;

/**
 * Standard normal tail probabilities from Numerical Recipes' Chebyshev fit to erfc (fractional
 * error below 1.2e-7 everywhere), in log form so a tail far beyond double's range is still a finite
 * number: the one implementation behind the trainer's forecast-surprise score ({@link
 * ForecastSurprise}) and the stream's detector stages (scoring/DetectorStages).
 */
public final class NormalTail {
  private NormalTail() {}

  /** ln Q(z), Q the standard normal upper tail: exact enough in double for any z, never -infinity. */
  public static double logUpperTail(double z) {
    double x = z / Math.sqrt(2.0);
    if (x < 0) {
      return Math.log1p(-0.5 * Math.exp(logErfcNonNegative(-x)));
    }
    return Math.log(0.5) + logErfcNonNegative(x);
  }

  /** erfc(x) for any x. */
  public static double erfc(double x) {
    double ans = Math.exp(logErfcNonNegative(Math.abs(x)));
    return x >= 0 ? ans : 2.0 - ans;
  }

  /** The standard normal CDF, 0.5 erfc(-z / sqrt 2). */
  public static double cdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2.0));
  }

  /** ln erfc(z) for z &gt;= 0. */
  static double logErfcNonNegative(double z) {
    double t = 1.0 / (1.0 + 0.5 * z);
    return Math.log(t) - z * z - 1.26551223
        + t * (1.00002368
        + t * (0.37409196
        + t * (0.09678418
        + t * (-0.18628806
        + t * (0.27886807
        + t * (-1.13520398
        + t * (1.48851587
        + t * (-0.82215223
        + t * 0.17087277))))))));
  }
}
