package io.jamwatch.model;

/**
 * The pure-Java streaming step (T = 1, B = 1), the fast twin of {@link ReferenceForward} (same
 * ONNX equations, tested against it): weights are transposed once ({@link TransposedWeights}, shared with the trainer) so
 * each matrix-vector product is a sequence of axpy updates over contiguous rows (gates[0..GH) +=
 * x_i * Wt[i][0..GH)), which HotSpot's superword pass vectorises; all work buffers are allocated
 * once. The activations are {@link PortableActivations}' (plain double arithmetic, no Math.exp
 * intrinsic), and every loop is plain float arithmetic in a fixed order, which Java defines bit for
 * bit whether or not C2 vectorises it (lanes compute the same expressions; no FMA contraction, no
 * reassociation): a step gives the same bits on every JVM and CPU. This is the {@code java} runtime
 * of the stream and the offline scorer (onnx/ModelRuntime), run on weights read back from the
 * model file's initializers. Not thread-safe: one per thread.
 */
public final class JavaStepper implements Stepper {
  private final NetworkWeights w;
  private final int F, H, L, G;
  private final TransposedWeights t; // WT[l] [In_l][G*H], RT[l] [H][G*H] (row arrays)
  private final float[][] bias; // [L][G*H]        Wb + Rb (for GRU's n block only Wb; Rb_n kept apart)
  private final float[] gates; // [G*H]
  private final float[] rn; // [G*H], used at [2H, 3H): GRU R_n h (+ Rb_n) for lbr=1, or R_n (r . h) for lbr=0
  private final float[] rh; // [H] GRU: r . h
  private final float[] in; // [max(F, H)]
  private final float[] horizonOut; // [K] the extra horizons' probabilities of the last step

  public JavaStepper(NetworkWeights w) {
    this.w = w;
    F = w.inputSize;
    H = w.hiddenSize;
    L = w.layers;
    G = w.cell.gates;
    int gh = G * H;
    t = new TransposedWeights(w);
    bias = new float[L][gh];
    for (int l = 0; l < L; l++) {
      for (int k = 0; k < gh; k++) bias[l][k] = w.Wb[l][k] + w.Rb[l][k];
      if (w.cell == CellType.GRU) {
        // n block: Rb_n goes inside the reset product (lbr=1) or beside it (lbr=0); keep Wb_n only.
        for (int k = 2 * H; k < 3 * H; k++) bias[l][k] = w.Wb[l][k];
      }
    }
    gates = new float[gh];
    rn = new float[gh];
    rh = new float[H];
    in = new float[Math.max(F, H)];
    horizonOut = new float[w.horizons];
  }

  @Override
  public float step(float[] x, float[] h, float[] c, float[] predOut) {
    System.arraycopy(x, 0, in, 0, F);
    if (w.inputClip() > 0f) for (int i = 0; i < F; i++) in[i] = w.clipInput(in[i]);
    int inSize = F;
    for (int l = 0; l < L; l++) {
      layer(l, inSize, h, l * H, c);
      System.arraycopy(h, l * H, in, 0, H);
      inSize = H;
    }
    if (w.hasForecast && predOut != null) {
      // pred = predW h + predB + predSkip . x   (rows of predW are contiguous: dot products)
      for (int i = 0; i < F; i++) {
        float s = w.predB[i];
        int off = i * H;
        for (int j = 0; j < H; j++) s += w.predW[off + j] * in[j];
        predOut[i] = w.predSkip[i] == 0f ? s : s + w.predSkip[i] * x[i];
      }
    }
    if (!w.hasRisk) return Float.NaN;
    for (int k = 0; k < horizonOut.length; k++) {
      // horizonScore_k = sigmoid(horizonW_k . h + horizonB_k)
      float s = w.horizonB[k];
      for (int j = 0; j < H; j++) s += w.horizonW[k * H + j] * in[j];
      horizonOut[k] = sigmoid(s);
    }
    float s = w.riskB[0];
    for (int j = 0; j < H; j++) s += w.riskW[j] * in[j];
    return sigmoid(s);
  }

