package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1, with bias correction) over every tensor of a {@link
 * NetworkWeights}, updated in place.
 *
 * <p>Call order (as Tribuo's StochasticGradientOptimiser documents): {@link #init} once with the
 * weights' shape, then {@link #step} once per minibatch, {@link #reset} to start over (new run).
 * Deterministic: no randomness, fixed tensor order.
 */
public final class Adam {
  private final float lr, beta1, beta2, eps;
  private NetworkWeights m, v;
  private long t;

  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-8f);
  }

  public Adam(float learningRate, float beta1, float beta2, float eps) {
    if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0");
    this.lr = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  /** Allocates the moment estimates (zero) for weights of this shape. */
  public void init(NetworkWeights shape) {
    m = ParameterTensors.zerosLike(shape);
    v = ParameterTensors.zerosLike(shape);
    t = 0;
  }

  /**
   * θ ← θ - lr * m̂ / (sqrt(v̂) + eps), with m ← β1 m + (1-β1) g, v ← β2 v + (1-β2) g², m̂ = m/(1-β1^t),
   * v̂ = v/(1-β2^t).
   */
  public void step(NetworkWeights params, NetworkWeights grad) {
    if (m == null) throw new IllegalStateException("Adam.init must be called before step");
    t++;
    float c1 = (float) (1 - Math.pow(beta1, t));
    float c2 = (float) (1 - Math.pow(beta2, t));
    float[][] p = ParameterTensors.of(params), g = ParameterTensors.of(grad);
    float[][] mm = ParameterTensors.of(m), vv = ParameterTensors.of(v);
    for (int k = 0; k < p.length; k++) {
      float[] pk = p[k], gk = g[k], mk = mm[k], vk = vv[k];
      for (int i = 0; i < pk.length; i++) {
        float gi = gk[i];
        mk[i] = beta1 * mk[i] + (1 - beta1) * gi;
        vk[i] = beta2 * vk[i] + (1 - beta2) * gi * gi;
        pk[i] -= lr * (mk[i] / c1) / ((float) Math.sqrt(vk[i] / c2) + eps);
      }
    }
  }

  /** Forgets the moments and the step count. */
  public void reset() {
    if (m != null) {
      ParameterTensors.zero(m);
      ParameterTensors.zero(v);
    }
    t = 0;
  }

  public long steps() {
    return t;
  }
}
