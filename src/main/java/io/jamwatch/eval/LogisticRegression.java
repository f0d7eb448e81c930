package io.jamwatch.eval;

/**
 * Binary logistic regression with an L2 penalty, fitted by Newton's method (iteratively reweighted
 * least squares; Hastie, Tibshirani &amp; Friedman, The Elements of Statistical Learning, 4.4.1):
 * deterministic (no sampling, no learning rate), converging in a few steps on standardised
 * features. Minimises {@code sum_i w_i * BCE(y_i, sigmoid(b + x_i . beta)) + l2/2 * |beta|^2} (the
 * intercept is not penalised).
 */
public final class LogisticRegression {
  private final double[] beta; // [d + 1], intercept last

  private LogisticRegression(double[] beta) {
    this.beta = beta;
  }

  /** The fitted coefficients, intercept last. */
  public double[] coefficients() {
    return beta.clone();
  }

  public double probability(double[] x) {
    double z = beta[beta.length - 1];
    for (int j = 0; j < x.length; j++) {
      z += beta[j] * x[j];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * @param x rows [n][d], finite
   * @param y labels
   * @param w per-row weights (> 0)
   * @param l2 penalty on the coefficients (not the intercept), > 0
   * @param maxSteps Newton steps at most; stops earlier when a step changes no coefficient by 1e-9
   */
  public static LogisticRegression fit(double[][] x, boolean[] y, double[] w, double l2, int maxSteps) {
    int n = x.length;
    if (n == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    int d = x[0].length;
    int m = d + 1;
    double[] beta = new double[m];
    double[] g = new double[m];
    double[][] h = new double[m][m];
    double[] row = new double[m];
    for (int step = 0; step < maxSteps; step++) {
      for (int j = 0; j < m; j++) {
        g[j] = j < d ? l2 * beta[j] : 0;
        java.util.Arrays.fill(h[j], 0);
        if (j < d) {
          h[j][j] = l2;
        }
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(x[i], 0, row, 0, d);
        row[d] = 1;
        double z = 0;
        for (int j = 0; j < m; j++) {
          z += beta[j] * row[j];
        }
        double p = 1 / (1 + Math.exp(-z));
        double r = w[i] * (p - (y[i] ? 1 : 0));
        double s = w[i] * Math.max(p * (1 - p), 1e-12);
        for (int j = 0; j < m; j++) {
          g[j] += r * row[j];
          double sj = s * row[j];
          double[] hj = h[j];
          for (int k = 0; k <= j; k++) {
            hj[k] += sj * row[k];
          }
        }
      }
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < j; k++) {
          h[k][j] = h[j][k];
        }
      }
      double[] delta = solve(h, g);
      double change = 0;
      for (int j = 0; j < m; j++) {
        beta[j] -= delta[j];
        change = Math.max(change, Math.abs(delta[j]));
      }
      if (change < 1e-9) {
        break;
      }
    }
    return new LogisticRegression(beta);
  }

  /** Solves {@code a x = b} for symmetric positive definite {@code a} (Cholesky). */
  static double[] solve(double[][] a, double[] b) {
    int m = b.length;
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        if (i == j) {
          l[i][i] = Math.sqrt(Math.max(s, 1e-12));
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    double[] z = new double[m];
    for (int i = 0; i < m; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * z[k];
      }
      z[i] = s / l[i][i];
    }
    double[] x = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double s = z[i];
      for (int k = i + 1; k < m; k++) {
        s -= l[k][i] * x[k];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }
}
