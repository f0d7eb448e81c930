package io.jamwatch.train;

import io.jamwatch.model.Activations;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.TransposedWeights;
import static io.jamwatch.model.Activations.axpy;
import static io.jamwatch.model.Activations.dot;
import static io.jamwatch.model.Activations.gemvRows;
import static io.jamwatch.model.Activations.sigmoid;
import static io.jamwatch.model.Activations.tanh;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Forward and backward pass (BPTT within one window) of a stacked RNN / GRU / LSTM and its heads,
 * for a contiguous slice [b0, b1) of a {@link WindowBatch}, in float32 over preallocated buffers.
 * Layer by layer over the whole window (as cuDNN does): the matrix products are axpy loops over
 * contiguous rows of length G*H, which C2 vectorises. One worker per thread; {@link
 * ParallelBackprop} splits the batch and reduces the per-worker gradients in a fixed order.
 *
 * <p>Equations: ONNX RNN-14 / GRU-14 / LSTM-14 (see {@link ReferenceForward}). Loss of a window:
 *
 * <pre>
 *   L = sum_{t,b} riskMask * w(y) * BCE(sigmoid(s), y) / N_risk
 *     + sum_k sum_{t,b} horizonMask_k * BCE(sigmoid(s_k), horizonY_k) / N_k      (extra horizons, unweighted)
 *     + sum_{t,b,i} predMask * predLoss_i * (pred_i - predY_i)^2 / N_pred
 *   s = riskW . h_top + riskB,  s_k = horizonW_k . h_top + horizonB_k,  pred = predW h_top + predB + predSkip . x,  w(1) = posWeight, w(0) = 1
 * </pre>
 *
 * with N_risk = sum riskMask, N_k = sum horizonMask_k and N_pred = sum predMask * predLoss over the whole batch (not the slice),
 * so the slices' losses and gradients add up to those of the batch.
 */
final class BackpropWorker {
  private final CellType cell;
  private final boolean lbr;
  private final int F, H, L, G, GH, maxT, maxNb;

  // Forward storage, per layer l (nb = sequences in this slice):
  private final float[][] in; // [L][maxT * nb * In_l] layer input (layer 0: x; above: dropped-out h of l-1)
  private final float[][] hs; // [L][(maxT+1) * nb * H] h_t, slot 0 = h0
  private final float[][] cs; // [L][(maxT+1) * nb * H] LSTM c_t, slot 0 = c0
  private final float[][] act; // [L][maxT * nb * GH] gates: RNN h; GRU z,r,n; LSTM i,o,f,g
  private final float[][] aux; // [L][maxT * nb * H] GRU lbr0 r.h_{t-1}; GRU lbr1 R_h h_{t-1}+Rb_h; LSTM tanh(c_t)
  final float[][] drop; // [L][maxT * nb * H] inverted-dropout mask of the input of layer l > 0

  // Backward scratch.
  private final float[] dOut; // [maxT * nb * H] dL/dh_t of the current layer from above (heads or layer l+1)
  private final float[] dIn; // [maxT * nb * H] dL/d(input of the current layer), l > 0
  private final float[] dhNext; // [nb * H]
  private final float[] dcNext; // [nb * H]
  private final float[] a, q; // [GH]
  private final float[][] da, dq; // [nb][GH] per step: dL/d(W x + Wb), dL/d(R hsrc + Rb) of each sequence
  private final float[][] dhp; // [nb][H] per step: dL/dh_{t-1} of each sequence
  private final float[] dh, drh; // [H]
  private final float[] dInRow; // [H]

  // Gradients, W and R transposed and split in rows (dWT [L][In][GH], dRT [L][H][GH]) so the
  // updates are contiguous axpys; dWb, dRb [L][GH].
  final float[][][] dWT, dRT;
  final float[][] dWb, dRb;
  final float[] dRiskW, dRiskB, dPredW, dPredB, dHorizonW, dHorizonB;
  private final int K;

