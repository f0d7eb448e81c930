package io.jamwatch.model;

/**
 * The plain, readable forward pass of a {@link NetworkWeights}, written straight from the ONNX
 * operator equations (RNN-14, GRU-14, LSTM-14; activations f = sigmoid, g = tanh, h = tanh; no
 * peepholes; no clipping). It is the yardstick: the trainer's fast path and ONNX Runtime are both
 * tested against it. Not for speed.
 *
 * <p>Layouts: x [T, B, F], h0 and c0 [L, B, H], score [T, B], horizonScore [T, B, K], pred [T, B, F], h1 and c1 [L, B, H],
 * all row-major flattened float arrays, exactly the ONNX tensors of the model file.
 */
public final class ReferenceForward {
  private ReferenceForward() {}

  /** The outputs of one call. {@code score} is empty without a risk head, {@code pred} without a forecast head. */
  public record Output(float[] score, float[] pred, float[] h1, float[] c1, float[] horizonScore) {
    /** Without extra horizons. */
    public Output(float[] score, float[] pred, float[] h1, float[] c1) {
      this(score, pred, h1, c1, new float[0]);
    }
  }

  public static Output forward(NetworkWeights w, float[] x, int T, int B, float[] h0, float[] c0) {
    int F = w.inputSize, H = w.hiddenSize, L = w.layers;
    if (x.length != T * B * F) throw new IllegalArgumentException("x must be [T,B,F]");
    float[] h = h0 == null ? new float[L * B * H] : h0.clone();
    float[] c = c0 == null ? new float[L * B * H] : c0.clone();
    float[] score = new float[w.hasRisk ? T * B : 0];
    float[] pred = new float[w.hasForecast ? T * B * F : 0];
    int K = w.horizons;
    float[] horizonScore = new float[T * B * K];
    float[] in = new float[Math.max(F, H)];
    float[] hb = new float[H];
    float[] cb = new float[H];
    for (int t = 0; t < T; t++) {
      for (int b = 0; b < B; b++) {
        System.arraycopy(x, (t * B + b) * F, in, 0, F);
        for (int i = 0; i < F; i++) in[i] = w.clipInput(in[i]); // the first layer sees x clipped (0 = off)
        int inSize = F;
        for (int l = 0; l < L; l++) {
          int off = (l * B + b) * H;
          System.arraycopy(h, off, hb, 0, H);
          System.arraycopy(c, off, cb, 0, H);
          step(w, l, in, inSize, hb, cb);
          System.arraycopy(hb, 0, h, off, H);
          System.arraycopy(cb, 0, c, off, H);
          System.arraycopy(hb, 0, in, 0, H);
          inSize = H;
        }
        // in[0..H) now holds the top layer's h_t for sequence b.
        if (w.hasRisk) {
          // score = sigmoid(riskW . h + riskB)
          float s = w.riskB[0];
          for (int j = 0; j < H; j++) s += w.riskW[j] * in[j];
          score[t * B + b] = sigmoid(s);
        }
        for (int k = 0; k < K; k++) {
          // horizonScore_k = sigmoid(horizonW_k . h + horizonB_k)
          float s = w.horizonB[k];
          for (int j = 0; j < H; j++) s += w.horizonW[k * H + j] * in[j];
          horizonScore[(t * B + b) * K + k] = sigmoid(s);
        }
        if (w.hasForecast) {
          // pred = predW h + predB + predSkip . x
          for (int i = 0; i < F; i++) {
            float s = w.predB[i];
            for (int j = 0; j < H; j++) s += w.predW[i * H + j] * in[j];
            pred[(t * B + b) * F + i] = w.predSkip[i] == 0f ? s : s + w.predSkip[i] * x[(t * B + b) * F + i];
          }
        }
      }
    }
    return new Output(score, pred, h, w.cell.hasCellState() ? c : new float[0], horizonScore);
  }

  /** One step of layer l for one sequence: h (and c) updated in place. */
  static void step(NetworkWeights w, int l, float[] x, int in, float[] h, float[] c) {
    int H = w.hiddenSize;
    float[] Wl = w.W[l], Rl = w.R[l], Wbl = w.Wb[l], Rbl = w.Rb[l];
    switch (w.cell) {
      case RNN -> {
        // H_t = tanh(W x + R H_{t-1} + Wb + Rb)
        float[] nh = new float[H];
        for (int j = 0; j < H; j++) {
          nh[j] = tanh(dot(Wl, j * in, x, in) + dot(Rl, j * H, h, H) + Wbl[j] + Rbl[j]);
        }
        System.arraycopy(nh, 0, h, 0, H);
      }
      case GRU -> {
        // z = sigmoid(W_z x + R_z H + Wb_z + Rb_z); r likewise (block 1)
        // lbr=0: n = tanh(W_h x + R_h (r . H) + Rb_h + Wb_h)
        // lbr=1: n = tanh(W_h x + r . (R_h H + Rb_h) + Wb_h)
        // H_t = (1 - z) . n + z . H_{t-1}
        float[] z = new float[H], r = new float[H], rh = new float[H], nh = new float[H];
        for (int j = 0; j < H; j++) {
          z[j] = sigmoid(dot(Wl, j * in, x, in) + dot(Rl, j * H, h, H) + Wbl[j] + Rbl[j]);
          int k = H + j;
          r[j] = sigmoid(dot(Wl, k * in, x, in) + dot(Rl, k * H, h, H) + Wbl[k] + Rbl[k]);
          rh[j] = r[j] * h[j];
        }
        for (int j = 0; j < H; j++) {
          int k = 2 * H + j;
          float n;
          if (w.linearBeforeReset) {
            n = tanh(dot(Wl, k * in, x, in) + r[j] * (dot(Rl, k * H, h, H) + Rbl[k]) + Wbl[k]);
          } else {
            n = tanh(dot(Wl, k * in, x, in) + dot(Rl, k * H, rh, H) + Rbl[k] + Wbl[k]);
          }
          nh[j] = (1 - z[j]) * n + z[j] * h[j];
        }
        System.arraycopy(nh, 0, h, 0, H);
      }
      case LSTM -> {
        // blocks i, o, f, c:
        // i = sigmoid(.), o = sigmoid(.), f = sigmoid(.), g = tanh(.)
        // C_t = f . C_{t-1} + i . g ;  H_t = o . tanh(C_t)
        float[] nh = new float[H], nc = new float[H];
        for (int j = 0; j < H; j++) {
          float[] a = new float[4];
          for (int g = 0; g < 4; g++) {
            int k = g * H + j;
            a[g] = dot(Wl, k * in, x, in) + dot(Rl, k * H, h, H) + Wbl[k] + Rbl[k];
          }
          float i = sigmoid(a[0]), o = sigmoid(a[1]), f = sigmoid(a[2]), g = tanh(a[3]);
          nc[j] = f * c[j] + i * g;
          nh[j] = o * tanh(nc[j]);
        }
        System.arraycopy(nh, 0, h, 0, H);
        System.arraycopy(nc, 0, c, 0, H);
      }
    }
  }

  static float dot(float[] m, int off, float[] v, int n) {
    float s = 0;
    for (int i = 0; i < n; i++) s += m[off + i] * v[i];
    return s;
  }

  public static float sigmoid(float v) {
    return (float) (1.0 / (1.0 + Math.exp(-v)));
  }

  public static float tanh(float v) {
    return (float) Math.tanh(v);
  }
}
