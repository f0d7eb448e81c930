package io.jamwatch.features;

/**
 * Mean, variance and skewness in one pass, numerically stable (the online update of the second and
 * third central moments, Pébay 2008 / Terriberry; Welford 1962 for the first two).
 */
final class RunningMoments {
  private long n;
  private double mean;
  private double m2;
  private double m3;

  void add(double x) {
    long n1 = n;
    n++;
    double delta = x - mean;
    double deltaN = delta / n;
    double term1 = delta * deltaN * n1;
    mean += deltaN;
    m3 += term1 * deltaN * (n - 2) - 3 * deltaN * m2;
    m2 += term1;
  }

  long count() {
    return n;
  }

  double mean() {
    return mean;
  }

  /** Population standard deviation (0 for fewer than two values). */
  double std() {
    return n < 2 ? 0 : Math.sqrt(m2 / n);
  }

  /** Sample skewness g1 = m3 / m2^1.5 (0 when the variance is 0). */
  double skewness() {
    if (n < 3 || m2 <= 0) return 0;
    return Math.sqrt((double) n) * m3 / Math.pow(m2, 1.5);
  }
}