  BackpropWorker(NetworkWeights w, int maxT, int maxNb) {
    cell = w.cell;
    lbr = w.linearBeforeReset;
    F = w.inputSize;
    H = w.hiddenSize;
    L = w.layers;
    G = cell.gates;
    GH = G * H;
    this.maxT = maxT;
    this.maxNb = maxNb;
    in = new float[L][];
    hs = new float[L][];
    cs = new float[L][];
    act = new float[L][];
    aux = new float[L][];
    drop = new float[L][];
    dWT = new float[L][][];
    dRT = new float[L][][];
    dWb = new float[L][];
    dRb = new float[L][];
    for (int l = 0; l < L; l++) {
      int In = w.layerInput(l);
      in[l] = new float[maxT * maxNb * In];
      hs[l] = new float[(maxT + 1) * maxNb * H];
      cs[l] = new float[cell.hasCellState() ? (maxT + 1) * maxNb * H : 0];
      act[l] = new float[maxT * maxNb * GH];
      aux[l] = new float[cell == CellType.RNN ? 0 : maxT * maxNb * H];
      drop[l] = new float[l == 0 ? 0 : maxT * maxNb * H];
      dWT[l] = new float[In][GH];
      dRT[l] = new float[H][GH];
      dWb[l] = new float[GH];
      dRb[l] = new float[GH];
    }
    dOut = new float[maxT * maxNb * H];
    dIn = new float[maxT * maxNb * H];
    dhNext = new float[maxNb * H];
    dcNext = new float[maxNb * H];
    a = new float[GH];
    q = new float[GH];
    da = new float[maxNb][GH];
    dq = new float[maxNb][GH];
    dhp = new float[maxNb][H];
    dInRow = new float[H];
    dh = new float[H];
    drh = new float[H];
    dRiskW = new float[w.riskW.length];
    dRiskB = new float[w.riskB.length];
    dPredW = new float[w.predW.length];
    dPredB = new float[w.predB.length];
    K = w.horizons;
    dHorizonW = new float[w.horizonW.length];
    dHorizonB = new float[w.horizonB.length];
  }

  /** Mean over H of gate block {@code block} of layer l at step t, sequence bb of the last forward. */
  float gateMean(int l, int block, int t, int bb, int nb) {
    int go = (t * nb + bb) * GH + block * H;
    float s = 0;
    for (int k = 0; k < H; k++) s += act[l][go + k];
    return s / H;
  }

  void zeroGradients() {
    for (int l = 0; l < L; l++) {
      for (float[] row : dWT[l]) Arrays.fill(row, 0f);
      for (float[] row : dRT[l]) Arrays.fill(row, 0f);
      Arrays.fill(dWb[l], 0f);
      Arrays.fill(dRb[l], 0f);
    }
    Arrays.fill(dRiskW, 0f);
    Arrays.fill(dRiskB, 0f);
    Arrays.fill(dPredW, 0f);
    Arrays.fill(dPredB, 0f);
    Arrays.fill(dHorizonW, 0f);
    Arrays.fill(dHorizonB, 0f);
  }

  /**
   * Runs the slice [b0, b1): forward (writing score, pred, h1, c1 of the batch), the loss, and when
   * {@code backward} the gradients added into this worker's accumulators. Dropout (rate p, inverted)
   * is applied to the inputs of layers above the first when {@code dropoutRng} is not null.
   *
   * @return the slice's share of the window loss
   */
  double run(
      NetworkWeights w,
      TransposedWeights tw,
      WindowBatch batch,
      int b0,
      int b1,
      boolean backward,
      float dropout,
      SplittableRandom dropoutRng,
      float posWeight,
      double nRisk,
      double[] nHorizon,
      double nPred) {
    int T = batch.T, B = batch.B, nb = b1 - b0;
    if (T > maxT || nb > maxNb) throw new IllegalArgumentException("window larger than the worker's buffers");
    // Layer 0's input is the slice of x; states enter from h0 / c0.
    for (int t = 0; t < T; t++)
      System.arraycopy(batch.x, (t * B + b0) * F, in[0], t * nb * F, nb * F);
    if (w.inputClip() > 0f) for (int i = 0; i < T * nb * F; i++) in[0][i] = w.clipInput(in[0][i]);
    for (int l = 0; l < L; l++) {
      System.arraycopy(batch.h0, (l * B + b0) * H, hs[l], 0, nb * H);
      if (cell.hasCellState()) System.arraycopy(batch.c0, (l * B + b0) * H, cs[l], 0, nb * H);
      if (l > 0) dropLayerInput(l, T, nb, dropout, dropoutRng);
      forwardLayer(w, tw, l, T, nb);
      System.arraycopy(hs[l], T * nb * H, batch.h1, (l * B + b0) * H, nb * H);
      if (cell.hasCellState()) System.arraycopy(cs[l], T * nb * H, batch.c1, (l * B + b0) * H, nb * H);
    }
    double loss = heads(w, batch, b0, nb, backward, posWeight, nRisk, nHorizon, nPred);
    if (!backward) return loss;
    for (int l = L - 1; l >= 0; l--) {
      backwardLayer(w, tw, l, T, nb);
      if (l > 0) {
        // The layer below's output gradient is this layer's input gradient through the dropout mask.
        float[] m = drop[l];
        for (int i = 0; i < T * nb * H; i++) dOut[i] = dIn[i] * m[i];
      }
    }
    return loss;
  }

