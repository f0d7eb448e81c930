package io.jamwatch.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.ReferenceForward;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime vs the reference forward pass (Tribuo's habit of comparing a model with its ONNX
 * export): score, pred, h1 and c1 to 1e-5, every cell, GRU with linear_before_reset 0 and 1, 1 and 2
 * layers, T = 1 and T = 50, B = 3, random weights and a non-zero initial state.
 */
class OrtParityTest {
  static final float TOL = 1e-5f;
  static final int F = 9, H = 16, B = 3;

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> s = Stream.builder();
    Object[][] cells = {{CellType.RNN, false}, {CellType.GRU, false}, {CellType.GRU, true}, {CellType.LSTM, false}};
    for (Object[] c : cells) for (int layers : new int[] {1, 2}) for (int t : new int[] {1, 50}) s.add(Arguments.of(c[0], c[1], layers, t));
    return s.build();
  }

  /** Max abs difference over score, pred, h1, c1 between ORT and the reference. */
  static float parityError(NetworkWeights exported, NetworkWeights reference, int T) throws Exception {
    byte[] model = OnnxExporter.build(exported, TestModels.metadata(exported)).toByteArray();
    int L = reference.layers;
    float[] x = TestModels.gaussian(T * B * F, 11 + T);
    float[] h0 = TestModels.gaussian(L * B * H, 12);
    float[] c0 = TestModels.gaussian(L * B * H, 13);
    for (int i = 0; i < h0.length; i++) h0[i] = (float) Math.tanh(h0[i]);
    ReferenceForward.Output ref = ReferenceForward.forward(reference, x, T, B, h0, c0);
    ReferenceForward.Output ort = TestModels.ortForward(model, reference, x, T, B, h0, c0);
    float err = 0;
    err = Math.max(err, TestModels.maxAbsDiff(ref.score(), ort.score()));
    err = Math.max(err, TestModels.maxAbsDiff(ref.pred(), ort.pred()));
    err = Math.max(err, TestModels.maxAbsDiff(ref.h1(), ort.h1()));
    err = Math.max(err, TestModels.maxAbsDiff(ref.c1(), ort.c1()));
    err = Math.max(err, TestModels.maxAbsDiff(ref.horizonScore(), ort.horizonScore()));
    return err;
  }

  @ParameterizedTest(name = "{0} lbr={1} L={2} T={3}")
  @MethodSource("cases")
  void onnxRuntimeMatchesReferenceForward(CellType cell, boolean lbr, int layers, int T) throws Exception {
    NetworkWeights w = TestModels.random(cell, F, H, layers, lbr, 100 + layers);
    float err = parityError(w, w, T);
    System.out.printf("parity %s lbr=%b L=%d T=%d B=%d max abs error %.3g%n", cell, lbr, layers, T, B, err);
    assertTrue(err <= TOL, "max abs error " + err);
  }

  @ParameterizedTest(name = "horizon ladder {0} lbr={1} L={2} T={3}")
  @MethodSource("cases")
  void horizonLadderMatchesReferenceForward(CellType cell, boolean lbr, int layers, int T) throws Exception {
    NetworkWeights w = TestModels.random(cell, F, H, layers, lbr, 3, 300 + layers);
    float err = parityError(w, w, T);
    assertTrue(err <= TOL, "max abs error " + err);
  }

  @ParameterizedTest(name = "residual {0} lbr={1} L={2} T={3}")
  @MethodSource("cases")
  void residualForecastMatchesReferenceForward(CellType cell, boolean lbr, int layers, int T) throws Exception {
    NetworkWeights w = TestModels.random(cell, F, H, layers, lbr, 200 + layers);
    w.makeResidual(new int[] {0, 2, 4, 7}, 1f);
    w.setInputClip(1.5f);
    float err = parityError(w, w, T);
    assertTrue(err <= TOL, "max abs error " + err);
  }

  @Test
  void residualForecastIsInTheGraphNotLeftToTheCaller() throws Exception {
    NetworkWeights w = TestModels.random(CellType.GRU, F, H, 1, true, 8);
    NetworkWeights plain = w.copy();
    w.makeResidual(new int[] {0, 2, 4, 7}, 1f);
    // The same trained parameters exported without the skip must not pass for the residual model.
    float err = parityError(plain, w, 50);
    assertTrue(err > 1e-2f, "exporting without the residual must break parity, error only " + err);
  }

  @Test
  void inputClipIsInTheGraph() throws Exception {
    NetworkWeights w = TestModels.random(CellType.LSTM, F, H, 2, false, 9);
    NetworkWeights unclipped = w.copy();
    w.setInputClip(0.5f);
    float err = parityError(unclipped, w, 50);
    assertTrue(err > 1e-3f, "exporting without the input clip must break parity, error only " + err);
  }

  @Test
  void wrongLinearBeforeResetIsDetectedByParity() throws Exception {
    for (boolean lbr : new boolean[] {false, true}) {
      NetworkWeights w = TestModels.random(CellType.GRU, F, H, 2, lbr, 7);
      NetworkWeights flipped = new NetworkWeights(CellType.GRU, F, H, 2, !lbr, true, true);
      copyParameters(w, flipped);
      float err = parityError(flipped, w, 50);
      System.out.printf("flipped linear_before_reset (%b -> %b): max abs error %.3g%n", lbr, !lbr, err);
      assertTrue(err > 1e-3f, "a flipped linear_before_reset must break parity, error only " + err);
    }
  }

  static void copyParameters(NetworkWeights from, NetworkWeights to) {
    for (int l = 0; l < from.layers; l++) {
      System.arraycopy(from.W[l], 0, to.W[l], 0, from.W[l].length);
      System.arraycopy(from.R[l], 0, to.R[l], 0, from.R[l].length);
      System.arraycopy(from.Wb[l], 0, to.Wb[l], 0, from.Wb[l].length);
      System.arraycopy(from.Rb[l], 0, to.Rb[l], 0, from.Rb[l].length);
    }
    System.arraycopy(from.riskW, 0, to.riskW, 0, from.riskW.length);
    System.arraycopy(from.riskB, 0, to.riskB, 0, from.riskB.length);
    System.arraycopy(from.predW, 0, to.predW, 0, from.predW.length);
    System.arraycopy(from.predB, 0, to.predB, 0, from.predB.length);
  }
}
