package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.Head;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerTest {

  @ParameterizedTest
  @EnumSource(CellType.class)
  void riskHeadLearnsAPrecursorWellAboveChance(CellType cell) {
    TrainingData data = SyntheticJams.data(6, 3000, 40, 1);
    TrainResult r = Trainer.train(SyntheticJams.smallConfig(cell, Head.RISK), data, ProgressListener.NONE);
    double ap = r.metrics().get("pr_auc");
    System.out.println(cell + " " + r.metrics());
    double base = r.metrics().get("validation_positive_rate");
    assertTrue(ap > 0.6 && ap > 3 * base, "PR-AUC " + ap + " vs positive rate " + base);
    assertTrue(r.thresholds().raise() > r.thresholds().clear());
    assertTrue(r.metrics().get("jams_caught") > 0, r.metrics().toString());
  }

  @Test
  void horizonLadderLearnsEachExtraHorizonAndLeavesTheModelWithoutOneUnchanged() {
    TrainingData plain = SyntheticJams.data(6, 3000, 40, 1);
    TrainingData data = SyntheticJams.withLadder(plain, 20, 80);
    TrainConfig cfg = SyntheticJams.smallConfig(CellType.GRU, Head.RISK).toBuilder()
        .horizonMillis(40_000L).extraHorizonsMillis(java.util.List.of(20_000L, 80_000L)).build();
    TrainResult r = Trainer.train(cfg, data, ProgressListener.NONE);
    assertEquals(2, r.weights().horizons);
    for (String k : new String[] {"pr_auc_horizon_20s", "pr_auc_horizon_80s"}) {
      double ap = r.metrics().get(k);
      assertTrue(ap > 0.5, k + " " + ap + " " + r.metrics());
    }
    // the 80-s rung sees twice the positives of the 40-s primary: it must rank them, not echo the primary
    assertTrue(r.metrics().get("pr_auc_horizon_80s") > r.metrics().get("validation_positive_rate"));
    // a config without a ladder refuses nothing and trains exactly as before on the same data
    TrainResult a = Trainer.train(SyntheticJams.smallConfig(CellType.GRU, Head.RISK).withBudget(1, 0), plain, ProgressListener.NONE);
    TrainResult b = Trainer.train(SyntheticJams.smallConfig(CellType.GRU, Head.RISK).withBudget(1, 0), data, ProgressListener.NONE);
    assertArrayEquals(a.weights().riskW, b.weights().riskW);
    // a ladder without labels for it is refused with a message
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(cfg, plain, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("extra horizons"), e.getMessage());
  }

  @Test
  void sameDataConfigSeedAndThreadsGiveTheSameWeightsBitForBit() {
    TrainingData data = SyntheticJams.data(4, 1500, 40, 2);
    TrainConfig cfg = SyntheticJams.smallConfig(CellType.LSTM, Head.RISK).withShape(6, 2).withBudget(2, 0);
    TrainResult a = Trainer.train(cfg, data, ProgressListener.NONE);
    TrainResult b = Trainer.train(cfg, data, ProgressListener.NONE);
    float[][] ta = ParameterTensors.of(a.weights()), tb = ParameterTensors.of(b.weights());
    for (int i = 0; i < ta.length; i++) assertArrayEquals(ta[i], tb[i], 0f);
    TrainResult c = Trainer.train(cfg.withSeed(8), data, ProgressListener.NONE);
    boolean differs = false;
    float[][] tc = ParameterTensors.of(c.weights());
    for (int i = 0; i < ta.length; i++) differs |= !java.util.Arrays.equals(ta[i], tc[i]);
    assertTrue(differs, "another seed must give other weights");
  }

  @Test
  void forecastHeadBeatsPredictingZeroAndFitsSurpriseStatistics() {
    TrainingData data = SyntheticJams.data(4, 2000, 40, 3);
    TrainResult r = Trainer.train(SyntheticJams.smallConfig(CellType.GRU, Head.FORECAST).withBudget(5, 0), data, ProgressListener.NONE);
    assertNotNull(r.surpriseStats());
    // Predicting 0 for every feature gives the mean square of the features, ~ (0.09 + 1 + jam share) / 3.
    double zeroMse = 0;
    long n = 0;
    for (TrainingData.Sequence s : data.sequences()) for (float v : s.x()) {
      zeroMse += v * v;
      n++;
    }
    zeroMse /= n;
    assertTrue(r.metrics().get("mse") < zeroMse, "forecast MSE " + r.metrics().get("mse") + " vs " + zeroMse);
    assertTrue(r.metrics().containsKey("surprise_pr_auc"));
  }

  @Test
  void learningCurveHasOneRecordPerEpochRunAndProgressIsReported() {
    TrainingData data = SyntheticJams.data(3, 1200, 40, 4);
    List<Integer> epochs = new ArrayList<>();
    int[] batches = {0};
    ProgressListener l =
        new ProgressListener() {
          @Override
          public void onBatch(int epoch, int epochsTotal, int batch, int batchesTotal, double loss) {
            batches[0]++;
          }

          @Override
          public void onEpoch(EpochRecord record, int epochsTotal) {
            epochs.add(record.epoch());
          }
        };
    TrainResult r = Trainer.train(SyntheticJams.smallConfig(CellType.RNN, Head.RISK).withBudget(3, 0), data, l);
    assertEquals(r.curve().size(), epochs.size());
    assertTrue(batches[0] >= epochs.size());
    assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() <= r.curve().size());
  }

  @Test
  void riskHeadWithoutJamsStopsWithAMessageSayingWhatToDo() {
    TrainingData jams = SyntheticJams.data(3, 1000, 40, 5);
    List<TrainingData.Sequence> quiet = new ArrayList<>();
    for (TrainingData.Sequence s : jams.sequences())
      quiet.add(new TrainingData.Sequence(s.deviceId(), s.x(), s.timeMillis(), new byte[s.length()]));
    TrainingData data = new TrainingData(null, SyntheticJams.F, quiet);
    for (TrainingData.Sequence s : quiet) java.util.Arrays.fill(s.labels(), TrainingData.NEGATIVE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(SyntheticJams.smallConfig(CellType.GRU, Head.RISK), data, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("--head forecast"), e.getMessage());
  }
}
