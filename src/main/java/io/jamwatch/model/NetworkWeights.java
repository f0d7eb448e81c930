package io.jamwatch.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The parameters of a stacked recurrent network and its heads, stored in ONNX layout so that export
 * is a copy, not a shuffle (ONNX operator pages RNN-14, GRU-14, LSTM-14).
 *
 * <p>Shapes (row-major, contiguous rows):
 *
 * <ul>
 *   <li>{@code W[l]}  [G*H, In_l] with In_0 = F, In_l = H for l &gt; 0; gate blocks of H rows in ONNX
 *       order (GRU z,r,h; LSTM i,o,f,c; RNN one block).
 *   <li>{@code R[l]}  [G*H, H]
 *   <li>{@code Wb[l]} [G*H], {@code Rb[l]} [G*H] (ONNX's B input is Wb concatenated with Rb).
 *   <li>risk head: {@code riskW} [H], {@code riskB} [1]: score = sigmoid(riskW . h_top + riskB);
 *       calibration (Platt) is folded into these two before export.
 *   <li>horizon ladder (optional, beside the risk head): {@code horizonW} [K, H], {@code horizonB} [K]:
 *       horizonScore_k = sigmoid(horizonW_k . h_top + horizonB_k), the probability of a jam within the
 *       k-th extra horizon (the horizons themselves, in seconds, are in the model metadata). Trained
 *       with unweighted BCE, so each is a probability without a separate calibration step.
 *   <li>forecast head: {@code predW} [F, H], {@code predB} [F]: pred = predW h_top + predB + predSkip . x.
 *   <li>{@code predSkip} [F], fixed (not trained): 1 on the features whose forecast is the change from
 *       the current value (a residual forecast: pred_i = x_i + delta_i(h), so a zero head is exactly
 *       persistence, "repeat the last value"), 0 elsewhere; all 0 = the plain linear head.
 *   <li>{@code inputClip}, fixed: the first layer's input is x clipped to +-inputClip (0 = off).
 * </ul>
 *
 * <p>GRU's {@code linearBeforeReset} is carried explicitly: with 0 the reset gate multiplies
 * H_{t-1} before R_h; with 1 it multiplies (R_h H_{t-1} + Rb_h). A wrong value raises no error, it
 * only gives wrong numbers, so the exporter writes exactly this flag.
 */
public final class NetworkWeights {
  public final CellType cell;
  public final int inputSize; // F
  public final int hiddenSize; // H
  public final int layers; // L
  public final boolean linearBeforeReset;
  public final boolean hasRisk;
  public final boolean hasForecast;
  public final int horizons; // K extra risk horizons (0 = none)

  public final float[][] W; // [L][G*H*In_l]
  public final float[][] R; // [L][G*H*H]
  public final float[][] Wb; // [L][G*H]
  public final float[][] Rb; // [L][G*H]
  public final float[] riskW; // [H] (length 0 without a risk head)
  public final float[] riskB; // [1] (length 0 without a risk head)
  public final float[] horizonW; // [K*H] (length 0 without extra horizons)
  public final float[] horizonB; // [K]
  public final float[] predW; // [F*H] (length 0 without a forecast head)
  public final float[] predB; // [F]   (length 0 without a forecast head)
  public final float[] predSkip; // [F] 0 or 1, fixed (length 0 without a forecast head)
  private float inputClip; // > 0: the recurrent layers see x clipped to [-inputClip, inputClip]; 0 = unclipped

  public NetworkWeights(
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      boolean linearBeforeReset,
      boolean hasRisk,
      boolean hasForecast) {
    this(cell, inputSize, hiddenSize, layers, linearBeforeReset, hasRisk, hasForecast, 0);
  }

  /** As above, with {@code horizons} extra risk horizons (needs the risk head). */
  public NetworkWeights(
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      boolean linearBeforeReset,
      boolean hasRisk,
      boolean hasForecast,
      int horizons) {
    if (cell == null) throw new IllegalArgumentException("cell must be set");
    if (inputSize < 1) throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
    if (hiddenSize < 1) throw new IllegalArgumentException("hiddenSize must be >= 1, got " + hiddenSize);
    if (layers < 1 || layers > 4) throw new IllegalArgumentException("layers must be 1..4, got " + layers);
    if (!hasRisk && !hasForecast) throw new IllegalArgumentException("a network needs at least one head");
    if (linearBeforeReset && cell != CellType.GRU)
      throw new IllegalArgumentException("linearBeforeReset applies to GRU only");
    if (horizons < 0 || horizons > 8) throw new IllegalArgumentException("extra horizons must be 0..8, got " + horizons);
    if (horizons > 0 && !hasRisk) throw new IllegalArgumentException("extra risk horizons need the risk head");
    this.cell = cell;
    this.horizons = horizons;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.layers = layers;
    this.linearBeforeReset = linearBeforeReset;
    this.hasRisk = hasRisk;
    this.hasForecast = hasForecast;
    int gh = cell.gates * hiddenSize;
    W = new float[layers][];
    R = new float[layers][];
    Wb = new float[layers][];
    Rb = new float[layers][];
    for (int l = 0; l < layers; l++) {
      W[l] = new float[gh * layerInput(l)];
      R[l] = new float[gh * hiddenSize];
      Wb[l] = new float[gh];
      Rb[l] = new float[gh];
    }
    riskW = new float[hasRisk ? hiddenSize : 0];
    riskB = new float[hasRisk ? 1 : 0];
    horizonW = new float[horizons * hiddenSize];
    horizonB = new float[horizons];
    predW = new float[hasForecast ? inputSize * hiddenSize : 0];
    predB = new float[hasForecast ? inputSize : 0];
    predSkip = new float[hasForecast ? inputSize : 0];
  }

  /**
   * Makes the forecast of features {@code idx} residual: pred_i = x_i + predW_i h + predB_i. The
   * head of those features is scaled to {@code headScale} of its value (e.g. 0.01 right after random
   * initialisation, so the untrained forecast starts next to persistence).
   */
  public void makeResidual(int[] idx, float headScale) {
    if (!hasForecast) throw new IllegalArgumentException("a residual forecast needs the forecast head");
    for (int i : idx) {
      if (i < 0 || i >= inputSize) throw new IllegalArgumentException("residual feature " + i + " outside 0.." + (inputSize - 1));
      predSkip[i] = 1f;
      for (int j = 0; j < hiddenSize; j++) predW[i * hiddenSize + j] *= headScale;
      predB[i] *= headScale;
    }
  }

  /**
   * The first layer sees x clipped to [-c, c] (c &gt; 0; 0 = off), while a residual forecast adds the
   * unclipped x: a level far outside the training range cannot saturate the cells, yet the
   * forecast follows it (the encoder's own clip can then be wide).
   */
  public void setInputClip(float c) {
    if (!(c >= 0) || !Float.isFinite(c)) throw new IllegalArgumentException("input clip must be finite and >= 0, got " + c);
    inputClip = c;
  }

  /** See {@link #setInputClip}; 0 = off. */
  public float inputClip() {
    return inputClip;
  }

  /** x clipped as the first layer sees it. */
  public float clipInput(float v) {
    return inputClip > 0f ? Math.max(-inputClip, Math.min(inputClip, v)) : v;
  }

  /** Whether any forecast feature is residual. */
  public boolean hasResidualForecast() {
    for (float v : predSkip) if (v != 0f) return true;
    return false;
  }

  /** Input width of layer l: F for the first layer, H above it. */
  public int layerInput(int l) {
    return l == 0 ? inputSize : hiddenSize;
  }

  /** Size of the state vector h (and c for LSTM) for one sequence: L * H. */
  public int stateSize() {
    return layers * hiddenSize;
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    long n = riskW.length + riskB.length + horizonW.length + horizonB.length + predW.length + predB.length;
    for (int l = 0; l < layers; l++) n += W[l].length + R[l].length + Wb[l].length + Rb[l].length;
    return n;
  }

  /**
   * Uniform(-1/sqrt(H), 1/sqrt(H)) initialisation (the PyTorch / Keras default for recurrent
   * layers), LSTM forget-gate bias 1 (Jozefowicz et al. 2015), heads small.
   */
  public static NetworkWeights random(
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      boolean linearBeforeReset,
      boolean hasRisk,
      boolean hasForecast,
      SplittableRandom rng) {
    return random(cell, inputSize, hiddenSize, layers, linearBeforeReset, hasRisk, hasForecast, 0, rng);
  }

  /** As above, with {@code horizons} extra risk horizons (drawn after every other tensor). */
  public static NetworkWeights random(
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      boolean linearBeforeReset,
      boolean hasRisk,
      boolean hasForecast,
      int horizons,
      SplittableRandom rng) {
    NetworkWeights w =
        new NetworkWeights(cell, inputSize, hiddenSize, layers, linearBeforeReset, hasRisk, hasForecast, horizons);
    float k = (float) (1.0 / Math.sqrt(hiddenSize));
    for (int l = 0; l < layers; l++) {
      fill(w.W[l], k, rng);
      fill(w.R[l], k, rng);
      fill(w.Wb[l], k, rng);
      fill(w.Rb[l], k, rng);
      if (cell == CellType.LSTM) {
        // ONNX LSTM order i, o, f, c: the forget block is rows [2H, 3H).
        Arrays.fill(w.Wb[l], 2 * hiddenSize, 3 * hiddenSize, 1f);
        Arrays.fill(w.Rb[l], 2 * hiddenSize, 3 * hiddenSize, 0f);
      }
    }
    fill(w.riskW, k, rng);
    fill(w.predW, k, rng);
    fill(w.horizonW, k, rng); // last, so a model without extra horizons draws exactly as before
    return w;
  }

  private static void fill(float[] a, float k, SplittableRandom rng) {
    for (int i = 0; i < a.length; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * k);
  }

  /** A deep copy. */
  public NetworkWeights copy() {
    NetworkWeights c =
        new NetworkWeights(cell, inputSize, hiddenSize, layers, linearBeforeReset, hasRisk, hasForecast, horizons);
    for (int l = 0; l < layers; l++) {
      System.arraycopy(W[l], 0, c.W[l], 0, W[l].length);
      System.arraycopy(R[l], 0, c.R[l], 0, R[l].length);
      System.arraycopy(Wb[l], 0, c.Wb[l], 0, Wb[l].length);
      System.arraycopy(Rb[l], 0, c.Rb[l], 0, Rb[l].length);
    }
    System.arraycopy(riskW, 0, c.riskW, 0, riskW.length);
    System.arraycopy(riskB, 0, c.riskB, 0, riskB.length);
    System.arraycopy(horizonW, 0, c.horizonW, 0, horizonW.length);
    System.arraycopy(horizonB, 0, c.horizonB, 0, horizonB.length);
    System.arraycopy(predW, 0, c.predW, 0, predW.length);
    System.arraycopy(predB, 0, c.predB, 0, predB.length);
    System.arraycopy(predSkip, 0, c.predSkip, 0, predSkip.length);
    c.inputClip = inputClip;
    return c;
  }
}
