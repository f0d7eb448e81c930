package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.Head;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tiny synthetic device histories with a learnable precursor: one event per second; before each jam
 * feature 0 drifts up over {@code horizon} events (the positive steps); the jam lasts 20 events
 * (in-jam, excluded) with feature 2 set; the last {@code horizon} events are censored.
 */
final class SyntheticJams {
  static final int F = 3;

  static TrainingData data(int devices, int events, int horizon, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<TrainingData.Sequence> seqs = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      float[] x = new float[events * F];
      long[] time = new long[events];
      byte[] y = new byte[events];
      int nextJam = 150 + rng.nextInt(300);
      int jamLeft = 0;
      for (int i = 0; i < events; i++) {
        time[i] = 1_000_000L + i * 1000L;
        int toJam = nextJam - i;
        x[i * F] = (float) (rng.nextGaussian() * 0.3);
        x[i * F + 1] = (float) rng.nextGaussian();
        if (jamLeft > 0) {
          x[i * F + 2] = 1f;
          y[i] = -1;
          if (--jamLeft == 0) nextJam = i + 200 + rng.nextInt(300);
        } else if (toJam == 0) {
          x[i * F + 2] = 1f;
          y[i] = -1;
          jamLeft = 19;
        } else if (toJam <= horizon) {
          x[i * F] += 2f * (horizon - toJam + 1) / horizon;
          y[i] = 1;
        }
        if (i >= events - horizon && y[i] == 0) y[i] = -2;
      }
      seqs.add(new TrainingData.Sequence("dev-" + d, x, time, y));
    }
    return new TrainingData(null, F, seqs);
  }

  /**
   * The same data with labels for each of {@code horizons} (steps of 1 s) beside the primary ones,
   * cut by the labeller's rule: in a jam -1; next jam within h 1; too close to the end -2; else 0.
   */
  static TrainingData withLadder(TrainingData data, int... horizons) {
    List<TrainingData.Sequence> seqs = new ArrayList<>();
    for (TrainingData.Sequence s : data.sequences()) {
      int n = s.length();
      byte[][] extra = new byte[horizons.length][n];
      for (int k = 0; k < horizons.length; k++) {
        int next = Integer.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
          boolean inJam = s.x()[i * F + 2] == 1f;
          if (inJam) {
            next = i;
            extra[k][i] = -1;
          } else {
            extra[k][i] = next != Integer.MAX_VALUE && next - i <= horizons[k] ? (byte) 1 : i >= n - horizons[k] ? (byte) -2 : 0;
          }
        }
      }
      seqs.add(new TrainingData.Sequence(s.deviceId(), s.x(), s.timeMillis(), s.labels(), extra));
    }
    return new TrainingData(data.spec(), data.inputSize(), seqs);
  }

  static TrainConfig smallConfig(CellType cell, Head head) {
    return TrainConfig.defaults()
        .withCell(cell)
        .withHead(head)
        .withShape(8, 1)
        .withBatching(8, 32, 4)
        .withBudget(4, 0)
        .withSeed(7);
  }
}
