package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.train.TestBatches.Variant;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central differences (delta 1e-5) against the analytic gradient of the double path, for every
 * parameter of every tensor, every cell, both heads (the forecast head also residual, with a
 * per-feature loss mask; the risk head also with a ladder of 2 extra horizons), 1 and 2 layers
 * (with dropout masks between).
 *
 * <p>Two checks. Per tensor, the relative error ||a - n|| / (||a|| + ||n||) must be below 1e-6.
 * Per entry, |a - n| must be below 1e-6 (|a| + |n|) + 1e-10: the absolute term is ten times the
 * resolution of a central difference in double here (eps * |loss| / delta ~ 1e-11, measured:
 * entries with gradients near 1e-6 in the lower layer of a 2-layer net disagree by 1e-11), without
 * which a per-entry ratio measures rounding, not the gradient. A wrong term in any entry is off by
 * the size of the entry's gradient, far above both bounds.
 */
class GradientCheckTest {
  static final double DELTA = 1e-5;
  static final double TOL = 1e-6;
  static final double ABS_FLOOR = 1e-10;

  static Stream<Arguments> cases() {
    return Stream.of(Variant.values())
        .flatMap(
            v ->
                Stream.of("risk", "risk-horizons", "forecast", "residual-forecast")
                    .flatMap(head -> Stream.of(Arguments.of(v, head, 1), Arguments.of(v, head, 2))));
  }

  @ParameterizedTest(name = "{0} {1} L={2}")
  @MethodSource("cases")
  void analyticGradientMatchesCentralDifferences(Variant v, String head, int L) {
    boolean risk = head.startsWith("risk");
    NetworkWeights w = v.random(3, 4, L, risk, !risk, head.equals("risk-horizons") ? 2 : 0, 21);
    WindowBatch b = TestBatches.randomBatch(w, 5, 2, 22);
    if (head.equals("residual-forecast")) TestBatches.residualWithLossMask(w, b, 24);
    float[][] masks = null;
    if (L > 1) {
      masks = new float[L][5 * 2 * 4];
      SplittableRandom rng = new SplittableRandom(23);
      for (int l = 1; l < L; l++)
        for (int i = 0; i < masks[l].length; i++) masks[l][i] = rng.nextDouble() < 0.25 ? 0f : 1f / 0.75f;
    }
    PlainBackprop net = new PlainBackprop(w);
    double[][] p = PlainBackprop.toDouble(w);
    double[][] g = PlainBackprop.toDouble(ParameterTensors.zerosLike(w));
    net.lossAndGradient(p, b, 3f, masks, g);
    double worstTensor = 0;
    for (int i = 0; i < p.length; i++) {
      double diff = 0, na = 0, nn = 0;
      for (int j = 0; j < p[i].length; j++) {
        double keep = p[i][j];
        p[i][j] = keep + DELTA;
        double up = net.lossAndGradient(p, b, 3f, masks, null);
        p[i][j] = keep - DELTA;
        double down = net.lossAndGradient(p, b, 3f, masks, null);
        p[i][j] = keep;
        double numeric = (up - down) / (2 * DELTA);
        double err = Math.abs(g[i][j] - numeric);
        assertTrue(
            err < TOL * (Math.abs(g[i][j]) + Math.abs(numeric)) + ABS_FLOOR,
            "tensor " + i + " entry " + j + ": analytic " + g[i][j] + " numeric " + numeric);
        diff += err * err;
        na += g[i][j] * g[i][j];
        nn += numeric * numeric;
      }
      if (na + nn > 0) worstTensor = Math.max(worstTensor, Math.sqrt(diff) / (Math.sqrt(na) + Math.sqrt(nn)));
    }
    System.out.printf("gradient check %s %s L=%d worst tensor relative error %.3e%n", v, head, L, worstTensor);
    assertTrue(worstTensor < TOL, "worst tensor relative error " + worstTensor);
  }
}
