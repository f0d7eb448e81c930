package io.jamwatch.nn;

/** Float activations shared by the fast path; the same formulas as {@link ReferenceForward}. */
final class Activations {
  private Activations() {}

  static float sigmoid(float v) {
    return (float) (1.0 / (1.0 + Math.exp(-v)));
  }

  static float tanh(float v) {
    return (float) Math.tanh(v);
  }

  /** y[yo .. yo+n) += a * x[xo .. xo+n): the contiguous loop C2 turns into SIMD. */
  static void axpy(float[] y, int yo, float a, float[] x, int xo, int n) {
    for (int k = 0; k < n; k++) y[yo + k] += a * x[xo + k];
  }

  static float dot(float[] a, int ao, float[] b, int bo, int n) {
    float s = 0;
    for (int k = 0; k < n; k++) s += a[ao + k] * b[bo + k];
    return s;
  }
}
