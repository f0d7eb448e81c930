package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.logs.RecordedLogWriter;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.onnx.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

  static final long T0 = 1_767_600_000_000L;

  /** The stream's policy raising on the first event at or above the threshold. */
  static final Backtest.Settings SETTINGS =
      Backtest.Settings.defaults().withPolicy(new AlertPolicy(0.7f, 0.5f, 1, 0, 60_000), 0.5);

  /**
   * One device, one event per second for 600 s. JAM at 300 s, JAM_CLEARED at 330 s. Reading x is 1
   * on 250..299 s (a precursor 50 s long) and 0 otherwise. Plus a duplicate of the event at 10 s.
   */
  static Path log(Path dir) throws Exception {
    try (RecordedLogWriter w = new RecordedLogWriter(dir.resolve("L1.avro"))) {
      for (int s = 0; s < 600; s++) {
        EventType type = s == 300 ? EventType.JAM : s == 330 ? EventType.JAM_CLEARED : EventType.PACKAGE_SCANNED;
        ScannerEvent e = ScannerEvent.newBuilder().setDeviceId("L1-S1").setLineId("L1")
            .setEventTime(Instant.ofEpochMilli(T0 + s * 1000L)).setType(type)
            .setReadings(Map.of("x", s >= 250 && s < 300 ? 1f : 0f)).setEventId("e" + s).build();
        w.write(e);
        if (s == 10) {
          w.write(e); // a duplicate the stream rejects
        }
      }
    }
    JamTruth.write(dir, List.of(new JamTruth("L1-S1", "L1", T0 + 300_000, T0 + 330_000, JamTruth.WEAR, T0 + 250_000)));
    return dir;
  }

  @Test
  void measuresEventRankingAndAlertsAsWorkedByHand(@TempDir Path dir) throws Exception {
    NetworkWeights w = TestModels.random(CellType.GRU, 6, 4, 1, true, 3);
    OnnxExporter.export(w, TestModels.metadata(w), dir.resolve("m.onnx"));
    Path logs = log(dir.resolve("log"));
    Backtest.Result r;
    try (EventDetector gate = EventDetector.model("m", ScoringModel.load(dir.resolve("m.onnx")))) {
      r = Backtest.run(logs, List.of(gate, EventDetector.reading("x", 1, "test")),
          SETTINGS, null);
    }
    // 601 events read, the duplicate rejected.
    assertEquals(601, r.events());
    assertEquals(1, r.rejected());
    // Horizon 120 s: POSITIVE 180..299 s (120), IN_JAM 300..330, CENSORED 480..599 (t + 120 s past
    // the log end at 599 s), NEGATIVE 0..179 and 331..479 = 180 + 149 = 329.
    assertEquals(120, r.positives());
    assertEquals(329, r.negatives());
    Backtest.DetectorResult x = r.detectors().get(1);
    // AP: at score 1, P = 1, R = 50/120; at 0, P = 120/449, R = 1 -> 50/120 + (70/120)(120/449)
    assertEquals(50.0 / 120 + 70.0 / 120 * 120.0 / 449, x.prAuc(), 1e-12);
    // ROC: the 50 precursor positives beat all negatives; the other 70 positives tie with them: AUC =
    // 50/120 + 70/120 * 0.5
    assertEquals(50.0 / 120 + 70.0 / 120 * 0.5, x.rocAuc(), 1e-12);
    AlertMetrics.Outcome op = x.operating();
    assertEquals(1, op.caught().size());
    assertEquals(50_000, op.caught().get(0).leadMillis()); // raised at 250 s, jam at 300 s
    assertEquals(0, op.falseAlarms());
    assertEquals(599 / 3600.0, r.deviceHours(), 1e-12);
    assertEquals(Map.of("wear", 1), r.jamsByMechanism());
  }

  @Test
  void reportIsSelfContainedHtmlWithPicturesAndASummary(@TempDir Path dir) throws Exception {
    NetworkWeights w = TestModels.random(CellType.GRU, 6, 4, 1, true, 3);
    OnnxExporter.export(w, TestModels.metadata(w), dir.resolve("m.onnx"));
    Path logs = log(dir.resolve("log"));
    Backtest.Result r;
    try (EventDetector gate = EventDetector.model("m", ScoringModel.load(dir.resolve("m.onnx")))) {
      r = Backtest.run(logs, List.of(gate, EventDetector.reading("x", 1, "test")), SETTINGS, null);
    }
    BacktestReport.write(r, Map.of("model", "m.onnx"), dir.resolve("report"));
    String html = java.nio.file.Files.readString(dir.resolve("report/report.html"));
    // PR curves, and one risk picture for the one jam; the model catches nothing at its operating
    // point here (random weights), so no lead-time picture for it.
    int images = html.split("data:image/png;base64,", -1).length - 1;
    assertEquals(2, images);
    assertEquals(false, html.contains("src=\"http"));
    com.fasterxml.jackson.databind.JsonNode s =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("report/summary.json").toFile());
    assertEquals(2, s.get("detectors").size());
    assertEquals(50.0, s.get("detectors").get(1).get("operatingPoint").get("leadSecondsByMechanism").get("wear").get(0).asDouble(), 1e-9);
  }

  @Test
  void aBaselineOfAnyScaleIsRankScaledIntoThePolicysRangeKeepingItsAlerts(@TempDir Path dir) throws Exception {
    NetworkWeights w = TestModels.random(CellType.GRU, 6, 4, 1, true, 3);
    OnnxExporter.export(w, TestModels.metadata(w), dir.resolve("m.onnx"));
    Path logs = log(dir.resolve("log"));
    EventDetector x = EventDetector.reading("x", 1, "test");
    EventDetector scaled = new EventDetector() {
      final EventDetector inner = EventDetector.reading("x", 1, "test");

      @Override
      public String name() {
        return "5x+3";
      }

      @Override
      public String describe() {
        return "x on another scale";
      }

      @Override
      public float score(ScannerEvent e) {
        return 5 * inner.score(e) + 3;
      }
    };
    Backtest.Result r;
    try (EventDetector gate = EventDetector.model("m", ScoringModel.load(dir.resolve("m.onnx")))) {
      r = Backtest.run(logs, List.of(gate, x, scaled), SETTINGS, null);
    }
    Backtest.DetectorResult a = r.detectors().get(1);
    Backtest.DetectorResult b = r.detectors().get(2);
    assertEquals(false, a.rankScaled());
    assertEquals(true, b.rankScaled());
    assertEquals(a.prAuc(), b.prAuc(), 1e-12);
    assertEquals(50_000, b.operating().caught().get(0).leadMillis());
    assertEquals(0, b.operating().falseAlarms());
  }

  @Test
  void aScopeMeasuresOnlyTheEventsFromItsStartWhileReplayingTheEarlierOnes(@TempDir Path dir) throws Exception {
    NetworkWeights w = TestModels.random(CellType.GRU, 6, 4, 1, true, 3);
    OnnxExporter.export(w, TestModels.metadata(w), dir.resolve("m.onnx"));
    Path logs = log(dir.resolve("log"));
    Backtest.Result r;
    try (EventDetector gate = EventDetector.model("m", ScoringModel.load(dir.resolve("m.onnx")))) {
      r = Backtest.run(logs, List.of(gate, EventDetector.reading("x", 1, "test")),
          SETTINGS.withScope(d -> T0 + 400_000), null);
    }
    // From 400 s: no jam, NEGATIVE 400..479 (80), CENSORED after; 199 s measured.
    assertEquals(0, r.positives());
    assertEquals(80, r.negatives());
    assertEquals(199 / 3600.0, r.deviceHours(), 1e-12);
    assertEquals(Map.of(), r.jamsByMechanism());
    assertEquals(0, r.detectors().get(1).operatingPoints().get(AlertMetrics.OperatingPoint.DEVICE_HOUR).alerts());
  }
}