  /** in_l[t,b,:] = h_{l-1}[t+1,b,:] * mask, mask = Bernoulli(1-p) / (1-p) (inverted dropout). */
  private void dropLayerInput(int l, int T, int nb, float p, SplittableRandom rng) {
    float[] src = hs[l - 1], dst = in[l], m = drop[l];
    int n = T * nb * H;
    if (rng == null || p <= 0f) {
      Arrays.fill(m, 0, n, 1f);
    } else {
      float keep = 1f / (1f - p);
      for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < p ? 0f : keep;
    }
    for (int i = 0; i < n; i++) dst[i] = src[nb * H + i] * m[i];
  }

  private void forwardLayer(NetworkWeights w, TransposedWeights tw, int l, int T, int nb) {
    int In = w.layerInput(l);
    float[][] WT = tw.WT[l], RT = tw.RT[l];
    float[] Wb = w.Wb[l], Rb = w.Rb[l];
    float[] x = in[l], h = hs[l], c = cs[l], g = act[l], ax = aux[l];
    for (int t = 0; t < T; t++) {
      for (int bb = 0; bb < nb; bb++) {
        int xo = (t * nb + bb) * In, hp = (t * nb + bb) * H, ho = ((t + 1) * nb + bb) * H;
        int go = (t * nb + bb) * GH, xa = (t * nb + bb) * H;
        // a = W x + Wb            [GH]
        System.arraycopy(Wb, 0, a, 0, GH);
        gemvRows(a, 0, x, xo, 1, WT, 0, In, GH);
        // q = R h_{t-1} + Rb      [GH]  (GRU lbr0: the h block is redone below with r . h_{t-1})
        System.arraycopy(Rb, 0, q, 0, GH);
        int qCols = cell == CellType.GRU && !lbr ? 2 * H : GH;
        gemvRows(q, 0, h, hp, 1, RT, 0, H, qCols);
        switch (cell) {
          case RNN -> {
            // H_t = tanh(W x + R H_{t-1} + Wb + Rb)
            for (int k = 0; k < H; k++) {
              float v = tanh(a[k] + q[k]);
              g[go + k] = v;
              h[ho + k] = v;
            }
          }
          case GRU -> {
            // z = sigmoid(a_z + q_z), r = sigmoid(a_r + q_r)
            for (int k = 0; k < 2 * H; k++) g[go + k] = sigmoid(a[k] + q[k]);
            if (lbr) {
              // n = tanh(a_h + r . (R_h H_{t-1} + Rb_h))
              for (int k = 0; k < H; k++) {
                ax[xa + k] = q[2 * H + k];
                g[go + 2 * H + k] = tanh(a[2 * H + k] + g[go + H + k] * q[2 * H + k]);
              }
            } else {
              // n = tanh(a_h + R_h (r . H_{t-1}) + Rb_h)
              for (int j = 0; j < H; j++) ax[xa + j] = g[go + H + j] * h[hp + j];
              gemvRows(q, 2 * H, ax, xa, 1, RT, 0, H, H);
              for (int k = 0; k < H; k++) g[go + 2 * H + k] = tanh(a[2 * H + k] + q[2 * H + k]);
            }
            // H_t = (1 - z) . n + z . H_{t-1}
            for (int k = 0; k < H; k++) {
              float z = g[go + k];
              h[ho + k] = (1 - z) * g[go + 2 * H + k] + z * h[hp + k];
            }
          }
          case LSTM -> {
            // i, o, f = sigmoid(a + q); g = tanh(a + q); C_t = f . C_{t-1} + i . g; H_t = o . tanh(C_t)
            for (int k = 0; k < 3 * H; k++) g[go + k] = sigmoid(a[k] + q[k]);
            for (int k = 3 * H; k < GH; k++) g[go + k] = tanh(a[k] + q[k]);
            for (int k = 0; k < H; k++) {
              float ct = g[go + 2 * H + k] * c[hp + k] + g[go + k] * g[go + 3 * H + k];
              c[ho + k] = ct;
              float tc = tanh(ct);
              ax[xa + k] = tc;
              h[ho + k] = g[go + H + k] * tc;
            }
          }
        }
      }
    }
  }

