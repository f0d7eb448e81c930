package io.jamwatch.eval.bench;

import io.jamwatch.model.CellType;
import io.jamwatch.scoring.DetectorConfig;

/** The detectors the bench command can run, by name. */
public final class BenchDetectors {

  private BenchDetectors() {}

  /**
   * @param detector the post-step detector configuration of the corpus (forecast models and the
   *     model-free detector; the EWMA baseline has none)
   */
  public static SeriesDetector create(String name, long seed, DetectorConfig detector) {
    return create(name, seed, detector, 0);
  }

  /** @param deviceWindow per-device standardisation of the forecast models' inputs over this many events (0 = off) */
  public static SeriesDetector create(String name, long seed, DetectorConfig detector, int deviceWindow) {
    return switch (name) {
      case "ewma" -> new EwmaSeriesDetector(0.05, 30);
      case "free" -> new ModelFreeDetector(detector, 10);
      case "gru" -> ForecastModelDetector.small(CellType.GRU, seed, 0).withDetector(detector).withDeviceWindow(deviceWindow);
      case "lstm" -> ForecastModelDetector.small(CellType.LSTM, seed, 0).withDetector(detector).withDeviceWindow(deviceWindow);
      case "rnn" -> ForecastModelDetector.small(CellType.RNN, seed, 0).withDetector(detector).withDeviceWindow(deviceWindow);
      default -> throw new IllegalArgumentException("unknown detector '" + name + "' (known: gru, lstm, rnn, free, ewma)");
    };
  }

  /** With the product's default detector configuration. */
  public static SeriesDetector create(String name, long seed) {
    return create(name, seed, DetectorConfig.defaults());
  }
}
