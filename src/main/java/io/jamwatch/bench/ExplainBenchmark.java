package io.jamwatch.bench;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.features.Transform;
import io.jamwatch.logs.TrustedAvroClasses;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.stream.AlertExplainer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of explaining one raised alert ({@link AlertExplainer#explain}: one encode plus one ONNX
 * Runtime step per feature group) beside the cost of scoring one event ({@link
 * ScoringModel#score}): random one-layer networks (H = 64) on the simulator's shape of input (7
 * readings, 5 event types and the time gap: 21 features in 9 groups), and the bundled
 * models/default.onnx (run from the project folder). Run:
 *
 * <pre>
 *   java -Xss16m -cp target/jamwatch.jar org.openjdk.jmh.Main ExplainBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m"})
public class ExplainBenchmark {
  private static final List<String> READINGS = List.of(
      "belt_speed", "dwell_ms", "gap_ms", "lateral_offset_mm", "motor_current_a", "package_length_mm", "vibration_rms");

  /** A random one-layer GRU or LSTM with H = 64, or the bundled models/default.onnx. */
  @Param({"GRU-64", "LSTM-64", "default"})
  public String model;

  private ScoringModel scoring;
  private AlertExplainer explainer;
  private DeviceMemory before;
  private DeviceMemory memory;
  private ScannerEvent event;

  @Setup(Level.Trial)
  public void setUp() {
    TrustedAvroClasses.register();
    if (model.equals("default")) {
      scoring = ScoringModel.load(Path.of("models/default.onnx"));
    } else {
      List<FeatureSpec.ReadingSpec> r = new ArrayList<>();
      for (String n : READINGS) r.add(new FeatureSpec.ReadingSpec(n, Transform.NONE, 0f, 1f));
      List<String> types = Arrays.stream(EventType.values()).filter(t -> t != EventType.UNKNOWN).map(Enum::name).toList();
      FeatureSpec spec = new FeatureSpec(FeatureSpec.OLDEST_VERSION, r, types, 0f, 1f, FeatureSpec.DEFAULT_CLIP, 0);
      CellType cell = CellType.valueOf(model.substring(0, model.indexOf('-')));
      int hidden = Integer.parseInt(model.substring(model.indexOf('-') + 1));
      NetworkWeights w = NetworkWeights.random(cell, spec.size(), hidden, 1, false, true, false, new SplittableRandom(1));
      scoring = ScoringModel.load(OnnxExporter.build(w, ModelMetadata.describe(w, spec, null)).toByteArray(), "bench");
    }
    explainer = new AlertExplainer(scoring);
    List<String> names = scoring.metadata().featureSpec().readingNames();
    SplittableRandom rng = new SplittableRandom(2);
    memory = scoring.newMemory();
    long t = 1_767_225_600_000L;
    for (int i = 0; i < 50; i++) scoring.score(event(names, rng, t += 700), memory);
    before = memory.copy();
    event = event(names, rng, t + 700);
  }

  private static ScannerEvent event(List<String> names, SplittableRandom rng, long t) {
    Map<String, Float> readings = new HashMap<>();
    for (String n : names) readings.put(n, (float) (1 + rng.nextGaussian()));
    return ScannerEvent.newBuilder().setDeviceId("L01-S01").setLineId("L01").setEventTime(Instant.ofEpochMilli(t))
        .setType(EventType.PACKAGE_SCANNED).setReadings(readings).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scoring.close();
  }

  /** The per-event path: encode + one step (the state is carried; it stays bounded). */
  @Benchmark
  public float score() {
    return scoring.score(event, memory);
  }

  /** One explanation of a raise: every group occluded in turn, each re-stepped from the state before. */
  @Benchmark
  public Object explain() {
    return explainer.explain(event, before, 0.9f);
  }
}
