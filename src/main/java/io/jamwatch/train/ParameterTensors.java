package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
/**
 * The trainable tensors of a {@link NetworkWeights} as one fixed-order list, so the optimiser, the
 * gradient clipping and the gradient checks walk every parameter the same way: for each layer
 * {@code W, R, Wb, Rb}, then {@code riskW, riskB, predW, predB, horizonW, horizonB} (absent heads give empty arrays).
 */
public final class ParameterTensors {
  private ParameterTensors() {}

  /** The arrays themselves (not copies): writing into them writes the weights. */
  public static float[][] of(NetworkWeights w) {
    float[][] t = new float[4 * w.layers + 6][];
    for (int l = 0; l < w.layers; l++) {
      t[4 * l] = w.W[l];
      t[4 * l + 1] = w.R[l];
      t[4 * l + 2] = w.Wb[l];
      t[4 * l + 3] = w.Rb[l];
    }
    int o = 4 * w.layers;
    t[o] = w.riskW;
    t[o + 1] = w.riskB;
    t[o + 2] = w.predW;
    t[o + 3] = w.predB;
    t[o + 4] = w.horizonW;
    t[o + 5] = w.horizonB;
    return t;
  }

  /** A zeroed container of the same shape (used for gradients and optimiser moments). */
  public static NetworkWeights zerosLike(NetworkWeights w) {
    return new NetworkWeights(
        w.cell, w.inputSize, w.hiddenSize, w.layers, w.linearBeforeReset, w.hasRisk, w.hasForecast, w.horizons);
  }

  public static void zero(NetworkWeights w) {
    for (float[] a : of(w)) java.util.Arrays.fill(a, 0f);
  }

  /** Euclidean norm over all tensors, accumulated in double in the fixed tensor order. */
  public static double globalNorm(NetworkWeights w) {
    double s = 0;
    for (float[] a : of(w)) for (float v : a) s += (double) v * v;
    return Math.sqrt(s);
  }

  /** Whether every parameter is finite (a diverged run is stopped, never exported). */
  public static boolean allFinite(NetworkWeights w) {
    for (float[] a : of(w)) for (float v : a) if (!Float.isFinite(v)) return false;
    return true;
  }
}
