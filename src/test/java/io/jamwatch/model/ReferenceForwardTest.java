package io.jamwatch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReferenceForwardTest {

  @ParameterizedTest
  @EnumSource(CellType.class)
  void steppingOneAtATimeEqualsOneCallOverTheSequence(CellType cell) {
    int F = 5, H = 7, L = 2, T = 9, B = 3;
    NetworkWeights w = NetworkWeights.random(cell, F, H, L, false, true, true, new SplittableRandom(1));
    SplittableRandom rng = new SplittableRandom(2);
    float[] x = new float[T * B * F];
    for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
    ReferenceForward.Output all = ReferenceForward.forward(w, x, T, B, null, null);

    float[] h = new float[L * B * H];
    float[] c = new float[L * B * H];
    for (int t = 0; t < T; t++) {
      float[] xt = new float[B * F];
      System.arraycopy(x, t * B * F, xt, 0, B * F);
      ReferenceForward.Output one = ReferenceForward.forward(w, xt, 1, B, h, c);
      for (int b = 0; b < B; b++) assertEquals(all.score()[t * B + b], one.score()[b], 0f);
      h = one.h1();
      if (cell.hasCellState()) c = one.c1();
    }
    assertArrayEquals(all.h1(), h, 0f);
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void zeroWeightsGiveHalfScoreAndBiasOnlyForecast(CellType cell) {
    NetworkWeights w = new NetworkWeights(cell, 3, 4, 1, false, true, true);
    w.predB[1] = 2.5f;
    ReferenceForward.Output out = ReferenceForward.forward(w, new float[] {1, 2, 3}, 1, 1, null, null);
    assertEquals(0.5f, out.score()[0], 0f);
    assertArrayEquals(new float[] {0, 2.5f, 0}, out.pred(), 0f);
  }
}
