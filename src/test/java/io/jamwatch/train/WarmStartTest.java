package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.ReferenceForward;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.train.DataSplit.Chunk;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The warm start of a training chunk is the state the stream would have reached at that event. */
class WarmStartTest {

  @ParameterizedTest
  @EnumSource(CellType.class)
  void chunkStartsFromTheStateOfItsDevicesHistoryBeforeIt(CellType cell) {
    TrainingData data = SyntheticJams.data(3, 400, 40, 5);
    int T = 16, B = 2;
    NetworkWeights w = NetworkWeights.random(cell, SyntheticJams.F, 6, 2, cell == CellType.GRU, true, true, new SplittableRandom(3));
    DataSplit split = new DataSplit(data, DataSplit.plan(data, 0.2, 9), T * 3);
    Map<Chunk, float[][]> warm;
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, 1)) {
      warm = Trainer.warmStates(net, WindowBatch.forNetwork(w, T, B), split, split.chunks.size());
    }
    int checked = 0;
    for (Chunk c : split.chunks) {
      if (c.start() == 0) {
        assertTrue(!warm.containsKey(c), "a history's first chunk starts from zero, as in the stream");
        continue;
      }
      float[] x = Arrays.copyOf(c.seq().x(), c.start() * SyntheticJams.F);
      ReferenceForward.Output ref = ReferenceForward.forward(w, x, c.start(), 1, null, null);
      float[][] st = warm.get(c);
      for (int i = 0; i < ref.h1().length; i++) assertEquals(ref.h1()[i], st[0][i], 1e-5f, "h at " + c.start());
      if (cell.hasCellState()) for (int i = 0; i < ref.c1().length; i++) assertEquals(ref.c1()[i], st[1][i], 1e-5f, "c");
      checked++;
    }
    assertTrue(checked >= 10, "only " + checked + " chunks checked");
  }
}
