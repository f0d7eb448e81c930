package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
/**
 * Platt scaling (Platt 1999; the numerically careful Newton method of Lin, Lin &amp; Weng 2007):
 * p = sigmoid(a s + b) fitted on held-out logits s by maximum likelihood, with Platt's smoothed
 * targets (N+ + 1)/(N+ + 2) and 1/(N- + 2). A logistic head is folded exactly: riskW ← a riskW,
 * riskB ← a riskB + b, so the exported model needs no extra operator.
 */
public final class PlattScaling {
  private PlattScaling() {}

  /** {@code a}, {@code b} of the fitted sigmoid. */
  public record Fit(double a, double b) {
    /** Writes the calibration into the risk head of {@code w}. */
    public void foldInto(NetworkWeights w) {
      for (int j = 0; j < w.riskW.length; j++) w.riskW[j] = (float) (a * w.riskW[j]);
      w.riskB[0] = (float) (a * w.riskB[0] + b);
    }
  }

  public static Fit fit(float[] logits, boolean[] positive, int n) {
    long np = 0;
    for (int i = 0; i < n; i++) if (positive[i]) np++;
    long nn = n - np;
    if (np == 0 || nn == 0) return new Fit(1, 0);
    double hi = (np + 1.0) / (np + 2.0), lo = 1.0 / (nn + 2.0);
    double a = 1, b = 0; // start at the identity: the head is already a logistic model
    double f = objective(logits, positive, n, a, b, hi, lo);
    for (int it = 0; it < 100; it++) {
      // gradient and Hessian of the negative log-likelihood in (a, b)
      double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
      for (int i = 0; i < n; i++) {
        double s = logits[i], t = positive[i] ? hi : lo;
        double p = sigmoid(a * s + b);
        double d = p - t, q = p * (1 - p);
        g1 += s * d;
        g2 += d;
        h11 += s * s * q;
        h22 += q;
        h21 += s * q;
      }
      if (Math.abs(g1) < 1e-9 * n && Math.abs(g2) < 1e-9 * n) break;
      double det = h11 * h22 - h21 * h21;
      double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
      double step = 1;
      while (step > 1e-10) {
        double fn = objective(logits, positive, n, a + step * da, b + step * db, hi, lo);
        if (fn < f + 1e-4 * step * (g1 * da + g2 * db)) {
          a += step * da;
          b += step * db;
          f = fn;
          break;
        }
        step /= 2;
      }
      if (step <= 1e-10) break;
    }
    return new Fit(a, b);
  }

  private static double objective(float[] s, boolean[] pos, int n, double a, double b, double hi, double lo) {
    double f = 0;
    for (int i = 0; i < n; i++) {
      double z = a * s[i] + b, t = pos[i] ? hi : lo;
      // -[t log p + (1-t) log(1-p)] = softplus(z) - t z
      f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
    }
    return f;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
