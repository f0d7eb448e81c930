package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.train.TrainingData.Sequence;

import java.util.Arrays;
import java.util.List;

/**
 * Records, per event, the mean activation of the gate that decides what a cell keeps: the GRU
 * update gate z (block 0: h_t = (1-z) n + z h_{t-1}, so z near 1 keeps the past) or the LSTM forget
 * gate f (block 2). For looking at what the network does around jam precursors; not used in
 * training.
 */
public final class GateProbe {
  private GateProbe() {}

  /** The gate block inspected for a cell, or -1 for a cell without one (RNN). */
  public static int keepGate(CellType cell) {
    return switch (cell) {
      case GRU -> 0;
      case LSTM -> 2;
      case RNN -> -1;
    };
  }

  /** Per sequence, per event: the top layer's mean keep-gate activation (zero state at the start). */
  public static float[][] run(NetworkWeights w, List<Sequence> seqs, int window, int maxB, int threads) {
    int block = keepGate(w.cell);
    if (block < 0) throw new IllegalArgumentException(w.cell + " has no keep gate");
    float[][] out = new float[seqs.size()][];
    WindowBatch batch = WindowBatch.forNetwork(w, window, maxB);
    int S = w.stateSize();
    try (ParallelBackprop net = new ParallelBackprop(w, window, maxB, threads)) {
      for (int g0 = 0; g0 < seqs.size(); g0 += maxB) {
        int B = Math.min(maxB, seqs.size() - g0);
        int maxLen = 0;
        for (int b = 0; b < B; b++) {
          maxLen = Math.max(maxLen, seqs.get(g0 + b).length());
          out[g0 + b] = new float[seqs.get(g0 + b).length()];
        }
        Arrays.fill(batch.h0, 0, S * B, 0f);
        Arrays.fill(batch.c0, 0, S * B, 0f);
        for (int t0 = 0; t0 < maxLen; t0 += window) {
          int T = Math.min(window, maxLen - t0);
          batch.resize(T, B);
          for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++) {
              Sequence s = seqs.get(g0 + b);
              WindowFiller.fill(batch, t * B + b, s, t0 + t, s.length(), s.length(), s.length(), false, false);
            }
          net.forward(batch, 1f);
          for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
              if (t0 + t < out[g0 + b].length) out[g0 + b][t0 + t] = net.topGateMean(batch, block, t, b);
          System.arraycopy(batch.h1, 0, batch.h0, 0, S * B);
          System.arraycopy(batch.c1, 0, batch.c0, 0, S * B);
        }
      }
    }
    return out;
  }
}
