package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureGroup;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.features.Transform;
import io.jamwatch.model.CellType;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AlertExplainerTest {
  private static final long T0 = TestEvents.T0;

  static {
    // Avro 1.12.2 copies enums in a record builder only for trusted generated classes.
    io.jamwatch.logs.TrustedAvroClasses.register();
  }

  @TempDir Path dir;

  @Test
  void blamesTheOneReadingThatDrivesTheScoreAndLeavesTheStateAlone() {
    try (ScoringModel m = ScoringModel.load(TestModels.steerable(dir, "steer.onnx", 1))) {
      DeviceMemory mem = m.newMemory();
      m.score(TestEvents.withSpeed("D1", "L1", T0, "a", TestModels.speedMean()), mem);
      ScannerEvent high = TestEvents.withSpeed("D1", "L1", T0 + 1000, "b", 2.4f);
      DeviceMemory before = mem.copy();
      float score = m.score(high, mem);
      assertTrue(score > 0.99f, "steerable model scores a fast belt ~1, got " + score);

      AlertExplainer x = new AlertExplainer(m);
      float[] h = before.h.clone();
      List<AlertReason> reasons = x.explain(high, before, score);

      assertEquals(1, reasons.size(), "only the belt speed moves this model: " + reasons);
      assertEquals(TestEvents.SPEED, reasons.get(0).getGroup());
      // Occluded, the speed is at its training mean: standardised 0, so the score is sigmoid(0).
      assertEquals(score - 0.5f, reasons.get(0).getDrop(), 1e-6f);
      assertArrayEquals(h, before.h, "the state before the event is not modified");
      assertEquals(T0, before.lastEventTime);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CellType.class, names = {"GRU", "LSTM"})
  void occludingAGroupEqualsScoringTheEventWithThatInputAtItsTrainingMean(CellType cell) {
    try (ScoringModel m = ScoringModel.load(TestModels.random(dir, cell + ".onnx", cell, false, 11))) {
      FeatureSpec spec = m.metadata().featureSpec();
      AlertExplainer x = new AlertExplainer(m);
      List<ScannerEvent> events = TestEvents.lines(1, 1, 40, 1000, 5);
      DeviceMemory mem = m.newMemory();
      for (int i = 0; i < 30; i++) m.score(events.get(i), mem);
      for (int i = 30; i < 40; i++) {
        ScannerEvent e = withType(events.get(i), EventType.NO_READ);
        DeviceMemory before = mem.copy();
        float score = m.score(e, mem);
        x.explain(e, before, score);
        float[] drops = x.lastDrops();
        List<FeatureGroup> groups = x.groups();
        for (int g = 0; g < groups.size(); g++) {
          ScannerEvent occluded = atTrainingMean(e, groups.get(g).name(), spec);
          if (occluded == null) continue; // the time gap cannot be set from a raw event here
          float expected = score - m.score(occluded, before.copy());
          assertEquals(expected, drops[g], 1e-5f, "group " + groups.get(g).name() + " at event " + i);
        }
      }
    }
  }

  @Test
  void reasonsAreTheLargestPositiveDropsAtMostThreeLargestFirst() {
    try (ScoringModel m = ScoringModel.load(TestModels.random(dir, "r.onnx", CellType.GRU, false, 3))) {
      AlertExplainer x = new AlertExplainer(m);
      DeviceMemory mem = m.newMemory();
      int withReasons = 0;
      for (ScannerEvent e : TestEvents.lines(1, 1, 60, 1000, 9)) {
        DeviceMemory before = mem.copy();
        float score = m.score(e, mem);
        List<AlertReason> reasons = x.explain(e, before, score);
        float[] drops = x.lastDrops();
        float[] positiveSorted = positiveDescending(drops);
        assertEquals(Math.min(AlertExplainer.TOP_REASONS, positiveSorted.length), reasons.size());
        for (int k = 0; k < reasons.size(); k++) {
          assertEquals(positiveSorted[k], reasons.get(k).getDrop(), 0f);
          int g = indexOfGroup(x, reasons.get(k).getGroup());
          assertEquals(drops[g], reasons.get(k).getDrop(), 0f);
        }
        if (!reasons.isEmpty()) withReasons++;
      }
      assertTrue(withReasons > 0, "a random model has some input that raises its score");
    }
  }

  private static int indexOfGroup(AlertExplainer x, String name) {
    for (int g = 0; g < x.groups().size(); g++) if (x.groups().get(g).name().equals(name)) return g;
    throw new AssertionError("no group " + name);
  }

  private static float[] positiveDescending(float[] drops) {
    float[] p = new float[drops.length];
    int n = 0;
    for (float d : drops) if (d > 0f) p[n++] = d;
    float[] out = Arrays.copyOf(p, n);
    Arrays.sort(out);
    for (int i = 0; i < n / 2; i++) {
      float t = out[i];
      out[i] = out[n - 1 - i];
      out[n - 1 - i] = t;
    }
    return out;
  }

  private static ScannerEvent withType(ScannerEvent e, EventType type) {
    return ScannerEvent.newBuilder(e).setType(type).build();
  }

  /** The raw event whose encoding has group {@code name} at its training mean, or null for the time gap. */
  private static ScannerEvent atTrainingMean(ScannerEvent e, String name, FeatureSpec spec) {
    if (name.equals(FeatureSpec.GAP_GROUP)) return null;
    if (name.equals(FeatureSpec.EVENT_TYPE_GROUP)) return withType(e, EventType.PACKAGE_SCANNED);
    FeatureSpec.ReadingSpec r = spec.readings().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    double mean = r.mean();
    double raw = r.transform() == Transform.NONE ? mean : Math.copySign(Math.expm1(Math.abs(mean)), mean);
    Map<String, Float> readings = new HashMap<>(e.getReadings());
    readings.put(name, (float) raw);
    return ScannerEvent.newBuilder(e).setReadings(readings).build();
  }

}
