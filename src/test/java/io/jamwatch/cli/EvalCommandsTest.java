package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.ScoreTableWriter;
import io.jamwatch.logs.RecordedLogWriter;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.onnx.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandsTest {

  @Test
  void scoreCommandWritesOneRowPerEventEqualToScoringModel(@TempDir Path dir) throws Exception {
    NetworkWeights w = TestModels.random(CellType.LSTM, 6, 4, 1, false, 5);
    OnnxExporter.export(w, TestModels.metadata(w), dir.resolve("m.onnx"));
    List<ScannerEvent> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(ScannerEvent.newBuilder().setDeviceId(i % 2 == 0 ? "A" : "B").setLineId("L")
          .setEventTime(Instant.ofEpochMilli(1_767_600_000_000L + i * 700L)).setType(EventType.PACKAGE_SCANNED)
          .setReadings(Map.of("r00", (float) Math.sin(i), "r01", i * 0.1f)).setEventId("e" + i).build());
    }
    Files.createDirectories(dir.resolve("log"));
    try (RecordedLogWriter lw = new RecordedLogWriter(dir.resolve("log/L.avro"))) {
      for (ScannerEvent e : events) {
        lw.write(e);
      }
      lw.write(events.get(49)); // duplicate
    }
    int rc = JamwatchCli.commandLine().execute("score", "--model", dir.resolve("m.onnx").toString(),
        "--logs", dir.resolve("log").toString(), "--out", dir.resolve("out.csv").toString());
    assertEquals(0, rc);
    List<String> lines = Files.readAllLines(dir.resolve("out.csv"));
    assertEquals(ScoreTableWriter.HEADER, lines.get(0));
    assertEquals(52, lines.size());
    assertTrue(lines.get(51).contains(",DUPLICATE,"), lines.get(51));
    try (ScoringModel m = ScoringModel.load(dir.resolve("m.onnx"))) {
      Map<String, DeviceMemory> mem = new java.util.HashMap<>();
      for (int i = 0; i < 50; i++) {
        ScannerEvent e = events.get(i);
        float want = m.score(e, mem.computeIfAbsent(e.getDeviceId(), d -> m.newMemory()));
        String[] f = lines.get(i + 1).split(",");
        assertEquals(e.getEventId(), f[4]);
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(Float.parseFloat(f[5])), "row " + i);
        assertEquals("SCORED", f[8]);
      }
    }
  }

  @Test
  void benchSkabSliceWritesPooledMetrics(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("../shared/eval/skab")), "shared SKAB copy not present");
    int rc = JamwatchCli.commandLine().execute("bench", "skab", "--limit", "2", "--detector", "gru", "--out", dir.toString());
    assertEquals(0, rc);
    JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertEquals(2, s.get("files").asInt());
    JsonNode first = s.get("results").get(0);
    double f1 = first.get("f1").asDouble();
    assertTrue(f1 >= 0 && f1 <= 1, "F1 " + f1);
    long rows = first.get("tp").asLong() + first.get("fp").asLong() + first.get("fn").asLong() + first.get("tn").asLong();
    assertEquals(345 + 380, rows); // test rows of other/1.csv and other/2.csv (SOURCE.md)
  }

  @Test
  void benchNabSliceWritesResultsInNabFormat(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("../shared/eval/nab")), "shared NAB copy not present");
    int rc = JamwatchCli.commandLine().execute("bench", "nab", "--limit", "1", "--detector", "gru", "--out", dir.toString());
    assertEquals(0, rc);
    Path f = dir.resolve("results/jamwatch-gru/artificialNoAnomaly/jamwatch-gru_art_daily_no_noise.csv");
    List<String> lines = Files.readAllLines(f);
    assertEquals("timestamp,value,anomaly_score,label", lines.get(0));
    assertEquals(4033, lines.size()); // 4032 rows + header
    for (String l : lines.subList(1, lines.size())) {
      double s = Double.parseDouble(l.split(",")[2]);
      assertTrue(s >= 0 && s <= 1, l);
    }
  }
}
