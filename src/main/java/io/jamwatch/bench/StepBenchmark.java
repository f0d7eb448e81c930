package io.jamwatch.bench;

import io.jamwatch.features.FeatureSpec;
import io.jamwatch.features.Transform;
import io.jamwatch.model.CellType;
import io.jamwatch.model.JavaStepper;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.Stepper;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.OrtStepper;
import java.util.ArrayList;
import java.util.List;
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
 * One streaming step (T = 1, B = 1, F = 16 inputs, one layer, risk + forecast heads) under each
 * {@link ModelRuntime}: {@code ort} (ONNX Runtime, {@link OrtStepper}: reused direct buffers, pinned
 * outputs, one intra-op thread) and {@code java} ({@link JavaStepper} on the weights read back from
 * the same model bytes, after the load-time parity check), GRU and LSTM at H = 32, 64, 128. Both
 * open the same exported file, exactly as ScoringModel does. Run (BENCHMARKS.md):
 *
 * <pre>
 *   java -Xss16m -cp target/jamwatch.jar org.openjdk.jmh.Main StepBenchmark -f 1 -wi 3 -i 5 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m"})
public class StepBenchmark {
  public static final int F = 16;

  @Param({"GRU", "LSTM"})
  public CellType cell;

  @Param({"32", "64", "128"})
  public int hidden;

  @Param({"ort", "java"})
  public String runtime;

  private Stepper stepper;
  private float[] x, h, c, pred;

  @Setup(Level.Trial)
  public void setUp() {
    NetworkWeights w = NetworkWeights.random(cell, F, hidden, 1, false, true, true, new SplittableRandom(1));
    ModelMetadata m = ModelMetadata.describe(w, spec(F), new io.jamwatch.model.ForecastSurprise.Stats(0f, 1f, 10, 0));
    stepper = ModelRuntime.parse(runtime).open(OnnxExporter.build(w, m).toByteArray(), m);
    SplittableRandom rng = new SplittableRandom(2);
    x = new float[F];
    for (int i = 0; i < F; i++) x[i] = (float) rng.nextGaussian();
    h = new float[hidden];
    c = new float[hidden];
    pred = new float[F];
  }

  /** A feature spec of f features (f even): (f - 2) / 2 readings, no event types. */
  static FeatureSpec spec(int f) {
    List<FeatureSpec.ReadingSpec> r = new ArrayList<>();
    for (int i = 0; i < (f - 2) / 2; i++) r.add(new FeatureSpec.ReadingSpec("r" + (char) ('a' + i), Transform.NONE, 0f, 1f));
    return new FeatureSpec(FeatureSpec.OLDEST_VERSION, r, List.of(), 0f, 1f, FeatureSpec.DEFAULT_CLIP, 0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    stepper.close();
  }

  /** One step; the state is carried (it stays bounded: tanh / sigmoid gates). */
  @Benchmark
  public float step() {
    return stepper.step(x, h, c, pred);
  }
}