  /** Heads forward (into the batch's score / pred), the loss, and dL/dh_top into dOut. */
  private double heads(
      NetworkWeights w, WindowBatch batch, int b0, int nb, boolean backward, float posWeight,
      double nRisk, double[] nHorizon, double nPred) {
    int T = batch.T, B = batch.B;
    float[] top = hs[L - 1];
    double loss = 0;
    if (backward) Arrays.fill(dOut, 0, T * nb * H, 0f);
    float invRisk = (float) (1.0 / Math.max(1.0, nRisk));
    float invPred = (float) (1.0 / Math.max(1.0, nPred));
    for (int t = 0; t < T; t++) {
      for (int bb = 0; bb < nb; bb++) {
        int ho = ((t + 1) * nb + bb) * H, tb = t * B + b0 + bb, d = (t * nb + bb) * H;
        if (w.hasRisk) {
          // s = riskW . h + riskB; p = sigmoid(s)
          float s = w.riskB[0] + dot(w.riskW, 0, top, ho, H);
          float p = sigmoid(s);
          batch.score[tb] = p;
          batch.logit[tb] = s;
          float m = batch.riskMask[tb];
          if (m != 0f) {
            float y = batch.riskY[tb];
            float wy = y > 0.5f ? posWeight : 1f;
            // BCE from the logit, stable: softplus(s) - y s
            double sp = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
            loss += m * wy * (sp - y * s) * invRisk;
            if (backward) {
              // dL/ds = m w (p - y) / N_risk
              float ds = m * wy * (p - y) * invRisk;
              axpy(dRiskW, 0, ds, top, ho, H);
              dRiskB[0] += ds;
              axpy(dOut, d, ds, w.riskW, 0, H);
            }
          }
        }
        for (int k = 0; k < K; k++) {
          // s_k = horizonW_k . h + horizonB_k; unweighted BCE, so p_k stays a probability
          float s = w.horizonB[k] + dot(w.horizonW, k * H, top, ho, H);
          float p = sigmoid(s);
          int hk = tb * K + k;
          batch.horizonScore[hk] = p;
          float m = batch.horizonMask[hk];
          if (m == 0f) continue;
          float y = batch.horizonY[hk];
          float inv = (float) (1.0 / Math.max(1.0, nHorizon[k]));
          double sp = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
          loss += m * (sp - y * s) * inv;
          if (backward) {
            float ds = m * (p - y) * inv;
            axpy(dHorizonW, k * H, ds, top, ho, H);
            dHorizonB[k] += ds;
            axpy(dOut, d, ds, w.horizonW, k * H, H);
          }
        }
        if (w.hasForecast) {
          // pred = predW h + predB + predSkip . x   (x enters without a parameter: no gradient term)
          float mt = batch.predMask[tb];
          int po = tb * F;
          for (int i = 0; i < F; i++) {
            float p = w.predB[i] + dot(w.predW, i * H, top, ho, H);
            if (w.predSkip[i] != 0f) p += w.predSkip[i] * batch.x[po + i];
            batch.pred[po + i] = p;
            float m = mt * batch.predLoss[po + i];
            if (m != 0f) {
              float e = p - batch.predY[po + i];
              loss += (double) m * e * e * invPred;
              if (backward) {
                // dL/dpred_i = 2 m e / N_pred
                float dp = 2f * m * e * invPred;
                axpy(dPredW, i * H, dp, top, ho, H);
                dPredB[i] += dp;
                axpy(dOut, d, dp, w.predW, i * H, H);
              }
            }
          }
        }
      }
    }
    return loss;
  }

