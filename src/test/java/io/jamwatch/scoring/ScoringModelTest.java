package io.jamwatch.scoring;

import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.TestModels;
import io.jamwatch.onnx.ModelMetadata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureEncoder;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.features.TestEvents;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.ReferenceForward;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

public class ScoringModelTest {
  @TempDir Path dir;

  /** One device, n events, some readings missing, irregular gaps, a few NO_READs. */
  public static List<ScannerEvent> sequence(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<ScannerEvent> out = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < n; i++) {
      t += 200 + rng.nextInt(3000);
      Map<String, Float> r = new HashMap<>();
      r.put("belt_speed", (float) (1.5 + 0.1 * rng.nextGaussian()));
      if (rng.nextDouble() < 0.8) r.put("dwell_ms", (float) (40 * Math.exp(rng.nextGaussian())));
      r.put("vibration_rms", (float) Math.abs(rng.nextGaussian()));
      out.add(TestEvents.event("D1", t, rng.nextDouble() < 0.1 ? EventType.NO_READ : EventType.PACKAGE_SCANNED, r));
    }
    return out;
  }

  /** The encoded sequence x [T, 1, F], exactly as a trainer would build it. */
  public static float[] encode(FeatureSpec spec, List<ScannerEvent> events) {
    FeatureEncoder enc = new FeatureEncoder(spec);
    float[] x = new float[events.size() * spec.size()];
    float[] row = new float[spec.size()];
    long prev = FeatureEncoder.NO_PREVIOUS;
    for (int t = 0; t < events.size(); t++) {
      enc.encode(events.get(t), prev, row);
      System.arraycopy(row, 0, x, t * spec.size(), spec.size());
      prev = events.get(t).getEventTime().toEpochMilli();
    }
    return x;
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void riskScoresEqualReferenceForwardOverTheEncodedSequence(CellType cell) {
    List<ScannerEvent> events = sequence(120, 1);
    FeatureSpec spec = FeatureSpec.fit(sequence(500, 2).iterator());
    NetworkWeights w = NetworkWeights.random(cell, spec.size(), 16, 2, false, true, false, new SplittableRandom(3));
    Path f = dir.resolve("m.onnx");
    String id = OnnxExporter.export(w, ModelMetadata.describe(w, spec, null).withWarmupEvents(5), f);
    ReferenceForward.Output ref = ReferenceForward.forward(w, encode(spec, events), events.size(), 1, null, null);
    try (ScoringModel m = ScoringModel.load(f)) {
      assertEquals(id, m.modelId());
      DeviceMemory mem = m.newMemory();
      float err = 0;
      for (int t = 0; t < events.size(); t++) {
        err = Math.max(err, Math.abs(m.score(events.get(t), mem) - ref.score()[t]));
        assertEquals(t < 5, m.warming(mem), "warming after event " + (t + 1));
      }
      assertTrue(err <= 1e-5f, "score error " + err);
      assertTrue(TestModels.maxAbsDiff(mem.h, ref.h1()) <= 1e-5f);
      assertEquals(events.size(), mem.eventCount);
      assertEquals(events.get(events.size() - 1).getEventTime().toEpochMilli(), mem.lastEventTime);
    }
  }

  @Test
  void ladderAlertsRaiseOnTheLargestRungAndClaimTheShortestHorizonAtTheRaiseThresholdOfTheSameStep() {
    List<ScannerEvent> events = sequence(200, 11);
    FeatureSpec spec = FeatureSpec.fit(sequence(500, 12).iterator());
    NetworkWeights w = NetworkWeights.random(CellType.GRU, spec.size(), 16, 1, true, true, false, 2, new SplittableRandom(13));
    // spread the ladder's biases so each rung is sometimes above and sometimes below 1/2
    w.horizonB[0] = -0.2f;
    w.horizonB[1] = 0.3f;
    Path f = dir.resolve("ladder.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, null).withHorizonSeconds(120)
        .withExtraHorizonSeconds(List.of(600L, 1800L)).withAlertOnLadder(true), f);
    ReferenceForward.Output ref = ReferenceForward.forward(w, encode(spec, events), events.size(), 1, null, null);
    java.util.Set<Long> seen = new java.util.TreeSet<>();
    try (ScoringModel m = ScoringModel.load(f)) {
      assertEquals(List.of(600L, 1800L), m.metadata().extraHorizonSeconds());
      assertTrue(m.metadata().alertOnLadder());
      DeviceMemory mem = m.newMemory();
      for (int t = 0; t < events.size(); t++) {
        float s = m.score(events.get(t), mem);
        float p600 = ref.horizonScore()[2 * t], p1800 = ref.horizonScore()[2 * t + 1];
        assertEquals(Math.max(s, Math.max(p600, p1800)), m.alertSignal(s), 1e-5f, "signal, event " + t);
        long want = s >= 0.5f ? 120_000L : p600 >= 0.5f ? 600_000L : 1_800_000L; // p1800 < 1/2 too: the longest
        if (Math.abs(s - 0.5f) < 1e-4f || Math.abs(p600 - 0.5f) < 1e-4f || Math.abs(p1800 - 0.5f) < 1e-4f) continue;
        assertEquals(want, m.claimMillis(0.5f), "event " + t);
        seen.add(want);
      }
    }
    assertTrue(seen.size() >= 2, "the test should see more than one claimed horizon, saw " + seen);
  }

  @Test
  void aModelAlertingOnItsPrimaryScoreClaimsItsPrimaryHorizon() {
    FeatureSpec spec = FeatureSpec.fit(sequence(300, 14).iterator());
    NetworkWeights w = NetworkWeights.random(CellType.GRU, spec.size(), 8, 1, true, true, false, new SplittableRandom(15));
    Path f = dir.resolve("plain.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, null).withHorizonSeconds(120), f);
    try (ScoringModel m = ScoringModel.load(f)) {
      DeviceMemory mem = m.newMemory();
      float s = m.score(sequence(5, 16).get(0), mem);
      assertEquals(s, m.alertSignal(s));
      assertEquals(120_000L, m.claimMillis(0.5f));
      assertEquals(120_000L, m.claimMillis(0.01f));
      assertFalse(m.metadata().alertOnLadder());
    }
  }

  @Test
  void forecastScoresAreTheDetectorStagesOverReferencePredictions() {
    List<ScannerEvent> events = sequence(80, 4);
    FeatureSpec spec = FeatureSpec.fit(sequence(500, 5).iterator());
    NetworkWeights w = NetworkWeights.random(CellType.LSTM, spec.size(), 12, 1, false, true, true, new SplittableRandom(6));
    ForecastSurprise.Stats stats = new ForecastSurprise.Stats(-0.5f, 1.2f, 4, 0);
    DetectorConfig cfg = DetectorConfig.builder().forecastTerm(true).persistenceTerm(false).noveltyTerm(false).build();
    Path f = dir.resolve("f.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, stats).withScoreHead(ModelMetadata.Head.FORECAST), f);
    byte[] bytes;
    try {
      bytes = ScoringModel.withDetector(Files.readAllBytes(f), cfg);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    float[] x = encode(spec, events);
    ReferenceForward.Output ref = ReferenceForward.forward(w, x, events.size(), 1, null, null);
    int F = spec.size();
    int R = spec.readings().size();
    int[] idx = new int[R];
    for (int i = 0; i < R; i++) idx[i] = 2 * i;
    DetectorStages stages = new DetectorStages(cfg, R, true);
    double[] state = new double[stages.stateSize()];
    stages.initState(state);
    try (ScoringModel m = ScoringModel.load(bytes, "test")) {
      assertEquals(cfg, m.detector().config(), "the detector configuration travels in the model file");
      DeviceMemory mem = m.newMemory();
      double[] values = new double[R];
      float[] row = new float[F];
      float[] pred = new float[F];
      float err = 0;
      for (int t = 0; t < events.size(); t++) {
        m.readings(events.get(t), values);
        System.arraycopy(x, t * F, row, 0, F);
        if (t > 0) System.arraycopy(ref.pred(), (t - 1) * F, pred, 0, F);
        float expected = (float) DetectorStages.score(stages.strength(state, values, row, t == 0 ? null : pred, idx));
        float got = m.score(events.get(t), mem);
        err = Math.max(err, Math.abs(got - expected));
      }
      // The likelihood is a steep function of the error; 1e-3 allows for the 1e-7 pred differences
      // between ONNX Runtime and the reference forward.
      assertTrue(err <= 1e-3f, "forecast score error " + err);
    }
  }

  /**
   * A residual forecaster with the cells' input clipped, on a version-2 feature spec (regular
   * 5-minute spacing: the gap is not a value; a daily cycle): the metadata round-trips and the
   * stream's path (ScoringModel, unchanged) scores exactly the reference forward pass's likelihood,
   * including rows far outside the training range.
   */
  @Test
  void residualForecasterOnARegularSeriesScoresLikeTheReference() {
    List<ScannerEvent> all = new java.util.ArrayList<>();
    SplittableRandom rng = new SplittableRandom(12);
    for (int i = 0; i < 3 * 288; i++) {
      float v = (float) (Math.sin(2 * Math.PI * i / 288) + 0.1 * rng.nextGaussian() + (i > 800 ? 60 : 0));
      all.add(io.jamwatch.features.TestEvents.scan("S", 1_700_000_100_000L + 300_000L * i, java.util.Map.of("v", v)));
    }
    FeatureSpec spec = FeatureSpec.fit(all.subList(0, 700).iterator(), 1000f);
    assertEquals(List.of(FeatureSpec.DAY), spec.calendarCycles());
    assertEquals(300_000L, spec.regularGapMillis());
    NetworkWeights w = NetworkWeights.random(CellType.GRU, spec.size(), 8, 1, true, false, true, new SplittableRandom(13));
    w.makeResidual(spec.valueIndices(), 0.3f);
    w.setInputClip(FeatureSpec.DEFAULT_CLIP);
    ForecastSurprise.Stats stats = new ForecastSurprise.Stats(-2f, 1.5f, 5, 0);
    ModelMetadata meta = ModelMetadata.describe(w, spec, stats).withScoreHead(ModelMetadata.Head.FORECAST);
    assertEquals(meta, ModelMetadata.fromProps(meta.toProps()));
    Path f = dir.resolve("residual.onnx");
    OnnxExporter.export(w, meta, f);
    List<ScannerEvent> events = all.subList(600, all.size());
    float[] x = encode(spec, events);
    ReferenceForward.Output ref = ReferenceForward.forward(w, x, events.size(), 1, null, null);
    int F = spec.size();
    int R = spec.readings().size();
    int[] idx = new int[R];
    for (int i = 0; i < R; i++) idx[i] = 2 * i;
    try (ScoringModel m = ScoringModel.load(f)) {
      // No detector in the file: the default configuration, stepped here over the reference forecasts.
      DetectorStages stages = new DetectorStages(DetectorConfig.defaults(), R, true);
      assertEquals(DetectorConfig.defaults(), m.detector().config());
      double[] state = new double[stages.stateSize()];
      stages.initState(state);
      double[] values = new double[R];
      float[] row = new float[F], pred = new float[F];
      DeviceMemory mem = m.newMemory();
      float err = 0, predErr = 0;
      for (int t = 0; t < events.size(); t++) {
        m.readings(events.get(t), values);
        System.arraycopy(x, t * F, row, 0, F);
        if (t > 0) System.arraycopy(ref.pred(), (t - 1) * F, pred, 0, F);
        float expected = (float) DetectorStages.score(stages.strength(state, values, row, t == 0 ? null : pred, idx));
        float got = m.score(events.get(t), mem);
        err = Math.max(err, Math.abs(got - expected));
        for (int i = 0; i < F; i++) predErr = Math.max(predErr, Math.abs(mem.pred[i] - ref.pred()[t * F + i]));
      }
      assertTrue(predErr <= 1e-4f * 60, "pred error " + predErr); // values reach ~60 sigma: relative 1e-4 of that
      // The likelihood is steep in the error; 1e-3 allows for the ~1e-5 pred differences here.
      assertTrue(err <= 1e-3f, "forecast score error " + err);
    }
  }

  @Test
  void twoLoadsOfOneFileScoreBitIdentically() {
    List<ScannerEvent> events = sequence(60, 7);
    FeatureSpec spec = FeatureSpec.fit(events.iterator());
    NetworkWeights w = NetworkWeights.random(CellType.GRU, spec.size(), 8, 1, true, true, false, new SplittableRandom(8));
    Path f = dir.resolve("g.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, null), f);
    try (ScoringModel a = ScoringModel.load(f); ScoringModel b = ScoringModel.load(f)) {
      DeviceMemory ma = a.newMemory(), mb = b.newMemory();
      for (ScannerEvent e : events) assertEquals(Float.floatToIntBits(a.score(e, ma)), Float.floatToIntBits(b.score(e, mb)));
    }
  }

  @Test
  void resetMemoryScoresLikeAFreshDevice() {
    List<ScannerEvent> events = sequence(30, 9);
    FeatureSpec spec = FeatureSpec.fit(events.iterator());
    NetworkWeights w = NetworkWeights.random(CellType.LSTM, spec.size(), 8, 1, false, true, true, new SplittableRandom(8));
    Path f = dir.resolve("r.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, new ForecastSurprise.Stats(0f, 1f, 3, 0)), f);
    try (ScoringModel m = ScoringModel.load(f)) {
      DeviceMemory mem = m.newMemory();
      float first = m.score(events.get(0), mem);
      for (ScannerEvent e : events) m.score(e, mem);
      DeviceMemory snapshot = mem.copy();
      mem.reset();
      assertEquals(first, m.score(events.get(0), mem));
      assertFalse(snapshot.eventCount == mem.eventCount);
    }
  }

  @Test
  void refusesFilesItCannotHonourWithAClearMessage() throws Exception {
    Path junk = dir.resolve("junk.onnx");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5});
    assertMessage(junk, "not an ONNX model");

    NetworkWeights w = TestModels.random(CellType.GRU, 9, 6, 1, false, 1);
    ModelProto good = OnnxExporter.build(w, TestModels.metadata(w));
    Path foreign = dir.resolve("foreign.onnx");
    Files.write(foreign, good.toBuilder().clearMetadataProps().build().toByteArray());
    assertMessage(foreign, "no jamwatch metadata");

    ModelProto.Builder b = good.toBuilder();
    for (int i = 0; i < b.getMetadataPropsCount(); i++)
      if (b.getMetadataProps(i).getKey().equals("jamwatch.feature_spec"))
        b.getMetadataPropsBuilder(i).setValue(b.getMetadataProps(i).getValue().replace("\"version\":1",
            "\"version\":" + (io.jamwatch.features.FeatureSpec.VERSION + 1)));
    Path newer = dir.resolve("newer.onnx");
    Files.write(newer, b.build().toByteArray());
    assertMessage(newer, "feature spec version " + (io.jamwatch.features.FeatureSpec.VERSION + 1));

    ModelProto.Builder lie = good.toBuilder();
    for (int i = 0; i < lie.getMetadataPropsCount(); i++)
      if (lie.getMetadataProps(i).getKey().equals("jamwatch.hidden_size")) lie.getMetadataPropsBuilder(i).setValue("7");
    Path mislabelled = dir.resolve("mislabelled.onnx");
    Files.write(mislabelled, lie.build().toByteArray());
    assertMessage(mislabelled, "h0");
  }

  private static void assertMessage(Path f, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoringModel.load(f).close());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
  }
}
