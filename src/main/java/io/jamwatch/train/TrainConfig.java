package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.Head;
/**
 * Everything that decides a training run. Same config + same data + same seed + same thread count =
 * the same weights, bit for bit.
 *
 * @param cell recurrent cell
 * @param hidden hidden size H
 * @param layers stacked layers, 1..4
 * @param linearBeforeReset GRU only: ONNX linear_before_reset (1 = cuDNN / PyTorch convention);
 *     forced to false for the other cells, which have no such attribute
 * @param head risk or forecast
 * @param horizonMillis label horizon of the risk head (recorded in the model; the labeller cuts it)
 * @param epochs maximum epochs
 * @param batchSize sequences (chunks) per minibatch
 * @param window truncated-BPTT window, steps; the state is carried across windows, the gradient not
 * @param chunkWindows a device history is cut into chunks of this many windows, the unit shuffled
 *     into minibatches; each chunk starts from a zero state as a device does in the stream
 * @param learningRate Adam step size
 * @param clipNorm global gradient-norm clip (Pascanu et al. 2013); 0 = off
 * @param dropout dropout rate between stacked layers at training time
 * @param patience epochs without validation improvement before early stopping
 * @param validationFraction share of devices, and share of the time span, held out for validation
 * @param positiveWeight BCE weight of positive steps; 0 = automatic (negatives / positives, capped at
 *     {@link #MAX_AUTO_POSITIVE_WEIGHT})
 * @param falseAlarmsPerDeviceHour target false-alarm rate the raise threshold is chosen for
 * @param clearFraction clear threshold = raise threshold times this (hysteresis)
 * @param maxSeconds wall-clock training budget, 0 = none (a budget makes a run depend on the
 *     machine's speed, so it is off by default)
 * @param seed seeds the SplittableRandom of initialisation, shuffling and dropout
 * @param threads worker threads for the forward/backward passes
 * @param minStepsPerEpoch an epoch repeats passes over the shuffled chunks until it has made at
 *     least this many Adam steps (0 = one pass), so a short history (a benchmark's few hundred
 *     training rows: a handful of chunks) still gets enough optimisation steps between the
 *     validation checks that early stopping counts in
 * @param warmStart each chunk starts from the state a run over the device's history before it
 *     reaches (computed without gradient with the weights at the start of the epoch), as the
 *     stream's state is warm after thousands of events; false = from a zero state
 * @param residualForecast forecast head: the value features (readings, and the time gap when it is
 *     a value) are forecast as the change from their current value, pred = x + delta(h), with the
 *     head initialised near zero, so the untrained forecast is persistence; the forecast loss then
 *     counts the value features present in the target only (not indicators or one-hots). Needs a
 *     feature spec; ignored without one
 * @param extraHorizonsMillis extra risk horizons trained beside the primary one (a horizon ladder in
 *     one head: the probability of a jam within each, e.g. 10 and 30 min beside 2 min), each
 *     different from the primary and from each other, at most 8; empty = none. Risk head only
 * <p>Build one with {@link #builder()} (checked in {@link Builder#build()}, defaults in one place)
 * or change one with {@link #toBuilder()}.
 */
