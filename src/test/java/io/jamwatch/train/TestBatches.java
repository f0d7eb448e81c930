package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.util.SplittableRandom;

/** Random windows and networks for the numerical tests. */
final class TestBatches {
  private TestBatches() {}

  /** Network variants covering every cell and both GRU reset conventions. */
  enum Variant {
    RNN(CellType.RNN, false),
    GRU_LBR0(CellType.GRU, false),
    GRU_LBR1(CellType.GRU, true),
    LSTM(CellType.LSTM, false);

    final CellType cell;
    final boolean lbr;

    Variant(CellType cell, boolean lbr) {
      this.cell = cell;
      this.lbr = lbr;
    }

    NetworkWeights random(int F, int H, int L, boolean risk, boolean forecast, long seed) {
      return random(F, H, L, risk, forecast, 0, seed);
    }

    /** With {@code horizons} extra risk horizons. */
    NetworkWeights random(int F, int H, int L, boolean risk, boolean forecast, int horizons, long seed) {
      NetworkWeights w = NetworkWeights.random(cell, F, H, L, lbr, risk, forecast, horizons, new SplittableRandom(seed));
      // Random biases everywhere (the default init zeroes some), so every term is exercised.
      SplittableRandom rng = new SplittableRandom(seed + 17);
      for (float[] a : ParameterTensors.of(w)) for (int i = 0; i < a.length; i++) a[i] += (float) (rng.nextGaussian() * 0.3);
      return w;
    }
  }

  /**
   * Residual forecast on features {0, 2, ...}, the first layer's input clipped at 1.2 (some of the
   * Gaussian x are clipped), and a random per-feature loss mask (about 70 % on).
   */
  static void residualWithLossMask(NetworkWeights w, WindowBatch b, long seed) {
    int[] idx = new int[(w.inputSize + 1) / 2];
    for (int k = 0; k < idx.length; k++) idx[k] = 2 * k;
    w.makeResidual(idx, 0.5f);
    w.setInputClip(1.2f);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < b.predLoss.length; i++) b.predLoss[i] = rng.nextDouble() < 0.7 ? 1f : 0f;
  }

  static WindowBatch randomBatch(NetworkWeights w, int T, int B, long seed) {
    WindowBatch b = WindowBatch.forNetwork(w, T, B);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < b.x.length; i++) b.x[i] = (float) rng.nextGaussian();
    for (int i = 0; i < b.predY.length; i++) b.predY[i] = (float) rng.nextGaussian();
    for (int i = 0; i < T * B; i++) {
      b.riskY[i] = rng.nextDouble() < 0.4 ? 1f : 0f;
      b.riskMask[i] = rng.nextDouble() < 0.8 ? 1f : 0f;
      b.predMask[i] = rng.nextDouble() < 0.8 ? 1f : 0f;
    }
    for (int i = 0; i < b.h0.length; i++) {
      b.h0[i] = (float) (rng.nextGaussian() * 0.5);
      b.c0[i] = (float) (rng.nextGaussian() * 0.5);
    }
    // extra horizons last, so the draws above are those of a batch without them
    for (int i = 0; i < b.horizonY.length; i++) {
      b.horizonY[i] = rng.nextDouble() < 0.5 ? 1f : 0f;
      b.horizonMask[i] = rng.nextDouble() < 0.8 ? 1f : 0f;
    }
    return b;
  }
}
