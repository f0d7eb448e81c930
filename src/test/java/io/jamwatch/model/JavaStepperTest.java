package io.jamwatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JavaStepperTest {

  static Stream<Arguments> nets() {
    return Stream.of(
        Arguments.of(CellType.RNN, false, 1), Arguments.of(CellType.RNN, false, 2),
        Arguments.of(CellType.GRU, false, 1), Arguments.of(CellType.GRU, true, 1),
        Arguments.of(CellType.GRU, false, 2), Arguments.of(CellType.GRU, true, 2),
        Arguments.of(CellType.LSTM, false, 1), Arguments.of(CellType.LSTM, false, 3));
  }

  @ParameterizedTest
  @MethodSource("nets")
  void fastStepEqualsReferenceForwardOverASequence(CellType cell, boolean lbr, int layers) {
    fastStepEqualsReference(NetworkWeights.random(cell, 11, 16, layers, lbr, true, true, new SplittableRandom(9)));
  }

  @ParameterizedTest
  @MethodSource("nets")
  void residualForecastStepEqualsReferenceForward(CellType cell, boolean lbr, int layers) {
    NetworkWeights w = NetworkWeights.random(cell, 11, 16, layers, lbr, true, true, new SplittableRandom(19));
    w.makeResidual(new int[] {0, 2, 4, 9}, 1f);
    w.setInputClip(2.5f);
    fastStepEqualsReference(w);
  }

  @ParameterizedTest
  @MethodSource("nets")
  void zeroResidualHeadForecastsTheCurrentValue(CellType cell, boolean lbr, int layers) {
    NetworkWeights w = NetworkWeights.random(cell, 6, 8, layers, lbr, false, true, new SplittableRandom(4));
    w.makeResidual(new int[] {1, 3}, 0f);
    float[] x = {0.3f, -1.7f, 2f, 0.25f, 1f, 0f}, pred = new float[6];
    new JavaStepper(w).step(x, new float[layers * 8], new float[layers * 8], pred);
    assertEquals(x[1], pred[1], 0f);
    assertEquals(x[3], pred[3], 0f);
  }

  private static void fastStepEqualsReference(NetworkWeights w) {
    CellType cell = w.cell;
    int F = w.inputSize, H = w.hiddenSize, T = 40, layers = w.layers;
    SplittableRandom rng = new SplittableRandom(10);
    float[] x = new float[T * F];
    for (int i = 0; i < x.length; i++) x[i] = (float) (2 * rng.nextGaussian());
    ReferenceForward.Output ref = ReferenceForward.forward(w, x, T, 1, null, null);

    JavaStepper s = new JavaStepper(w);
    float[] h = new float[layers * H], c = new float[layers * H], pred = new float[F], xt = new float[F];
    float maxErr = 0;
    for (int t = 0; t < T; t++) {
      System.arraycopy(x, t * F, xt, 0, F);
      float score = s.step(xt, h, c, pred);
      maxErr = Math.max(maxErr, Math.abs(score - ref.score()[t]));
      for (int i = 0; i < F; i++) maxErr = Math.max(maxErr, Math.abs(pred[i] - ref.pred()[t * F + i]));
    }
    for (int i = 0; i < h.length; i++) maxErr = Math.max(maxErr, Math.abs(h[i] - ref.h1()[i]));
    if (cell.hasCellState()) for (int i = 0; i < c.length; i++) maxErr = Math.max(maxErr, Math.abs(c[i] - ref.c1()[i]));
    assertTrue(maxErr <= 1e-5f, "max abs error " + maxErr);
  }

  @ParameterizedTest
  @MethodSource("nets")
  void stepAllocatesNothing(CellType cell, boolean lbr, int layers) {
    NetworkWeights w = NetworkWeights.random(cell, 8, 16, layers, lbr, true, true, new SplittableRandom(2));
    JavaStepper s = new JavaStepper(w);
    float[] x = new float[8], h = new float[layers * 16], c = new float[layers * 16], pred = new float[8];
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) s.step(x, h, c, pred); // JIT warm-up
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 10_000; i++) s.step(x, h, c, pred);
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertEquals(0, allocated / 10_000, "bytes allocated per step: " + allocated / 10_000.0);
  }

  @ParameterizedTest
  @MethodSource("nets")
  void withoutForecastHeadLeavesPredUntouchedAndWithoutRiskReturnsNaN(CellType cell, boolean lbr, int layers) {
    NetworkWeights w = NetworkWeights.random(cell, 4, 8, layers, lbr, false, true, new SplittableRandom(1));
    float[] pred = new float[4];
    assertTrue(Float.isNaN(new JavaStepper(w).step(new float[4], new float[layers * 8], new float[layers * 8], pred)));
    NetworkWeights r = NetworkWeights.random(cell, 4, 8, layers, lbr, true, false, new SplittableRandom(1));
    float[] untouched = {7, 7, 7, 7};
    new JavaStepper(r).step(new float[4], new float[layers * 8], new float[layers * 8], untouched);
    assertEquals(7f, untouched[0]);
  }
}
