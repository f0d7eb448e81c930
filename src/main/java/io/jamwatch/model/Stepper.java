package io.jamwatch.model;

/**
 * One streaming step (T = 1, B = 1) of a recurrent model: the state goes in and comes out, nothing
 * is kept inside between calls (ONNX Runtime is stateless by design, and so is this contract), so
 * the caller's state store is the only home of a device's state.
 *
 * <p>Implementations: the ONNX Runtime session (onnx/OrtStepper) and the pure-Java forward
 * (model/JavaStepper); the stream and the offline scorer use the one {@code model.runtime} names
 * (onnx/ModelRuntime). Not thread-safe: one per stream thread.
 */
public interface Stepper extends AutoCloseable {
  int inputSize();

  int hiddenSize();

  int layers();

  CellType cell();

  boolean hasRisk();

  boolean hasForecast();

  /**
   * Steps once. {@code h} (and {@code c} for LSTM, else ignored) are [L*H] and updated in place;
   * {@code predOut} [F] receives the forecast of the next encoded event when the model has a
   * forecast head (ignored otherwise, may be null). Returns the risk score, or NaN without a risk
   * head.
   */
  float step(float[] x, float[] h, float[] c, float[] predOut);

  /** K, the extra risk horizons of the model (0 = none; their seconds are in the model metadata). */
  default int horizons() {
    return 0;
  }

  /**
   * The extra horizons' probabilities [K] of the last {@link #step}, copied into {@code out}; a
   * no-op without extra horizons.
   */
  default void horizonScores(float[] out) {}

  @Override
  default void close() {}
}