public record TrainConfig(
    CellType cell,
    int hidden,
    int layers,
    boolean linearBeforeReset,
    Head head,
    long horizonMillis,
    int epochs,
    int batchSize,
    int window,
    int chunkWindows,
    float learningRate,
    float clipNorm,
    float dropout,
    int patience,
    double validationFraction,
    float positiveWeight,
    double falseAlarmsPerDeviceHour,
    double clearFraction,
    int maxSeconds,
    long seed,
    int threads,
    int minStepsPerEpoch,
    boolean warmStart,
    boolean residualForecast,
    java.util.List<Long> extraHorizonsMillis) {

  public static final float MAX_AUTO_POSITIVE_WEIGHT = 50f;

  public TrainConfig {
    if (cell == null) throw new IllegalArgumentException("cell must be set (gru, lstm or rnn)");
    if (head == null) throw new IllegalArgumentException("head must be set (risk or forecast)");
    if (hidden < 1 || hidden > 1024) throw new IllegalArgumentException("hidden must be 1..1024, got " + hidden);
    if (layers < 1 || layers > 4) throw new IllegalArgumentException("layers must be 1..4, got " + layers);
    if (linearBeforeReset && cell != CellType.GRU) linearBeforeReset = false;
    if (horizonMillis <= 0) throw new IllegalArgumentException("horizon must be > 0, got " + horizonMillis + " ms");
    if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    if (window < 1) throw new IllegalArgumentException("window must be >= 1, got " + window);
    if (chunkWindows < 1) throw new IllegalArgumentException("chunkWindows must be >= 1, got " + chunkWindows);
    if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    if (!(clipNorm >= 0)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
    if (!(validationFraction > 0 && validationFraction < 0.9))
      throw new IllegalArgumentException("validationFraction must be in (0, 0.9), got " + validationFraction);
    if (!(positiveWeight >= 0)) throw new IllegalArgumentException("positiveWeight must be >= 0 (0 = auto), got " + positiveWeight);
    if (!(falseAlarmsPerDeviceHour > 0))
      throw new IllegalArgumentException("falseAlarmsPerDeviceHour must be > 0, got " + falseAlarmsPerDeviceHour);
    if (!(clearFraction > 0 && clearFraction <= 1))
      throw new IllegalArgumentException("clearFraction must be in (0, 1], got " + clearFraction);
    if (maxSeconds < 0) throw new IllegalArgumentException("maxSeconds must be >= 0, got " + maxSeconds);
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    extraHorizonsMillis = java.util.List.copyOf(extraHorizonsMillis);
    if (extraHorizonsMillis.size() > 8) throw new IllegalArgumentException("at most 8 extra horizons, got " + extraHorizonsMillis.size());
    if (!extraHorizonsMillis.isEmpty() && head != Head.RISK) throw new IllegalArgumentException("extra horizons need the risk head");
    for (long h : extraHorizonsMillis) {
      if (h <= 0) throw new IllegalArgumentException("extra horizon must be > 0, got " + h + " ms");
      if (h == horizonMillis) throw new IllegalArgumentException("extra horizon " + h + " ms repeats the primary horizon");
    }
    if (new java.util.HashSet<>(extraHorizonsMillis).size() != extraHorizonsMillis.size())
      throw new IllegalArgumentException("extra horizons repeat: " + extraHorizonsMillis);
    if (minStepsPerEpoch < 0 || minStepsPerEpoch > 1_000_000)
      throw new IllegalArgumentException("minStepsPerEpoch must be 0..1000000 (0 = one pass), got " + minStepsPerEpoch);
  }

  /** The defaults, the one place they are written. */
  public static TrainConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public TrainConfig withCell(CellType c) {
    return toBuilder().cell(c).linearBeforeReset(c == CellType.GRU && linearBeforeReset).build();
  }

  public TrainConfig withShape(int hidden, int layers) {
    return toBuilder().hidden(hidden).layers(layers).build();
  }

  public TrainConfig withHead(Head h) {
    return toBuilder().head(h).build();
  }

  public TrainConfig withBudget(int epochs, int maxSeconds) {
    return toBuilder().epochs(epochs).maxSeconds(maxSeconds).build();
  }

  public TrainConfig withSeed(long s) {
    return toBuilder().seed(s).build();
  }

  public TrainConfig withBatching(int batchSize, int window, int chunkWindows) {
    return toBuilder().batchSize(batchSize).window(window).chunkWindows(chunkWindows).build();
  }

  /**
   * Builds a {@link TrainConfig}: every field starts at its default, setters name what they set,
   * {@link #build()} runs the record's checks. A GRU-only {@code linearBeforeReset} is dropped for
   * the other cells.
   */
  public static final class Builder {
    private CellType cell = CellType.GRU;
    private int hidden = 64;
    private int layers = 1;
    private boolean linearBeforeReset = true;
    private Head head = Head.RISK;
    private long horizonMillis = 120_000L;
    private int epochs = 20;
    private int batchSize = 32;
    private int window = 64;
    private int chunkWindows = 8;
    private float learningRate = 2e-3f;
    private float clipNorm = 1f;
    private float dropout = 0.1f;
    private int patience = 4;
    private double validationFraction = 0.2;
    private float positiveWeight = 0f;
    private double falseAlarmsPerDeviceHour = 0.5;
    private double clearFraction = 0.5;
    private int maxSeconds = 0;
    private long seed = 42L;
    private int threads = 2;
    private int minStepsPerEpoch = 0;
    private boolean warmStart = false;
    private boolean residualForecast = true;
    private java.util.List<Long> extraHorizonsMillis = java.util.List.of();

    private Builder() {}

    private Builder(TrainConfig c) {
      cell = c.cell;
      hidden = c.hidden;
      layers = c.layers;
      linearBeforeReset = c.linearBeforeReset;
      head = c.head;
      horizonMillis = c.horizonMillis;
      epochs = c.epochs;
      batchSize = c.batchSize;
      window = c.window;
      chunkWindows = c.chunkWindows;
      learningRate = c.learningRate;
      clipNorm = c.clipNorm;
      dropout = c.dropout;
      patience = c.patience;
      validationFraction = c.validationFraction;
      positiveWeight = c.positiveWeight;
      falseAlarmsPerDeviceHour = c.falseAlarmsPerDeviceHour;
      clearFraction = c.clearFraction;
      maxSeconds = c.maxSeconds;
      seed = c.seed;
      threads = c.threads;
      minStepsPerEpoch = c.minStepsPerEpoch;
      warmStart = c.warmStart;
      residualForecast = c.residualForecast;
      extraHorizonsMillis = c.extraHorizonsMillis;
    }

    public Builder cell(CellType v) { cell = v; return this; }
    public Builder hidden(int v) { hidden = v; return this; }
    public Builder layers(int v) { layers = v; return this; }
    public Builder linearBeforeReset(boolean v) { linearBeforeReset = v; return this; }
    public Builder head(Head v) { head = v; return this; }
    public Builder horizonMillis(long v) { horizonMillis = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return this; }
    public Builder window(int v) { window = v; return this; }
    public Builder chunkWindows(int v) { chunkWindows = v; return this; }
    public Builder learningRate(float v) { learningRate = v; return this; }
    public Builder clipNorm(float v) { clipNorm = v; return this; }
    public Builder dropout(float v) { dropout = v; return this; }
    public Builder patience(int v) { patience = v; return this; }
    public Builder validationFraction(double v) { validationFraction = v; return this; }
    public Builder positiveWeight(float v) { positiveWeight = v; return this; }
    public Builder falseAlarmsPerDeviceHour(double v) { falseAlarmsPerDeviceHour = v; return this; }
    public Builder clearFraction(double v) { clearFraction = v; return this; }
    public Builder maxSeconds(int v) { maxSeconds = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder threads(int v) { threads = v; return this; }
    public Builder minStepsPerEpoch(int v) { minStepsPerEpoch = v; return this; }
    public Builder warmStart(boolean v) { warmStart = v; return this; }
    public Builder residualForecast(boolean v) { residualForecast = v; return this; }
    public Builder extraHorizonsMillis(java.util.List<Long> v) { extraHorizonsMillis = v; return this; }

    /** The config; throws IllegalArgumentException naming the first bad value. */
    public TrainConfig build() {
      return new TrainConfig(cell, hidden, layers, linearBeforeReset && cell == CellType.GRU, head, horizonMillis,
          epochs, batchSize, window, chunkWindows, learningRate, clipNorm, dropout, patience, validationFraction,
          positiveWeight, falseAlarmsPerDeviceHour, clearFraction, maxSeconds, seed, threads, minStepsPerEpoch,
          warmStart, residualForecast, extraHorizonsMillis);
    }
  }
}
