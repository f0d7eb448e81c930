package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
/**
 * The plain double-precision forward and backward pass: one sequence at a time, one step at a
 * time, straight from the ONNX equations, allocation-happy and slow. It exists to be checked
 * against central differences (double is needed: float32 finite differences are too noisy to catch
 * a real bug, as karpathy's min-char-rnn / LSTM gradient checks note) and to check the fast float
 * path ({@link ParallelBackprop}) against. Same loss as {@link BackpropWorker}.
 *
 * <p>Parameters are passed as double arrays in {@link ParameterTensors} order so a gradient check
 * can perturb any one of them.
 */
public final class PlainBackprop {
  private final CellType cell;
  private final boolean lbr;
  private final int F, H, L, G;
  private final boolean hasRisk, hasForecast;
  private final int K;
  private final float[] predSkip; // [F]
  private final float inputClip;

  public PlainBackprop(NetworkWeights shape) {
    cell = shape.cell;
    lbr = shape.linearBeforeReset;
    F = shape.inputSize;
    H = shape.hiddenSize;
    L = shape.layers;
    G = cell.gates;
    hasRisk = shape.hasRisk;
    hasForecast = shape.hasForecast;
    K = shape.horizons;
    predSkip = shape.predSkip.clone();
    inputClip = shape.inputClip();
  }

  private double clipInput(double v) {
    return inputClip > 0f ? Math.max(-inputClip, Math.min(inputClip, v)) : v;
  }

  /** The weights as double arrays in {@link ParameterTensors} order. */
  public static double[][] toDouble(NetworkWeights w) {
    float[][] t = ParameterTensors.of(w);
    double[][] d = new double[t.length][];
    for (int i = 0; i < t.length; i++) {
      d[i] = new double[t[i].length];
      for (int j = 0; j < t[i].length; j++) d[i][j] = t[i][j];
    }
    return d;
  }

