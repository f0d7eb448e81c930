package io.jamwatch.stream;

import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Model files for the stream tests, exported by the real exporter into a temp folder. */
public final class TestModels {
  private TestModels() {}

  public static FeatureSpec spec() {
    return FeatureSpec.fit(TestEvents.lines(2, 4, 50, 1000, 7).iterator());
  }

  /** The fitted mean of the belt speed: the steerable model scores it 0.5. */
  public static float speedMean() {
    return spec().readings().stream()
        .filter(r -> r.name().equals(TestEvents.SPEED)).findFirst().orElseThrow().mean();
  }

  /** Random weights, risk head (and forecast head if asked). */
  public static Path random(Path dir, String name, CellType cell, boolean forecast, long seed) {
    FeatureSpec spec = spec();
    NetworkWeights w =
        NetworkWeights.random(cell, spec.size(), 8, 1, cell == CellType.GRU, !forecast, forecast, new SplittableRandom(seed));
    ModelMetadata m =
        ModelMetadata.describe(
            w, spec, forecast ? new ForecastSurprise.Stats(-1f, 1f, 10, 100) : null);
    if (forecast) {
      m = m.withScoreHead(ModelMetadata.Head.FORECAST);
    }
    Path out = dir.resolve(name);
    OnnxExporter.export(w, m.withWarmupEvents(3), out);
    return out;
  }

  /**
   * A GRU whose risk score follows the belt speed: z gate shut (h = candidate), candidate unit 0 =
   * tanh(3 x_speed), score = sigmoid(8 h_0). Normalised speed +1 std gives ~1, -1 std gives ~0.
   * Warm-up of {@code warmup} events.
   */
  public static Path steerable(Path dir, String name, int warmup) {
    FeatureSpec spec = spec();
    int in = spec.size();
    int h = 4;
    NetworkWeights w = new NetworkWeights(CellType.GRU, in, h, 1, true, true, false);
    int k = spec.featureNames().indexOf(TestEvents.SPEED);
    if (k < 0) {
      throw new IllegalStateException("no feature " + TestEvents.SPEED + " in " + spec.featureNames());
    }
    for (int j = 0; j < h; j++) {
      w.Wb[0][j] = -30f; // z ~ 0: h' = candidate
    }
    w.W[0][(2 * h) * in + k] = 3f;
    w.riskW[0] = 8f;
    ModelMetadata m = ModelMetadata.describe(w, spec, null).withWarmupEvents(warmup);
    Path out = dir.resolve(name);
    OnnxExporter.export(w, m, out);
    return out;
  }
}
