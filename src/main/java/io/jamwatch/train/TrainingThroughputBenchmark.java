package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
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
 * Training throughput of the fast path: one forward + backward of a window (T = 128, B = 32, F = 16,
 * H = 64) plus the Adam step, as the trainer runs it. One op = T*B timesteps. FLOPs per timestep:
 * forward 2 G H (F + H) (GRU G = 3: 6H(F+H); LSTM G = 4: 8H(F+H)), backward about twice that.
 *
 * <p>Run: {@code java -cp target/jamwatch.jar org.openjdk.jmh.Main TrainingThroughputBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m"})
public class TrainingThroughputBenchmark {
  public static final int F = 16, H = 64, T = 128, B = 32;

  @Param({"GRU", "LSTM"})
  public CellType cell;

  @Param({"1", "2"})
  public int threads;

  private ParallelBackprop net;
  private WindowBatch batch;
  private NetworkWeights grad;
  private Adam adam;
  private SplittableRandom rng;

  @Setup(Level.Trial)
  public void setUp() {
    NetworkWeights w = NetworkWeights.random(cell, F, H, 1, cell == CellType.GRU, true, false, new SplittableRandom(1));
    batch = WindowBatch.forNetwork(w, T, B);
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < batch.x.length; i++) batch.x[i] = (float) r.nextGaussian();
    for (int i = 0; i < T * B; i++) {
      batch.riskY[i] = r.nextDouble() < 0.1 ? 1 : 0;
      batch.riskMask[i] = 1;
    }
    net = new ParallelBackprop(w, T, B, threads);
    grad = ParameterTensors.zerosLike(w);
    adam = new Adam(1e-4f);
    adam.init(w);
    rng = new SplittableRandom(3);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    net.close();
  }

  /** Floating-point operations of one benchmark op (forward + backward of the window). */
  public static double flopsPerOp(CellType cell) {
    return 3.0 * 2 * cell.gates * H * (F + H) * T * B;
  }

  @Benchmark
  public double trainWindow() {
    double loss = net.lossAndGradient(batch, 0f, rng, 5f, grad);
    GradientClipping.clipGlobalNorm(grad, 1f);
    adam.step(net.weights(), grad);
    net.load();
    return loss;
  }
}
