package io.jamwatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationsTest {

  @Test
  void tanhFromExpAgreesWithMathTanhToFloatRounding() {
    for (float v = -25f; v <= 25f; v += 0.00137f) {
      float expected = (float) Math.tanh(v);
      assertEquals(expected, Activations.tanh(v), 2 * Math.ulp(expected) + 1e-7f, "tanh(" + v + ")");
    }
  }

  @Test
  void blockedMatrixVectorProductEqualsThePlainSum() {
    int rows = 7, n = 5, off = 2;
    float[][] m = new float[rows][off + n];
    float[] c = new float[rows * 3];
    for (int r = 0; r < rows; r++) for (int k = 0; k < off + n; k++) m[r][k] = r * 0.5f - k;
    for (int i = 0; i < c.length; i++) c[i] = i * 0.25f;
    float[] y = new float[off + n];
    Activations.gemvRows(y, off, c, 1, 3, m, 0, rows, n);
    for (int k = 0; k < n; k++) {
      double s = 0;
      for (int r = 0; r < rows; r++) s += c[1 + 3 * r] * m[r][off + k];
      assertEquals(s, y[off + k], 1e-4);
    }
    assertEquals(0f, y[0], 0f);
  }
}
