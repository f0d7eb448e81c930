package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
/**
 * One truncated-BPTT window of a minibatch, time-major like the ONNX tensors: B sequences side by
 * side, T steps each. Buffers are allocated once for the largest window and batch and reused; the
 * current {@code T} and {@code B} say how much of them is in use.
 *
 * <p>Targets: {@code riskY} is the label (1 = jam within the horizon) and {@code riskMask} 1 where
 * the step counts in the loss (0 for in-jam, censored or padded steps). {@code predY} is the next
 * encoded event of the same device and {@code predMask} 0 where there is none; {@code predLoss}
 * weighs its features. With K extra risk horizons, {@code horizonY} / {@code horizonMask} [T, B, K]
 * are their labels and masks and {@code horizonScore} [T, B, K] their forward output. The state {@code h0},
 * {@code c0} enters the window without gradient (truncated BPTT); {@code h1}, {@code c1} receive the
 * state after the last step so the caller can carry it into the next window.
 */
public final class WindowBatch {
  public final int inputSize; // F
  public final int stateSize; // L*H
  public final int maxT;
  public final int maxB;
  public final int horizons; // K
  public int T;
  public int B;

  public final float[] x; // [T, B, F]
  public final float[] riskY; // [T, B]
  public final float[] riskMask; // [T, B]
  public final float[] predY; // [T, B, F]
  public final float[] predMask; // [T, B]
  /**
   * [T, B, F] which features of the forecast count in its loss (1 everywhere unless the caller
   * restricts it, e.g. to the value features present in the target).
   */
  public final float[] predLoss;
  public final float[] h0; // [L, B, H]
  public final float[] c0; // [L, B, H]
  public final float[] h1; // [L, B, H]
  public final float[] c1; // [L, B, H]
  /** Forward outputs: score [T, B] (risk head) and pred [T, B, F] (forecast head). */
  public final float[] score;

  /** The risk head's logit [T, B] (score = sigmoid(logit)), kept for calibration. */
  public final float[] logit;

  public final float[] pred;

  public final float[] horizonY; // [T, B, K]
  public final float[] horizonMask; // [T, B, K]
  public final float[] horizonScore; // [T, B, K]

  public WindowBatch(int inputSize, int layers, int hidden, int maxT, int maxB) {
    this(inputSize, layers, hidden, maxT, maxB, 0);
  }

  public WindowBatch(int inputSize, int layers, int hidden, int maxT, int maxB, int horizons) {
    if (horizons < 0) throw new IllegalArgumentException("horizons must be >= 0");
    this.horizons = horizons;
    if (maxT < 1 || maxB < 1) throw new IllegalArgumentException("window and batch must be >= 1");
    this.inputSize = inputSize;
    this.stateSize = layers * hidden;
    this.maxT = maxT;
    this.maxB = maxB;
    this.T = maxT;
    this.B = maxB;
    x = new float[maxT * maxB * inputSize];
    riskY = new float[maxT * maxB];
    riskMask = new float[maxT * maxB];
    predY = new float[maxT * maxB * inputSize];
    predMask = new float[maxT * maxB];
    predLoss = new float[maxT * maxB * inputSize];
    java.util.Arrays.fill(predLoss, 1f);
    h0 = new float[layers * maxB * hidden];
    c0 = new float[layers * maxB * hidden];
    h1 = new float[layers * maxB * hidden];
    c1 = new float[layers * maxB * hidden];
    score = new float[maxT * maxB];
    logit = new float[maxT * maxB];
    pred = new float[maxT * maxB * inputSize];
    horizonY = new float[maxT * maxB * horizons];
    horizonMask = new float[maxT * maxB * horizons];
    horizonScore = new float[maxT * maxB * horizons];
  }

  public static WindowBatch forNetwork(NetworkWeights w, int maxT, int maxB) {
    return new WindowBatch(w.inputSize, w.layers, w.hiddenSize, maxT, maxB, w.horizons);
  }

  /** Sets the size in use for the next call; the caller fills the arrays for [0, T) x [0, B). */
  public void resize(int T, int B) {
    if (T < 1 || T > maxT || B < 1 || B > maxB)
      throw new IllegalArgumentException("window " + T + "x" + B + " exceeds " + maxT + "x" + maxB);
    this.T = T;
    this.B = B;
  }

  /** Sum of riskMask over the window: the BCE normaliser. */
  public double riskCount() {
    double n = 0;
    for (int i = 0; i < T * B; i++) n += riskMask[i];
    return n;
  }

  /** Per extra horizon k, the sum of its mask over the window: its BCE normaliser [K]. */
  public double[] horizonCounts() {
    double[] n = new double[horizons];
    for (int i = 0; i < T * B; i++) for (int k = 0; k < horizons; k++) n[k] += horizonMask[i * horizons + k];
    return n;
  }

  /** Sum of predMask times predLoss over the window: the MSE normaliser. */
  public double predCount() {
    double n = 0;
    for (int i = 0; i < T * B; i++) {
      if (predMask[i] == 0f) continue;
      double r = 0;
      for (int k = 0; k < inputSize; k++) r += predLoss[i * inputSize + k];
      n += predMask[i] * r;
    }
    return n;
  }
}
