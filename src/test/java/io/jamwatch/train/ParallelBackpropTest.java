package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.ReferenceForward;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.train.TestBatches.Variant;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParallelBackpropTest {

  static Stream<Arguments> variantsAndLayers() {
    return Stream.of(Variant.values()).flatMap(v -> Stream.of(Arguments.of(v, 1), Arguments.of(v, 2)));
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void fastForwardMatchesReferenceForward(Variant v, int L) {
    int F = 5, H = 6, T = 7, B = 5;
    NetworkWeights w = v.random(F, H, L, true, true, 3);
    WindowBatch b = TestBatches.randomBatch(w, T, B, 4);
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 2)) {
      net.forward(b, 1f);
    }
    ReferenceForward.Output ref = ReferenceForward.forward(w, b.x, T, B, b.h0, b.c0);
    assertArrayEquals(ref.score(), b.score, 1e-5f);
    assertArrayEquals(ref.pred(), b.pred, 1e-5f);
    assertArrayEquals(ref.h1(), b.h1, 1e-5f);
    if (v.cell.hasCellState()) assertArrayEquals(ref.c1(), b.c1, 1e-5f);
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void singleStepsWithStateCarriedEqualOneWindow(Variant v, int L) {
    int F = 4, H = 5, T = 6, B = 3;
    NetworkWeights w = v.random(F, H, L, true, true, 5);
    WindowBatch all = TestBatches.randomBatch(w, T, B, 6);
    WindowBatch one = WindowBatch.forNetwork(w, 1, B);
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 2)) {
      net.forward(all, 1f);
      System.arraycopy(all.h0, 0, one.h0, 0, all.h0.length);
      System.arraycopy(all.c0, 0, one.c0, 0, all.c0.length);
      for (int t = 0; t < T; t++) {
        System.arraycopy(all.x, t * B * F, one.x, 0, B * F);
        net.forward(one, 1f);
        for (int bb = 0; bb < B; bb++) assertEquals(all.score[t * B + bb], one.score[bb], 0f);
        for (int i = 0; i < B * F; i++) assertEquals(all.pred[t * B * F + i], one.pred[i], 0f);
        System.arraycopy(one.h1, 0, one.h0, 0, one.h1.length);
        System.arraycopy(one.c1, 0, one.c0, 0, one.c1.length);
      }
    }
    assertArrayEquals(all.h1, one.h0, 0f);
    if (v.cell.hasCellState()) assertArrayEquals(all.c1, one.c0, 0f);
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void fastGradientMatchesDoublePathWithBothHeads(Variant v, int L) {
    int F = 4, H = 6, T = 8, B = 5;
    NetworkWeights w = v.random(F, H, L, true, true, 7);
    WindowBatch b = TestBatches.randomBatch(w, T, B, 8);
    NetworkWeights grad = ParameterTensors.zerosLike(w);
    double loss;
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 2)) {
      loss = net.lossAndGradient(b, 0f, null, 2.5f, grad);
    }
    double[][] p = PlainBackprop.toDouble(w);
    double[][] g = PlainBackprop.toDouble(ParameterTensors.zerosLike(w));
    double plainLoss = new PlainBackprop(w).lossAndGradient(p, b, 2.5f, null, g);
    assertEquals(plainLoss, loss, 1e-5 * Math.abs(plainLoss));
    assertClose(g, ParameterTensors.of(grad), 1e-4);
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void horizonLadderMatchesReferenceAndDoublePath(Variant v, int L) {
    int F = 4, H = 6, T = 8, B = 5, K = 3;
    NetworkWeights w = v.random(F, H, L, true, true, K, 41);
    WindowBatch b = TestBatches.randomBatch(w, T, B, 42);
    NetworkWeights grad = ParameterTensors.zerosLike(w);
    double loss;
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 2)) {
      loss = net.lossAndGradient(b, 0f, null, 2.5f, grad);
    }
    ReferenceForward.Output ref = ReferenceForward.forward(w, b.x, T, B, b.h0, b.c0);
    assertEquals(T * B * K, ref.horizonScore().length);
    assertArrayEquals(ref.horizonScore(), b.horizonScore, 1e-5f);
    assertArrayEquals(ref.score(), b.score, 1e-5f);
    assertMatchesDoublePath(w, b, loss, grad);
    // the ladder's tensors do get a gradient (a loss that ignored them would pass the rest)
    float[][] t = ParameterTensors.of(grad);
    double n = 0;
    for (float v2 : t[t.length - 2]) n += Math.abs(v2);
    assertTrue(n > 1e-6, "no gradient on the horizon ladder");
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void residualForecastWithLossMaskMatchesReferenceAndDoublePath(Variant v, int L) {
    int F = 5, H = 6, T = 8, B = 5;
    NetworkWeights w = v.random(F, H, L, true, true, 31);
    WindowBatch b = TestBatches.randomBatch(w, T, B, 32);
    TestBatches.residualWithLossMask(w, b, 33);
    NetworkWeights grad = ParameterTensors.zerosLike(w);
    double loss;
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 2)) {
      loss = net.lossAndGradient(b, 0f, null, 2.5f, grad);
    }
    ReferenceForward.Output ref = ReferenceForward.forward(w, b.x, T, B, b.h0, b.c0);
    assertArrayEquals(ref.pred(), b.pred, 1e-5f);
    assertMatchesDoublePath(w, b, loss, grad);
  }

  /** The fast path's loss and gradient (pos weight 2.5, no dropout) equal the double path's. */
  private static void assertMatchesDoublePath(NetworkWeights w, WindowBatch b, double loss, NetworkWeights grad) {
    double[][] p = PlainBackprop.toDouble(w);
    double[][] g = PlainBackprop.toDouble(ParameterTensors.zerosLike(w));
    double plainLoss = new PlainBackprop(w).lossAndGradient(p, b, 2.5f, null, g);
    assertEquals(plainLoss, loss, 1e-5 * Math.abs(plainLoss));
    assertClose(g, ParameterTensors.of(grad), 1e-4);
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void dropoutGradientMatchesDoublePathWithTheSameMasks(Variant v, int L) {
    int F = 3, H = 5, T = 6, B = 4;
    NetworkWeights w = v.random(F, H, L, true, false, 9);
    WindowBatch b = TestBatches.randomBatch(w, T, B, 10);
    NetworkWeights grad = ParameterTensors.zerosLike(w);
    float[][] masks;
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 1)) {
      net.lossAndGradient(b, 0.3f, new SplittableRandom(11), 1f, grad);
      masks = net.dropMasks(0);
    }
    double[][] g = PlainBackprop.toDouble(ParameterTensors.zerosLike(w));
    new PlainBackprop(w).lossAndGradient(PlainBackprop.toDouble(w), b, 1f, masks, g);
    assertClose(g, ParameterTensors.of(grad), 1e-4);
  }

  @ParameterizedTest
  @MethodSource("variantsAndLayers")
  void gradientDoesNotDependOnSchedulingForAFixedThreadCount(Variant v, int L) {
    NetworkWeights w = v.random(3, 4, L, true, true, 12);
    WindowBatch b = TestBatches.randomBatch(w, 5, 6, 13);
    float[][] first = null;
    for (int rep = 0; rep < 3; rep++) {
      NetworkWeights grad = ParameterTensors.zerosLike(w);
      try (ParallelBackprop net = new ParallelBackprop(w, 5, 6, 2)) {
        net.lossAndGradient(b, 0.2f, new SplittableRandom(14), 2f, grad);
      }
      float[][] now = ParameterTensors.of(grad);
      if (first == null) first = now;
      else for (int i = 0; i < now.length; i++) assertArrayEquals(first[i], now[i], 0f);
    }
  }

  /** Per-tensor relative error ||a - b|| / (||a|| + ||b||) below tol. */
  static void assertClose(double[][] expected, float[][] actual, double tol) {
    for (int i = 0; i < expected.length; i++) {
      double diff = 0, na = 0, nb = 0;
      for (int j = 0; j < expected[i].length; j++) {
        diff += Math.pow(expected[i][j] - actual[i][j], 2);
        na += expected[i][j] * expected[i][j];
        nb += (double) actual[i][j] * actual[i][j];
      }
      if (na + nb == 0) continue;
      double rel = Math.sqrt(diff) / (Math.sqrt(na) + Math.sqrt(nb));
      assertTrue(rel < tol, "tensor " + i + " relative error " + rel);
    }
  }
}
