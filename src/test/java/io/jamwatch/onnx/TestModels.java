package io.jamwatch.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.features.Transform;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.ReferenceForward;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Random networks, matching metadata, and a general [T, B] ONNX Runtime call for tests. */
public final class TestModels {
  private TestModels() {}

  /** A feature spec of exactly f features (f >= 2): (f-2)/2 readings, 0 or 1 event types. */
  public static FeatureSpec spec(int f) {
    int r = (f - 2) / 2, e = f - 2 - 2 * r;
    List<FeatureSpec.ReadingSpec> rs = new ArrayList<>();
    for (int i = 0; i < r; i++)
      rs.add(new FeatureSpec.ReadingSpec(String.format("r%02d", i), i % 2 == 0 ? Transform.NONE : Transform.SIGNED_LOG1P,
          0.1f * i, 1f + 0.5f * i));
    List<String> types = e == 0 ? List.of() : List.of("PACKAGE_SCANNED");
    return new FeatureSpec(FeatureSpec.OLDEST_VERSION, rs, types, 0.5f, 1.25f, FeatureSpec.DEFAULT_CLIP, 1000);
  }

  public static NetworkWeights random(CellType cell, int f, int h, int layers, boolean lbr, long seed) {
    return NetworkWeights.random(cell, f, h, layers, lbr, true, true, new SplittableRandom(seed));
  }

  /** With K extra risk horizons. */
  public static NetworkWeights random(CellType cell, int f, int h, int layers, boolean lbr, int horizons, long seed) {
    return NetworkWeights.random(cell, f, h, layers, lbr, true, true, horizons, new SplittableRandom(seed));
  }

  /** Metadata describing w, with surprise stats when it has a forecast head (extra horizons 600 s, 1200 s, ...). */
  public static ModelMetadata metadata(NetworkWeights w) {
    List<Long> extra = new ArrayList<>();
    for (int k = 0; k < w.horizons; k++) extra.add(600L * (k + 1));
    return ModelMetadata.describe(w, spec(w.inputSize), w.hasForecast ? new ForecastSurprise.Stats(-1f, 0.75f, 5, 0) : null)
        .withExtraHorizonSeconds(extra)
        .withHorizonSeconds(120)
        .withThresholds(0.7f, 0.5f)
        .withDataFingerprint("abc123")
        .withValidationMetrics(Map.of("pr_auc", 0.625, "roc_auc", 0.9))
        .withWarmupEvents(3)
        .withProvenance(Map.of("seed", "42", "epochs", "3"));
  }

  public static float[] gaussian(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
    return a;
  }

  /** One ORT call over x [T, B, F] with h0 / c0 [L, B, H]; outputs in ReferenceForward's layout. */
  public static ReferenceForward.Output ortForward(
      byte[] model, NetworkWeights w, float[] x, int T, int B, float[] h0, float[] c0) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int L = w.layers, H = w.hiddenSize, F = w.inputSize;
    boolean lstm = w.cell.hasCellState();
    try (OrtSession.SessionOptions o = OrtStepper.options();
        OrtSession s = env.createSession(model, o);
        OnnxTensor tx = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {T, B, F});
        OnnxTensor th = OnnxTensor.createTensor(env, FloatBuffer.wrap(h0), new long[] {L, B, H});
        OnnxTensor tc = lstm ? OnnxTensor.createTensor(env, FloatBuffer.wrap(c0), new long[] {L, B, H}) : null) {
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("x", tx);
      in.put("h0", th);
      if (lstm) in.put("c0", tc);
      try (OrtSession.Result r = s.run(in)) {
        return new ReferenceForward.Output(
            w.hasRisk ? floats(r.get("score").get()) : new float[0],
            w.hasForecast ? floats(r.get("pred").get()) : new float[0],
            floats(r.get("h1").get()),
            lstm ? floats(r.get("c1").get()) : new float[0],
            w.horizons > 0 ? floats(r.get(ModelMetadata.HORIZONS_OUTPUT).get()) : new float[0]);
      }
    }
  }

  private static float[] floats(OnnxValue v) {
    FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  public static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    float m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}
