package io.jamwatch.eval.bench;

/** The detectors the bench command can run, by name. */
public final class BenchDetectors {

  private BenchDetectors() {}

  public static SeriesDetector create(String name, long seed) {
    return switch (name) {
      case "ewma" -> new EwmaSeriesDetector(0.05, 30);
      default -> throw new IllegalArgumentException("unknown detector '" + name + "' (known: ewma)");
    };
  }
}
