package io.jamwatch.model;

/** Float activations shared by the fast path; the same formulas as {@link ReferenceForward}. */
public final class Activations {
  private Activations() {}

  public static float sigmoid(float v) {
    return (float) (1.0 / (1.0 + Math.exp(-v)));
  }

  /**
   * tanh(v) = 2 sigmoid(2v) - 1, in double then rounded: Math.tanh is not a JIT intrinsic (fdlibm,
   * several times the cost of the Math.exp intrinsic) and the activations are a large share of a
   * step at small H. Agrees with Math.tanh to well within float rounding (tested).
   */
  public static float tanh(float v) {
    if (v > 20f) return 1f;
    if (v < -20f) return -1f;
    double e = Math.exp(-2.0 * v);
    return (float) ((1.0 - e) / (1.0 + e));
  }

  /** y[yo .. yo+n) += a * x[xo .. xo+n): the contiguous loop C2 turns into SIMD. */
  public static void axpy(float[] y, int yo, float a, float[] x, int xo, int n) {
    for (int k = 0; k < n; k++) y[yo + k] += a * x[xo + k];
  }

  /**
   * y[off+k] += sum_{r &lt; nr} c[co + r*cs] * rows[r0 + r][off+k] for k &lt; n: a matrix-vector product
   * written as axpys over contiguous rows, four rows per pass so each load and store of y carries
   * four multiply-adds (register blocking). y and the rows share the offset expression, which is
   * what lets C2 vectorise the loop (see {@link TransposedWeights}). Fixed summation order, so
   * results are deterministic.
   */
  public static void gemvRows(float[] y, int off, float[] c, int co, int cs, float[][] rows, int r0, int nr, int n) {
    int r = 0, end = off + n;
    for (; r + 3 < nr; r += 4) {
      float c0 = c[co + r * cs], c1 = c[co + (r + 1) * cs], c2 = c[co + (r + 2) * cs], c3 = c[co + (r + 3) * cs];
      float[] m0 = rows[r0 + r], m1 = rows[r0 + r + 1], m2 = rows[r0 + r + 2], m3 = rows[r0 + r + 3];
      for (int k = off; k < end; k++) y[k] += c0 * m0[k] + c1 * m1[k] + c2 * m2[k] + c3 * m3[k];
    }
    for (; r < nr; r++) {
      float c0 = c[co + r * cs];
      float[] m0 = rows[r0 + r];
      for (int k = off; k < end; k++) y[k] += c0 * m0[k];
    }
  }

  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    float s = 0;
    for (int k = 0; k < n; k++) s += a[ao + k] * b[bo + k];
    return s;
  }
}