  /**
   * BPTT through layer l over the window, from dOut; writes dIn for l &gt; 0 and adds the gradients.
   * Per step: first the cell's local derivatives of every sequence, then the weight gradients summed
   * over the sequences four at a time ({@link Activations#gemvRows}), then dh_{t-1} and the input
   * gradient.
   */
  private void backwardLayer(NetworkWeights w, TransposedWeights tw, int l, int T, int nb) {
    int In = w.layerInput(l);
    float[][] Wr = tw.Wr[l], Rr = tw.Rr[l];
    float[] x = in[l], h = hs[l], c = cs[l], g = act[l], ax = aux[l];
    float[][] gWT = dWT[l], gRT = dRT[l];
    float[] gWb = dWb[l], gRb = dRb[l];
    Arrays.fill(dhNext, 0, nb * H, 0f);
    Arrays.fill(dcNext, 0, nb * H, 0f);
    if (l > 0) Arrays.fill(dIn, 0, T * nb * In, 0f);
    boolean gru0 = cell == CellType.GRU && !lbr;
    int rCols = gru0 ? 2 * H : GH; // R columns (rows of R) that multiply h_{t-1} itself
    for (int t = T - 1; t >= 0; t--) {
      int row0 = t * nb;
      for (int bb = 0; bb < nb; bb++) {
        int hp = (row0 + bb) * H, go = (row0 + bb) * GH, xa = hp, sb = bb * H;
        float[] da = this.da[bb], dq = this.dq[bb], dhp = this.dhp[bb];
        // dh = dL/dh_t from above + from step t+1
        for (int k = 0; k < H; k++) dh[k] = dOut[xa + k] + dhNext[sb + k];
        Arrays.fill(dhp, 0f);
        switch (cell) {
          case RNN -> {
            // h = tanh(a + q): da = dq = dh (1 - h^2)
            for (int k = 0; k < H; k++) {
              float v = g[go + k];
              da[k] = dh[k] * (1 - v * v);
              dq[k] = da[k];
            }
          }
          case GRU -> {
            for (int k = 0; k < H; k++) {
              float z = g[go + k], n = g[go + 2 * H + k], hv = h[hp + k];
              // h = (1-z) n + z h_{t-1}
              float dn = dh[k] * (1 - z);
              float dz = dh[k] * (hv - n);
              dhp[k] = dh[k] * z;
              da[k] = dz * z * (1 - z);
              da[2 * H + k] = dn * (1 - n * n); // d(pre-activation of n)
            }
            if (lbr) {
              // n = tanh(a_h + r . q_h): dr = dan . q_h; dq_h = dan . r
              for (int k = 0; k < H; k++) {
                float r = g[go + H + k], dan = da[2 * H + k];
                da[H + k] = dan * ax[xa + k] * r * (1 - r);
                dq[2 * H + k] = dan * r;
              }
            } else {
              // n = tanh(a_h + R_h (r . h_{t-1}) + Rb_h): d(r.h) = R_h^T dan
              System.arraycopy(da, 2 * H, dq, 2 * H, H);
              Arrays.fill(drh, 0f);
              gemvRows(drh, 0, da, 2 * H, 1, Rr, 2 * H, H, H);
              for (int k = 0; k < H; k++) {
                float r = g[go + H + k];
                da[H + k] = drh[k] * h[hp + k] * r * (1 - r);
                dhp[k] += drh[k] * r;
              }
            }
            System.arraycopy(da, 0, dq, 0, 2 * H);
          }
          case LSTM -> {
            for (int k = 0; k < H; k++) {
              float i = g[go + k], o = g[go + H + k], f = g[go + 2 * H + k], gg = g[go + 3 * H + k];
              float tc = ax[xa + k];
              // h = o tanh(c); c = f c_{t-1} + i g
              float dct = dcNext[sb + k] + dh[k] * o * (1 - tc * tc);
              da[k] = dct * gg * i * (1 - i);
              da[H + k] = dh[k] * tc * o * (1 - o);
              da[2 * H + k] = dct * c[hp + k] * f * (1 - f);
              da[3 * H + k] = dct * i * (1 - gg * gg);
              dcNext[sb + k] = dct * f;
            }
            System.arraycopy(da, 0, dq, 0, GH);
          }
        }
      }
      // Parameter gradients summed over the step's sequences: dWb += da, dRb += dq,
      // dW += da x^T, dR += dq hsrc^T (GRU lbr0: the h block's hsrc is r . h_{t-1}).
      for (int bb = 0; bb < nb; bb++) {
        float[] dab = da[bb], dqb = dq[bb];
        for (int k = 0; k < GH; k++) {
          gWb[k] += dab[k];
          gRb[k] += dqb[k];
        }
      }
      for (int i = 0; i < In; i++) gemvRows(gWT[i], 0, x, row0 * In + i, In, da, 0, nb, GH);
      for (int j = 0; j < H; j++) gemvRows(gRT[j], 0, h, row0 * H + j, H, dq, 0, nb, rCols);
      if (gru0) for (int j = 0; j < H; j++) gemvRows(gRT[j], 2 * H, ax, row0 * H + j, H, dq, 0, nb, H);
      // dh_{t-1} += R^T dq (GRU lbr0: the h block went through r . h_{t-1} above); d input = W^T da
      for (int bb = 0; bb < nb; bb++) {
        gemvRows(dhp[bb], 0, dq[bb], 0, 1, Rr, 0, rCols, H);
        System.arraycopy(dhp[bb], 0, dhNext, bb * H, H);
        if (l > 0) {
          Arrays.fill(dInRow, 0, In, 0f);
          gemvRows(dInRow, 0, da[bb], 0, 1, Wr, 0, GH, In);
          System.arraycopy(dInRow, 0, dIn, (row0 + bb) * In, In);
        }
      }
    }
  }
}
