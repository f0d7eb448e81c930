package io.jamwatch.eval.bench;

/** The detectors the bench command can run, by name. */
public final class BenchDetectors {

  private BenchDetectors() {}

  public static SeriesDetector create(String name, long seed, int longWindow) {
    return switch (name) {
      case "ewma" -> new EwmaSeriesDetector(0.05, 30);
      case "gru" -> ForecastModelDetector.small(io.jamwatch.nn.CellType.GRU, seed, longWindow);
      case "lstm" -> ForecastModelDetector.small(io.jamwatch.nn.CellType.LSTM, seed, longWindow);
      case "rnn" -> ForecastModelDetector.small(io.jamwatch.nn.CellType.RNN, seed, longWindow);
      default -> throw new IllegalArgumentException("unknown detector '" + name + "' (known: gru, lstm, rnn, ewma)");
    };
  }
}