  /**
   * Loss of the window and, when {@code grad} is not null, dL/dθ written into it (same shapes as
   * {@code p}). {@code dropMask[l]} [T*B*H] (l &gt;= 1) multiplies the input of layer l; null = no
   * dropout.
   */
  public double lossAndGradient(double[][] p, WindowBatch batch, float posWeight, float[][] dropMask, double[][] grad) {
    int T = batch.T, B = batch.B;
    double nRisk = Math.max(1.0, hasRisk ? batch.riskCount() : 0);
    double nPred = Math.max(1.0, hasForecast ? batch.predCount() : 0);
    double[] nHorizon = batch.horizonCounts();
    if (grad != null) for (double[] g : grad) java.util.Arrays.fill(g, 0);
    double loss = 0;
    for (int b = 0; b < B; b++) {
      // Forward, keeping every intermediate: per layer l and step t.
      double[][][] xin = new double[L][T][];
      double[][][] hs = new double[L][T + 1][H];
      double[][][] cs = new double[L][T + 1][H];
      double[][][] gates = new double[L][T][];
      double[][][] qh = new double[L][T][]; // GRU lbr1: R_h h + Rb_h
      for (int l = 0; l < L; l++) {
        for (int j = 0; j < H; j++) {
          hs[l][0][j] = batch.h0[(l * B + b) * H + j];
          cs[l][0][j] = batch.c0[(l * B + b) * H + j];
        }
        int In = l == 0 ? F : H;
        for (int t = 0; t < T; t++) {
          double[] x = new double[In];
          for (int i = 0; i < In; i++) {
            x[i] =
                l == 0
                    ? clipInput(batch.x[(t * B + b) * F + i])
                    : hs[l - 1][t + 1][i] * (dropMask == null ? 1.0 : dropMask[l][(t * B + b) * H + i]);
          }
          xin[l][t] = x;
          double[] W = p[4 * l], R = p[4 * l + 1], Wb = p[4 * l + 2], Rb = p[4 * l + 3];
          double[] hp = hs[l][t];
          double[] g = new double[G * H];
          switch (cell) {
            case RNN -> {
              for (int k = 0; k < H; k++) g[k] = Math.tanh(lin(W, R, Wb, Rb, k, x, hp));
              hs[l][t + 1] = g.clone();
            }
            case GRU -> {
              for (int k = 0; k < 2 * H; k++) g[k] = sig(lin(W, R, Wb, Rb, k, x, hp));
              double[] q = new double[H];
              for (int k = 0; k < H; k++) {
                int r = 2 * H + k;
                double wx = Wb[r];
                for (int i = 0; i < In; i++) wx += W[r * In + i] * x[i];
                if (lbr) {
                  q[k] = Rb[r];
                  for (int j = 0; j < H; j++) q[k] += R[r * H + j] * hp[j];
                  g[r] = Math.tanh(wx + g[H + k] * q[k]);
                } else {
                  double rr = Rb[r];
                  for (int j = 0; j < H; j++) rr += R[r * H + j] * g[H + j] * hp[j];
                  g[r] = Math.tanh(wx + rr);
                }
              }
              qh[l][t] = q;
              for (int k = 0; k < H; k++) hs[l][t + 1][k] = (1 - g[k]) * g[2 * H + k] + g[k] * hp[k];
            }
            case LSTM -> {
              for (int k = 0; k < 3 * H; k++) g[k] = sig(lin(W, R, Wb, Rb, k, x, hp));
              for (int k = 3 * H; k < 4 * H; k++) g[k] = Math.tanh(lin(W, R, Wb, Rb, k, x, hp));
              for (int k = 0; k < H; k++) {
                cs[l][t + 1][k] = g[2 * H + k] * cs[l][t][k] + g[k] * g[3 * H + k];
                hs[l][t + 1][k] = g[H + k] * Math.tanh(cs[l][t + 1][k]);
              }
            }
          }
          gates[l][t] = g;
        }
      }
      // Heads and loss; dTop[t] = dL/dh_top(t).
      int o = 4 * L;
      double[][] dOut = new double[T][H];
      for (int t = 0; t < T; t++) {
        int tb = t * B + b;
        double[] h = hs[L - 1][t + 1];
        if (hasRisk && batch.riskMask[tb] != 0f) {
          double s = p[o + 1][0];
          for (int j = 0; j < H; j++) s += p[o][j] * h[j];
          double y = batch.riskY[tb], m = batch.riskMask[tb];
          double wy = y > 0.5 ? posWeight : 1.0;
          double sp = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
          loss += m * wy * (sp - y * s) / nRisk;
          if (grad != null) {
            double ds = m * wy * (sig(s) - y) / nRisk;
            for (int j = 0; j < H; j++) {
              grad[o][j] += ds * h[j];
              dOut[t][j] += ds * p[o][j];
            }
            grad[o + 1][0] += ds;
          }
        }
        for (int k = 0; k < K; k++) {
          // extra horizon k: s_k = horizonW_k . h + horizonB_k, unweighted BCE / N_k
          double m = batch.horizonMask[tb * K + k];
          if (m == 0) continue;
          double[] hw = p[o + 4], hb = p[o + 5];
          double s = hb[k];
          for (int j = 0; j < H; j++) s += hw[k * H + j] * h[j];
          double y = batch.horizonY[tb * K + k], nk = Math.max(1.0, nHorizon[k]);
          double sp = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
          loss += m * (sp - y * s) / nk;
          if (grad != null) {
            double ds = m * (sig(s) - y) / nk;
            for (int j = 0; j < H; j++) {
              grad[o + 4][k * H + j] += ds * h[j];
              dOut[t][j] += ds * hw[k * H + j];
            }
            grad[o + 5][k] += ds;
          }
        }
        if (hasForecast && batch.predMask[tb] != 0f) {
          for (int i = 0; i < F; i++) {
            // pred = predW h + predB + predSkip . x   (the skip carries no parameter)
            double m = batch.predMask[tb] * batch.predLoss[tb * F + i];
            double pr = p[o + 3][i] + predSkip[i] * batch.x[tb * F + i];
            for (int j = 0; j < H; j++) pr += p[o + 2][i * H + j] * h[j];
            double e = pr - batch.predY[tb * F + i];
            loss += m * e * e / nPred;
            if (grad != null) {
              double dp = 2 * m * e / nPred;
              for (int j = 0; j < H; j++) {
                grad[o + 2][i * H + j] += dp * h[j];
                dOut[t][j] += dp * p[o + 2][i * H + j];
              }
              grad[o + 3][i] += dp;
            }
          }
        }
      }
      if (grad == null) continue;
      // Backward, top layer first, each over time in reverse.
      for (int l = L - 1; l >= 0; l--) {
        int In = l == 0 ? F : H;
        double[] W = p[4 * l], R = p[4 * l + 1];
        double[] gW = grad[4 * l], gR = grad[4 * l + 1], gWb = grad[4 * l + 2], gRb = grad[4 * l + 3];
        double[][] dBelow = new double[T][In];
        double[] dhNext = new double[H], dcNext = new double[H];
        for (int t = T - 1; t >= 0; t--) {
          double[] g = gates[l][t], hp = hs[l][t], x = xin[l][t];
          double[] dh = new double[H];
          for (int k = 0; k < H; k++) dh[k] = dOut[t][k] + dhNext[k];
          double[] da = new double[G * H]; // dL/d(W x + Wb) per gate row
          double[] dq = new double[G * H]; // dL/d(R hsrc + Rb) per gate row
          double[] dhp = new double[H];
          double[][] hsrc = new double[G * H][]; // the vector R row k multiplies
          for (int k = 0; k < G * H; k++) hsrc[k] = hp;
          switch (cell) {
            case RNN -> {
              for (int k = 0; k < H; k++) da[k] = dq[k] = dh[k] * (1 - g[k] * g[k]);
            }
            case GRU -> {
              double[] rh = new double[H];
              for (int k = 0; k < H; k++) rh[k] = g[H + k] * hp[k];
              double[] dr = new double[H];
              for (int k = 0; k < H; k++) {
                double z = g[k], n = g[2 * H + k];
                double dan = dh[k] * (1 - z) * (1 - n * n);
                da[k] = dh[k] * (hp[k] - n) * z * (1 - z);
                dhp[k] += dh[k] * z;
                da[2 * H + k] = dan;
                if (lbr) {
                  dr[k] = dan * qh[l][t][k];
                  dq[2 * H + k] = dan * g[H + k];
                } else {
                  dq[2 * H + k] = dan;
                  hsrc[2 * H + k] = rh;
                }
              }
              if (!lbr) {
                // d(r.h)_j = sum_k R[2H+k, j] dan_k
                for (int j = 0; j < H; j++) {
                  double drh = 0;
                  for (int k = 0; k < H; k++) drh += R[(2 * H + k) * H + j] * da[2 * H + k];
                  dr[j] = drh * hp[j];
                  dhp[j] += drh * g[H + j];
                }
              }
              for (int k = 0; k < H; k++) da[H + k] = dr[k] * g[H + k] * (1 - g[H + k]);
              for (int k = 0; k < 2 * H; k++) dq[k] = da[k];
            }
            case LSTM -> {
              for (int k = 0; k < H; k++) {
                double i = g[k], o2 = g[H + k], f = g[2 * H + k], gg = g[3 * H + k];
                double tc = Math.tanh(cs[l][t + 1][k]);
                double dc = dcNext[k] + dh[k] * o2 * (1 - tc * tc);
                da[k] = dc * gg * i * (1 - i);
                da[H + k] = dh[k] * tc * o2 * (1 - o2);
                da[2 * H + k] = dc * cs[l][t][k] * f * (1 - f);
                da[3 * H + k] = dc * i * (1 - gg * gg);
                dcNext[k] = dc * f;
              }
              dq = da.clone();
            }
          }
          for (int k = 0; k < G * H; k++) {
            gWb[k] += da[k];
            gRb[k] += dq[k];
            for (int i = 0; i < In; i++) {
              gW[k * In + i] += da[k] * x[i];
              dBelow[t][i] += da[k] * W[k * In + i];
            }
            for (int j = 0; j < H; j++) gR[k * H + j] += dq[k] * hsrc[k][j];
            if (hsrc[k] == hp) for (int j = 0; j < H; j++) dhp[j] += dq[k] * R[k * H + j];
          }
          dhNext = dhp;
        }
        if (l > 0) {
          dOut = new double[T][H];
          for (int t = 0; t < T; t++)
            for (int j = 0; j < H; j++)
              dOut[t][j] = dBelow[t][j] * (dropMask == null ? 1.0 : dropMask[l][(t * B + b) * H + j]);
        }
      }
    }
    return loss;
  }

  /** W_k x + Wb_k + R_k h + Rb_k for gate row k. */
  private double lin(double[] W, double[] R, double[] Wb, double[] Rb, int k, double[] x, double[] h) {
    int In = x.length;
    double s = Wb[k] + Rb[k];
    for (int i = 0; i < In; i++) s += W[k * In + i] * x[i];
    for (int j = 0; j < H; j++) s += R[k * H + j] * h[j];
    return s;
  }

  private static double sig(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }
}
