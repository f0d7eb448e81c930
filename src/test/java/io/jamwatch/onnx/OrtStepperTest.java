package io.jamwatch.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.model.CellType;
import io.jamwatch.model.JavaStepper;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.ReferenceForward;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrtStepperTest {
  static final int F = 9, H = 12, T = 50;

  static Stream<Arguments> nets() {
    return Stream.of(
        Arguments.of(CellType.RNN, false, 2), Arguments.of(CellType.GRU, false, 1), Arguments.of(CellType.GRU, true, 2),
        Arguments.of(CellType.LSTM, false, 1), Arguments.of(CellType.LSTM, false, 2));
  }

  @ParameterizedTest(name = "{0} lbr={1} L={2}")
  @MethodSource("nets")
  void steppingTimesWithStateCarriedEqualsReferenceAndJavaStepper(CellType cell, boolean lbr, int layers) {
    NetworkWeights w = TestModels.random(cell, F, H, layers, lbr, 2, 21); // with a ladder of 2 extra horizons
    byte[] model = OnnxExporter.build(w, TestModels.metadata(w)).toByteArray();
    float[] x = TestModels.gaussian(T * F, 22);
    ReferenceForward.Output ref = ReferenceForward.forward(w, x, T, 1, null, null);
    float[] h = new float[layers * H], c = new float[layers * H], pred = new float[F], xt = new float[F];
    float[] hj = new float[layers * H], cj = new float[layers * H], predj = new float[F];
    float[] hz = new float[2], hzj = new float[2];
    float err = 0, errJava = 0;
    try (OrtStepper ort = new OrtStepper(model, TestModels.metadata(w)); JavaStepper java = new JavaStepper(w)) {
      for (int t = 0; t < T; t++) {
        System.arraycopy(x, t * F, xt, 0, F);
        float s = ort.step(xt, h, c, pred);
        float sj = java.step(xt, hj, cj, predj);
        err = Math.max(err, Math.abs(s - ref.score()[t]));
        errJava = Math.max(errJava, Math.abs(s - sj));
        assertEquals(2, ort.horizons());
        ort.horizonScores(hz);
        java.horizonScores(hzj);
        for (int k = 0; k < 2; k++) {
          err = Math.max(err, Math.abs(hz[k] - ref.horizonScore()[t * 2 + k]));
          errJava = Math.max(errJava, Math.abs(hz[k] - hzj[k]));
        }
        for (int i = 0; i < F; i++) {
          err = Math.max(err, Math.abs(pred[i] - ref.pred()[t * F + i]));
          errJava = Math.max(errJava, Math.abs(pred[i] - predj[i]));
        }
      }
    }
    err = Math.max(err, TestModels.maxAbsDiff(h, ref.h1()));
    errJava = Math.max(errJava, TestModels.maxAbsDiff(h, hj));
    if (cell.hasCellState()) {
      err = Math.max(err, TestModels.maxAbsDiff(c, ref.c1()));
      errJava = Math.max(errJava, TestModels.maxAbsDiff(c, cj));
    }
    System.out.printf("stepper %s lbr=%b L=%d T=%d: ORT vs reference %.3g, ORT vs JavaStepper %.3g%n",
        cell, lbr, layers, T, err, errJava);
    assertTrue(err <= 1e-5f, "ORT stepper vs reference: " + err);
    assertTrue(errJava <= 1e-5f, "ORT stepper vs JavaStepper: " + errJava);
  }

  @Test
  void refusesMetadataThatDoesNotDescribeTheFile() {
    NetworkWeights w = TestModels.random(CellType.GRU, F, H, 1, false, 1);
    byte[] model = OnnxExporter.build(w, TestModels.metadata(w)).toByteArray();
    NetworkWeights lstm = TestModels.random(CellType.LSTM, F, H, 1, false, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OrtStepper(model, TestModels.metadata(lstm)));
    assertTrue(e.getMessage().contains("c0"), e.getMessage());
    NetworkWeights wide = TestModels.random(CellType.GRU, F, H + 1, 1, false, 1);
    assertThrows(IllegalArgumentException.class, () -> new OrtStepper(model, TestModels.metadata(wide)));
  }
}
