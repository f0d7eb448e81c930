package io.jamwatch.onnx;

import io.jamwatch.model.Stepper;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The load-time check of a second runtime against ONNX Runtime: both steppers take the same seeded
 * random inputs and states for a few hundred steps and every output (score, pred, h1, c1) is
 * compared. Inputs are Gaussian with every tenth step scaled by 8 (past any input clip, into the
 * saturated ends of the gates); states alternate between fresh uniform draws (h in [-1, 1], c in
 * [-4, 4]) and the state ONNX Runtime itself just returned (the states a device really visits), so
 * one step's error is measured, not an error compounded over a sequence.
 */
public final class StepperParity {
  /** The largest |candidate - reference| accepted on any output. */
  public static final float LIMIT = 1e-5f;

  public static final int STEPS = 300;
  public static final long SEED = 0x5eedL;

  private StepperParity() {}

  /** The worst disagreement per output. {@code worstOutput} is the output with the largest difference. */
  public record Result(float score, float pred, float h1, float c1, int steps) {
    public String worstOutput() {
      String n = "score";
      float m = score;
      if (pred > m) { n = "pred"; m = pred; }
      if (h1 > m) { n = "h1"; m = h1; }
      if (c1 > m) n = "c1";
      return n;
    }

    public float max() {
      return Math.max(Math.max(score, pred), Math.max(h1, c1));
    }

    /** True when every output is within {@link #LIMIT} (NaN never is). */
    public boolean passes() {
      return score <= LIMIT && pred <= LIMIT && h1 <= LIMIT && c1 <= LIMIT;
    }

    public String describe() {
      return String.format(Locale.ROOT, "max |java - ort| over %d random steps: score %.2g, pred %.2g, h1 %.2g, c1 %.2g",
          steps, score, pred, h1, c1);
    }
  }

  /** Steps both on the same seeded inputs and states; they must describe the same network shape. */
  public static Result compare(Stepper reference, Stepper candidate, int steps, long seed) {
    int F = reference.inputSize(), S = reference.layers() * reference.hiddenSize();
    if (candidate.inputSize() != F || candidate.layers() * candidate.hiddenSize() != S || candidate.cell() != reference.cell()
        || candidate.hasRisk() != reference.hasRisk() || candidate.hasForecast() != reference.hasForecast()
        || candidate.horizons() != reference.horizons())
      throw new IllegalArgumentException("the two runtimes do not describe the same network");
    boolean lstm = reference.cell().hasCellState();
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[F], h = new float[S], c = new float[S];
    float[] hr = new float[S], cr = new float[S], hc = new float[S], cc = new float[S];
    float[] pr = new float[F], pc = new float[F];
    float[] kr = new float[reference.horizons()], kc = new float[reference.horizons()];
    float dScore = 0, dPred = 0, dH = 0, dC = 0;
    for (int t = 0; t < steps; t++) {
      double scale = t % 10 == 9 ? 8 : 1;
      for (int i = 0; i < F; i++) x[i] = (float) (rng.nextGaussian() * scale);
      if (t % 2 == 0) {
        for (int i = 0; i < S; i++) {
          h[i] = (float) (rng.nextDouble() * 2 - 1);
          c[i] = (float) (rng.nextDouble() * 8 - 4);
        }
      } else {
        System.arraycopy(hr, 0, h, 0, S);
        System.arraycopy(cr, 0, c, 0, S);
      }
      System.arraycopy(h, 0, hr, 0, S);
      System.arraycopy(c, 0, cr, 0, S);
      System.arraycopy(h, 0, hc, 0, S);
      System.arraycopy(c, 0, cc, 0, S);
      float sr = reference.step(x, hr, cr, pr);
      float sc = candidate.step(x, hc, cc, pc);
      if (reference.hasRisk()) dScore = worse(dScore, sr, sc);
      // the horizon ladder's probabilities count as the risk score's (same head family)
      reference.horizonScores(kr);
      candidate.horizonScores(kc);
      for (int k = 0; k < kr.length; k++) dScore = worse(dScore, kr[k], kc[k]);
      if (reference.hasForecast()) for (int i = 0; i < F; i++) dPred = worse(dPred, pr[i], pc[i]);
      for (int i = 0; i < S; i++) dH = worse(dH, hr[i], hc[i]);
      if (lstm) for (int i = 0; i < S; i++) dC = worse(dC, cr[i], cc[i]);
    }
    return new Result(dScore, dPred, dH, dC, steps);
  }

  /** The running maximum of |a - b|; NaN on either side (but not both) is infinitely bad. */
  private static float worse(float m, float a, float b) {
    if (Float.isNaN(a) && Float.isNaN(b)) return m;
    float d = Math.abs(a - b);
    return Float.isNaN(d) ? Float.POSITIVE_INFINITY : Math.max(m, d);
  }

  /**
   * {@link #compare} with the defaults; throws a one-line message naming the worst output and its
   * difference when any output exceeds {@link #LIMIT}.
   */
  public static Result check(Stepper ort, Stepper candidate, String candidateName) {
    Result r = compare(ort, candidate, STEPS, SEED);
    if (!r.passes())
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the %s runtime disagrees with ONNX Runtime on output %s by %.3g (limit %.0e over %d seeded random steps)",
          candidateName, r.worstOutput(), r.max(), LIMIT, r.steps()));
    return r;
  }
}
