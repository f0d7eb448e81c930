package io.jamwatch.features;

/**
 * The per-reading transform applied before standardisation, chosen at fit time from the skewness
 * of the training values (a heavy right tail, e.g. dwell times or vibration RMS, is compressed by a
 * log so that standardised values are not dominated by a few outliers).
 */
public enum Transform {
  /** v */
  NONE,
  /** sign(v) * log(1 + |v|): defined for every real v, monotone, identity-like near 0. */
  SIGNED_LOG1P;

  public double apply(double v) {
    return switch (this) {
      case NONE -> v;
      case SIGNED_LOG1P -> Math.copySign(Math.log1p(Math.abs(v)), v);
    };
  }
}
