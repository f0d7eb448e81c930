package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training-throughput figure per core when the machine is shared: the same window as {@link
 * TrainingThroughputBenchmark} (forward + backward, T = 128, B = 32, F = 16, H = 64) on one
 * thread, timed by the thread's CPU time rather than the wall clock, so other processes' load
 * does not count against it (cache and SMT sharing still do). JMH's wall-clock figures are the
 * other half of the story.
 *
 * <p>Run: {@code java -cp target/jamwatch.jar io.jamwatch.train.TrainingThroughputHarness}.
 */
public final class TrainingThroughputHarness {
  private TrainingThroughputHarness() {}

  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int F = TrainingThroughputBenchmark.F, H = TrainingThroughputBenchmark.H;
    int T = TrainingThroughputBenchmark.T, B = TrainingThroughputBenchmark.B;
    for (CellType cell : new CellType[] {CellType.GRU, CellType.LSTM}) {
      NetworkWeights w = NetworkWeights.random(cell, F, H, 1, cell == CellType.GRU, true, false, new SplittableRandom(1));
      WindowBatch batch = WindowBatch.forNetwork(w, T, B);
      SplittableRandom r = new SplittableRandom(2);
      for (int i = 0; i < batch.x.length; i++) batch.x[i] = (float) r.nextGaussian();
      for (int i = 0; i < T * B; i++) {
        batch.riskY[i] = r.nextDouble() < 0.1 ? 1 : 0;
        batch.riskMask[i] = 1;
      }
      NetworkWeights grad = ParameterTensors.zerosLike(w);
      double best = Double.MAX_VALUE;
      try (ParallelBackprop net = new ParallelBackprop(w, T, B, 1)) {
        for (int rep = 0; rep < 8; rep++) {
          long c0 = mx.getCurrentThreadCpuTime();
          int n = 10;
          for (int i = 0; i < n; i++) net.lossAndGradient(batch, 0f, null, 5f, grad);
          double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9 / n;
          if (rep >= 3) best = Math.min(best, cpu); // first reps are JIT warm-up
        }
      }
      double flops = TrainingThroughputBenchmark.flopsPerOp(cell);
      System.out.printf(Locale.ROOT, "%s H=%d F=%d T=%d B=%d 1 thread: %.1f ms CPU per window, %,.0f timesteps/s, %.2f GFLOP/s per core%n",
          cell, H, F, T, B, best * 1e3, T * B / best, flops / best / 1e9);
    }
  }
}
