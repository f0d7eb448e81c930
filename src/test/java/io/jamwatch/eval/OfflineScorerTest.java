package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.onnx.TestModels;
import io.jamwatch.scoring.RejectReason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineScorerTest {

  @TempDir static Path dir;
  static ScoringModel risk;
  static ScoringModel forecast;

  @BeforeAll
  static void models() {
    NetworkWeights w = TestModels.random(CellType.GRU, 6, 8, 1, true, 11);
    ModelMetadata m = TestModels.metadata(w);
    OnnxExporter.export(w, m, dir.resolve("risk.onnx"));
    OnnxExporter.export(w, m.withScoreHead(ModelMetadata.Head.FORECAST), dir.resolve("forecast.onnx"));
    risk = ScoringModel.load(dir.resolve("risk.onnx"));
    forecast = ScoringModel.load(dir.resolve("forecast.onnx"));
  }

  @AfterAll
  static void close() {
    risk.close();
    forecast.close();
  }

  static ScannerEvent ev(String device, long t, String id, float a, float b) {
    Map<String, Float> r = new HashMap<>();
    r.put("r00", a);
    r.put("r01", b);
    return ScannerEvent.newBuilder().setDeviceId(device).setLineId("L1").setEventTime(Instant.ofEpochMilli(t))
        .setType(EventType.PACKAGE_SCANNED).setReadings(r).setEventId(id).build();
  }

  static List<ScannerEvent> interleaved() {
    List<ScannerEvent> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(ev("A", 1_000L * i + 1_700_000_000_000L, "a" + i, (float) Math.sin(i), i * 0.1f));
      out.add(ev("B", 1_000L * i + 1_700_000_000_500L, "b" + i, (float) Math.cos(i), -i * 0.05f));
    }
    return out;
  }

  @Test
  void scoresEqualScoringModelSteppingBitForBit() {
    for (ScoringModel model : List.of(risk, forecast)) {
      OfflineScorer s = new OfflineScorer(model);
      Map<String, DeviceMemory> mem = new HashMap<>();
      for (ScannerEvent e : interleaved()) {
        OfflineScorer.Scored got = s.score(e);
        float want = model.score(e, mem.computeIfAbsent(e.getDeviceId(), d -> model.newMemory()));
        assertNull(got.reject());
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got.score()), "event " + e.getEventId());
      }
    }
  }

  @Test
  void duplicateAndOutOfOrderEventsAreRejectedWithoutTouchingState() {
    OfflineScorer s = new OfflineScorer(forecast);
    DeviceMemory ref = forecast.newMemory();
    long t0 = 1_700_000_000_000L;
    ScannerEvent e1 = ev("A", t0, "x1", 1f, 2f);
    ScannerEvent e2 = ev("A", t0 + 1000, "x2", 1.5f, 2f);
    ScannerEvent e3 = ev("A", t0 + 2000, "x3", 0.5f, 1f);
    s.score(e1);
    forecast.score(e1, ref);
    s.score(e2);
    forecast.score(e2, ref);
    assertEquals(RejectReason.DUPLICATE, s.score(ev("A", t0 + 1500, "x2", 9f, 9f)).reject());
    assertEquals(RejectReason.OUT_OF_ORDER, s.score(ev("A", t0 + 500, "x9", 9f, 9f)).reject());
    assertEquals(RejectReason.NON_FINITE_READING, s.score(ev("A", t0 + 1600, "x8", Float.NaN, 9f)).reject());
    OfflineScorer.Scored got = s.score(e3);
    assertEquals(Float.floatToIntBits(forecast.score(e3, ref)), Float.floatToIntBits(got.score()));
    assertEquals(3, got.eventCount());
  }

  @Test
  void silenceLongerThanTheGapRestartsFromAFreshState() {
    OfflineScorer s = new OfflineScorer(risk);
    long t0 = 1_700_000_000_000L;
    for (int i = 0; i < 5; i++) {
      assertEquals(i == 0, s.score(ev("A", t0 + i * 1000L, null, i, 1f)).reset());
    }
    ScannerEvent late = ev("A", t0 + 4000 + 600_001, null, 3f, 1f);
    OfflineScorer.Scored got = s.score(late);
    assertTrue(got.reset());
    assertEquals(Float.floatToIntBits(risk.score(late, risk.newMemory())), Float.floatToIntBits(got.score()));
    assertEquals(1, got.eventCount());
    assertFalse(s.score(ev("A", t0 + 4000 + 600_002, null, 3f, 1f)).reset());
  }
}
