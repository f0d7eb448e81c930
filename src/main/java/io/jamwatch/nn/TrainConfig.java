package io.jamwatch.nn;

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
    int threads) {

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
  }

  public static TrainConfig defaults() {
    return new TrainConfig(
        CellType.GRU, 64, 1, true, Head.RISK, 120_000L, 20, 32, 64, 8, 2e-3f, 1f, 0.1f, 4, 0.2, 0f,
        0.5, 0.5, 0, 42L, 2);
  }

  public TrainConfig withCell(CellType c) {
    return new TrainConfig(c, hidden, layers, c == CellType.GRU && linearBeforeReset, head, horizonMillis,
        epochs, batchSize, window, chunkWindows, learningRate, clipNorm, dropout, patience,
        validationFraction, positiveWeight, falseAlarmsPerDeviceHour, clearFraction, maxSeconds, seed, threads);
  }

  public TrainConfig withShape(int hidden, int layers) {
    return new TrainConfig(cell, hidden, layers, linearBeforeReset, head, horizonMillis, epochs, batchSize,
        window, chunkWindows, learningRate, clipNorm, dropout, patience, validationFraction, positiveWeight,
        falseAlarmsPerDeviceHour, clearFraction, maxSeconds, seed, threads);
  }

  public TrainConfig withHead(Head h) {
    return new TrainConfig(cell, hidden, layers, linearBeforeReset, h, horizonMillis, epochs, batchSize,
        window, chunkWindows, learningRate, clipNorm, dropout, patience, validationFraction, positiveWeight,
        falseAlarmsPerDeviceHour, clearFraction, maxSeconds, seed, threads);
  }

  public TrainConfig withBudget(int epochs, int maxSeconds) {
    return new TrainConfig(cell, hidden, layers, linearBeforeReset, head, horizonMillis, epochs, batchSize,
        window, chunkWindows, learningRate, clipNorm, dropout, patience, validationFraction, positiveWeight,
        falseAlarmsPerDeviceHour, clearFraction, maxSeconds, seed, threads);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(cell, hidden, layers, linearBeforeReset, head, horizonMillis, epochs, batchSize,
        window, chunkWindows, learningRate, clipNorm, dropout, patience, validationFraction, positiveWeight,
        falseAlarmsPerDeviceHour, clearFraction, maxSeconds, s, threads);
  }

  public TrainConfig withBatching(int batchSize, int window, int chunkWindows) {
    return new TrainConfig(cell, hidden, layers, linearBeforeReset, head, horizonMillis, epochs, batchSize,
        window, chunkWindows, learningRate, clipNorm, dropout, patience, validationFraction, positiveWeight,
        falseAlarmsPerDeviceHour, clearFraction, maxSeconds, seed, threads);
  }
}