  /** One layer: h[off..off+H) (and c) updated in place from in[0..inSize). */
  private void layer(int l, int inSize, float[] h, int off, float[] c) {
    int gh = G * H;
    float[] a = gates;
    float[][] wtl = t.WT[l], rtl = t.RT[l];
    System.arraycopy(bias[l], 0, a, 0, gh);
    // a += W x   as axpy over rows of Wt
    Activations.gemvRows(a, 0, in, 0, 1, wtl, 0, inSize, gh);
    switch (w.cell) {
      case RNN -> {
        // H_t = tanh(W x + R H + Wb + Rb)
        axpyRows(rtl, h, off, 0, gh, a);
        for (int j = 0; j < H; j++) h[off + j] = tanh(a[j]);
      }
      case GRU -> {
        // z, r = sigmoid(W x + R H + Wb + Rb) over blocks 0 and 1
        axpyRows(rtl, h, off, 0, 2 * H, a);
        for (int k = 0; k < 2 * H; k++) a[k] = sigmoid(a[k]);
        float[] rb = w.Rb[l];
        if (w.linearBeforeReset) {
          // n = tanh(W_n x + Wb_n + r . (R_n H + Rb_n))
          for (int j = 0; j < H; j++) rn[2 * H + j] = rb[2 * H + j];
          axpyRows(rtl, h, off, 2 * H, H, rn);
          for (int j = 0; j < H; j++) a[2 * H + j] += a[H + j] * rn[2 * H + j];
        } else {
          // n = tanh(W_n x + Wb_n + R_n (r . H) + Rb_n)
          for (int j = 0; j < H; j++) {
            rh[j] = a[H + j] * h[off + j];
            rn[2 * H + j] = rb[2 * H + j];
          }
          axpyRows(rtl, rh, 0, 2 * H, H, rn);
          for (int j = 0; j < H; j++) a[2 * H + j] += rn[2 * H + j];
        }
        // H_t = (1 - z) . n + z . H_{t-1}
        for (int j = 0; j < H; j++) {
          float z = a[j], n = tanh(a[2 * H + j]);
          h[off + j] = (1 - z) * n + z * h[off + j];
        }
      }
      case LSTM -> {
        // i, o, f = sigmoid(.), g = tanh(.);  C_t = f . C + i . g;  H_t = o . tanh(C_t)
        axpyRows(rtl, h, off, 0, gh, a);
        for (int j = 0; j < H; j++) {
          float ig = sigmoid(a[j]), og = sigmoid(a[H + j]), fg = sigmoid(a[2 * H + j]), g = tanh(a[3 * H + j]);
          float cn = fg * c[off + j] + ig * g;
          c[off + j] = cn;
          h[off + j] = og * tanh(cn);
        }
      }
    }
  }

  /**
   * out[col0 + k] += sum_j v[vOff + j] * Mt[j][col0 + k] for k in [0, n), j over H (out and the
   * rows share the offset, see {@link Activations#gemvRows}).
   */
  private void axpyRows(float[][] mt, float[] v, int vOff, int col0, int n, float[] out) {
    Activations.gemvRows(out, col0, v, vOff, 1, mt, 0, H, n);
  }

  private static float sigmoid(float v) {
    return PortableActivations.sigmoid(v);
  }

  private static float tanh(float v) {
    return PortableActivations.tanh(v);
  }

  @Override
  public int inputSize() {
    return F;
  }

  @Override
  public int hiddenSize() {
    return H;
  }

  @Override
  public int layers() {
    return L;
  }

  @Override
  public CellType cell() {
    return w.cell;
  }

  @Override
  public int horizons() {
    return horizonOut.length;
  }

  @Override
  public void horizonScores(float[] out) {
    System.arraycopy(horizonOut, 0, out, 0, horizonOut.length);
  }

  @Override
  public boolean hasRisk() {
    return w.hasRisk;
  }

  @Override
  public boolean hasForecast() {
    return w.hasForecast;
  }
}
