package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
/** Clipping by global norm (Pascanu, Mikolov &amp; Bengio 2013): g ← g * min(1, maxNorm / ||g||). */
public final class GradientClipping {
  private GradientClipping() {}

  /** Scales {@code grad} in place if its global norm exceeds {@code maxNorm} (0 = off); returns the norm before. */
  public static double clipGlobalNorm(NetworkWeights grad, float maxNorm) {
    double norm = ParameterTensors.globalNorm(grad);
    if (maxNorm > 0 && norm > maxNorm) {
      float s = (float) (maxNorm / norm);
      for (float[] a : ParameterTensors.of(grad)) for (int i = 0; i < a.length; i++) a[i] *= s;
    }
    return norm;
  }
}
