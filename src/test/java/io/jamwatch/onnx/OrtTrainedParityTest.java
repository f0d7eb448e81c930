package io.jamwatch.onnx;

import io.jamwatch.scoring.ScoringModelTest;

import io.jamwatch.scoring.ScoringModel;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.Head;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.train.ProgressListener;
import io.jamwatch.model.ReferenceForward;
import io.jamwatch.train.TrainConfig;
import io.jamwatch.train.TrainResult;
import io.jamwatch.train.Trainer;
import io.jamwatch.train.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with weights from the real {@link Trainer} (a short run on encoded event sequences), not
 * only random ones: trained weights have larger, structured values (calibration folded into the
 * risk head), and the whole chain trainer -> exporter -> ScoringModel must agree with the
 * reference forward pass to 1e-5.
 */
class OrtTrainedParityTest {
  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(CellType.RNN, Head.RISK), Arguments.of(CellType.GRU, Head.RISK),
        Arguments.of(CellType.LSTM, Head.RISK), Arguments.of(CellType.GRU, Head.FORECAST),
        Arguments.of(CellType.LSTM, Head.FORECAST));
  }

  /** Risk label: a vibration above 1.8 within the next 8 events (a stand-in precursor). */
  static TrainingData data(FeatureSpec spec, List<List<ScannerEvent>> devices) {
    List<TrainingData.Sequence> seqs = new ArrayList<>();
    for (int d = 0; d < devices.size(); d++) {
      List<ScannerEvent> ev = devices.get(d);
      float[] x = ScoringModelTest.encode(spec, ev);
      long[] t = new long[ev.size()];
      byte[] y = new byte[ev.size()];
      for (int i = 0; i < ev.size(); i++) {
        t[i] = ev.get(i).getEventTime().toEpochMilli();
        for (int k = i + 1; k <= i + 8 && k < ev.size(); k++)
          if (ev.get(k).getReadings().get("vibration_rms") > 1.8f) y[i] = TrainingData.POSITIVE;
      }
      seqs.add(new TrainingData.Sequence("D" + d, x, t, y));
    }
    return new TrainingData(spec, spec.size(), seqs);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void trainedWeightsExportWithParity(CellType cell, Head head) throws Exception {
    List<List<ScannerEvent>> devices = new ArrayList<>();
    List<ScannerEvent> all = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      devices.add(ScoringModelTest.sequence(600, 30 + d));
      all.addAll(devices.get(d));
    }
    FeatureSpec spec = FeatureSpec.fit(all.iterator());
    TrainConfig cfg =
        TrainConfig.defaults().withCell(cell).withHead(head).withShape(8, 2).withBatching(8, 32, 4).withBudget(2, 0).withSeed(5);
    TrainResult r = Trainer.train(cfg, data(spec, devices), ProgressListener.NONE);
    float err = parity(spec, devices, r);
    System.out.printf("trained parity %s %s L=2 H=8 (lbr=%b): max abs error %.3g%n", cell, head, r.weights().linearBeforeReset, err);
    assertTrue(err <= 1e-5f, "max abs error " + err);
  }

  /**
   * The bench's forecaster (residual head, warm-start chunks, a minimum of Adam steps per epoch, a
   * wide encoder clip with the cells' input clipped): the same data, seed and threads give the same
   * model file, and it runs in ONNX Runtime as in the reference forward pass.
   */
  @org.junit.jupiter.api.Test
  void residualWarmStartForecasterIsDeterministicAndExportsWithParity() throws Exception {
    List<List<ScannerEvent>> devices = new ArrayList<>();
    List<ScannerEvent> all = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      devices.add(ScoringModelTest.sequence(500, 60 + d));
      all.addAll(devices.get(d));
    }
    FeatureSpec spec = FeatureSpec.fit(all.iterator(), 1000f);
    TrainConfig cfg = TrainConfig.builder().cell(CellType.GRU).head(Head.FORECAST).hidden(8).layers(1).batchSize(4)
        .window(20).chunkWindows(2).epochs(3).seed(11).threads(2).warmStart(true).minStepsPerEpoch(12).build();
    TrainResult a = Trainer.train(cfg, data(spec, devices), ProgressListener.NONE);
    TrainResult b = Trainer.train(cfg, data(spec, devices), ProgressListener.NONE);
    assertTrue(a.weights().hasResidualForecast());
    assertTrue(a.weights().inputClip() == FeatureSpec.DEFAULT_CLIP, "input clip " + a.weights().inputClip());
    assertTrue(a.metrics().get("adam_steps") >= 12 * a.curve().size(), "adam steps " + a.metrics().get("adam_steps"));
    byte[] ma = OnnxExporter.build(a.weights(), ModelMetadata.describe(a.weights(), spec, a.surpriseStats())).toByteArray();
    byte[] mb = OnnxExporter.build(b.weights(), ModelMetadata.describe(b.weights(), spec, b.surpriseStats())).toByteArray();
    org.junit.jupiter.api.Assertions.assertArrayEquals(ma, mb, "same data, seed and threads must give the same model file");
    float err = parity(spec, devices, a);
    assertTrue(err <= 1e-5f, "max abs error " + err);
  }

  /** Max abs difference between ORT and the reference forward pass for [T=1, 50] x [B=3] from the devices. */
  private static float parity(FeatureSpec spec, List<List<ScannerEvent>> devices, TrainResult r) throws Exception {
    NetworkWeights w = r.weights();
    ModelMetadata meta = ModelMetadata.describe(w, spec, r.surpriseStats());
    byte[] model = OnnxExporter.build(w, meta).toByteArray();

    // [T=50, B=3] from three devices, non-zero initial state from the first events
    int T = 50, B = 3, F = spec.size(), S = w.layers * w.hiddenSize;
    float[] x = new float[T * B * F];
    for (int b = 0; b < B; b++) {
      float[] xs = ScoringModelTest.encode(spec, devices.get(b));
      for (int t = 0; t < T; t++) System.arraycopy(xs, (100 + t) * F, x, (t * B + b) * F, F);
    }
    float[] h0 = TestModels.gaussian(B * S, 3), c0 = TestModels.gaussian(B * S, 4);
    for (int i = 0; i < h0.length; i++) h0[i] = (float) Math.tanh(h0[i]);
    float err = 0;
    for (int len : new int[] {1, T}) {
      float[] xl = java.util.Arrays.copyOf(x, len * B * F);
      ReferenceForward.Output ref = ReferenceForward.forward(w, xl, len, B, h0, c0);
      ReferenceForward.Output ort = TestModels.ortForward(model, w, xl, len, B, h0, c0);
      err = Math.max(err, TestModels.maxAbsDiff(ref.score(), ort.score()));
      err = Math.max(err, TestModels.maxAbsDiff(ref.pred(), ort.pred()));
      err = Math.max(err, TestModels.maxAbsDiff(ref.h1(), ort.h1()));
      err = Math.max(err, TestModels.maxAbsDiff(ref.c1(), ort.c1()));
    }
    return err;
  }
}
