package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.RecordedLogWriter;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.ScoringModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir Path tmp;

  /** Runs the CLI, returning {exit code, stderr}. */
  private static Object[] run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      int code = JamwatchCli.commandLine().execute(args);
      return new Object[] {code, buf.toString()};
    } finally {
      System.setErr(err);
    }
  }

  /**
   * A small recorded log: devices with one event per second for {@code seconds}; with jams, every
   * ~8 minutes vibration drifts up for 100 s, then a JAM, 30 s stopped, JAM_CLEARED.
   */
  private Path log(String name, int devices, int seconds, boolean jams) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    SplittableRandom rng = new SplittableRandom(1);
    long t0 = 1_767_592_800_000L;
    try (RecordedLogWriter w = new RecordedLogWriter(dir.resolve("L01.avro"))) {
      for (int s = 0; s < seconds; s++) {
        for (int d = 0; d < devices; d++) {
          int phase = (s + 97 * d) % 480;
          EventType type = EventType.PACKAGE_SCANNED;
          float vib = (float) (1 + 0.1 * rng.nextGaussian());
          if (jams && phase >= 350 && phase < 450) vib += (phase - 350) / 25f;
          if (jams && phase == 450) type = EventType.JAM;
          else if (jams && phase > 450 && phase < 479) type = EventType.HEARTBEAT;
          else if (jams && phase == 479) type = EventType.JAM_CLEARED;
          w.write(ScannerEvent.newBuilder().setDeviceId("L01-S0" + d).setLineId("L01")
              .setEventTime(Instant.ofEpochMilli(t0 + s * 1000L + d)).setType(type)
              .setReadings(Map.of("vibration_rms", vib, "gap_ms", (float) (500 + 50 * rng.nextGaussian()))).build());
        }
      }
    }
    return dir;
  }

  @Test
  void trainsARiskModelAndWritesModelCardAndLearningCurve() throws Exception {
    Path logs = log("jams", 4, 3600, true);
    Path out = tmp.resolve("models/tiny.onnx");
    Object[] r = run("train", "--logs", logs.toString(), "--hidden", "4", "--epochs", "2", "--window", "32",
        "--batch", "8", "--horizon", "60s", "--out", out.toString());
    assertEquals(0, r[0], (String) r[1]);
    assertTrue(((String) r[1]).contains("epoch"), "progress bar on stderr");
    JsonNode card = new ObjectMapper().readTree(tmp.resolve("models/tiny.card.json").toFile());
    assertEquals(OnnxExporter.modelId(Files.readAllBytes(out)), card.get("model_id").asText());
    assertEquals(64, card.get("data").get("fingerprint_sha256").asText().length());
    assertTrue(card.get("validation_metrics").has("pr_auc"));
    assertTrue(card.get("thresholds").get("raise").asDouble() >= card.get("thresholds").get("clear").asDouble());
    assertTrue(Files.size(tmp.resolve("models/tiny.curve.png")) > 1000);
    assertTrue(Files.readString(tmp.resolve("models/tiny.card.md")).contains("tiny.curve.png"));
    try (ScoringModel m = ScoringModel.load(out)) {
      assertEquals(card.get("model_id").asText(), m.modelId());
      assertEquals(60, m.metadata().horizonSeconds());
    }
  }

  /** Without a ladder; with one, alerts on the ladder (the default) and on the primary score. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"none", "ladder", "primary"})
  void cardAlertFiguresEqualWhatBacktestMeasuresOnTheValidationPartWithTheSamePolicy(String ladder) throws Exception {
    Path logs = log("policy", 4, 3600, true);
    Path out = tmp.resolve("p/m.onnx");
    String[] policy = {"--min-events", "2", "--cooldown", "30s", "--clear-fraction", "0.6"};
    String[] horizons = ladder.equals("none") ? new String[0]
        : new String[] {"--extra-horizons", "300s,900s", "--alert-signal", ladder};
    Object[] r = run(concat(concat(new String[] {"train", "--logs", logs.toString(), "--hidden", "4", "--epochs", "2",
        "--window", "32", "--batch", "8", "--horizon", "60s", "--false-alarms-per-hour", "2", "--out", out.toString()},
        policy), horizons));
    assertEquals(0, r[0], (String) r[1]);
    JsonNode card = new ObjectMapper().readTree(tmp.resolve("p/m.card.json").toFile());
    Path report = tmp.resolve("p/report");
    Object[] b = run(concat(new String[] {"backtest", "--model", out.toString(), "--logs", logs.toString(),
        "--validation-of", tmp.resolve("p/m.card.json").toString(), "--report", report.toString()}, policy));
    assertEquals(0, b[0], (String) b[1]);
    JsonNode s = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    JsonNode own = s.get("detectors").get(0).get("atOwnThresholds");
    JsonNode val = card.get("alert_policy").get("validation");
    assertTrue(val.get("jams").asInt() > 0, "the validation part holds jams");
    assertEquals(val.get("jams").asInt(), own.get("jams").asInt());
    assertEquals(val.get("caught").asInt(), own.get("caught").asInt());
    assertEquals(val.get("alerts").asInt(), own.get("alerts").asInt());
    assertEquals(val.get("false_alarms").asInt(), own.get("falseAlarms").asInt());
    assertEquals(val.get("false_alarms_per_device_hour").asDouble(), own.get("falseAlarmsPerDeviceHour").asDouble(), 1e-12);
    assertEquals(val.get("recall").asDouble(), own.get("recall").asDouble(), 1e-12);
    assertEquals(val.get("median_lead_seconds").asText(), own.get("medianLeadSeconds").asText());
    assertEquals(card.get("thresholds").get("validation_false_alarms_per_device_hour").asDouble(),
        own.get("falseAlarmsPerDeviceHour").asDouble(), 1e-12);
    assertEquals(card.get("thresholds").get("validation_jams_caught").asInt(), own.get("caught").asInt());
    for (String k : new String[] {"device-day", "line-shift", "device-hour"}) {
      JsonNode c = card.get("operating_points").get(k);
      JsonNode o = s.get("detectors").get(0).get("operatingPoints").get(k);
      assertEquals(c.isNull(), o.isNull(), k);
      if (!c.isNull()) {
        assertEquals(c.get("threshold").asDouble(), o.get("threshold").asDouble(), 0, k);
        assertEquals(c.get("recall").asText(), o.get("recall").asText(), k);
        assertEquals(c.get("false_alarms").asInt(), o.get("falseAlarms").asInt(), k);
      }
    }
    assertEquals(ladder.equals("ladder") ? "ladder" : "primary", card.get("alert_policy").get("signal").asText());
    assertEquals(val.get("by_claimed_horizon_seconds").toString().replace("false_alarms", "falseAlarms"),
        own.get("byClaimedHorizonSeconds").toString());
    if (ladder.equals("ladder")) {
      // the validation alerts claim horizons of the model's ladder only
      val.get("by_claimed_horizon_seconds").fieldNames().forEachRemaining(
          h -> assertTrue(java.util.List.of("60", "300", "900").contains(h), h));
    }
    try (ScoringModel m = ScoringModel.load(out)) {
      assertEquals(ladder.equals("ladder"), m.metadata().alertOnLadder());
      assertEquals(card.get("alert_policy").get("raise").floatValue(), m.metadata().raiseThreshold());
      assertEquals(card.get("alert_policy").get("clear").floatValue(), m.metadata().clearThreshold());
      assertEquals(2, card.get("alert_policy").get("min_events_above").asInt());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void sameSeedWritesTheSameModelFileByteForByte() throws Exception {
    Path logs = log("det", 3, 1500, true);
    String[] a = {"train", "--logs", logs.toString(), "--hidden", "4", "--epochs", "1", "--window", "16", "--batch", "4", "--horizon", "60s", "--out"};
    Path m1 = tmp.resolve("a/m.onnx"), m2 = tmp.resolve("b/m.onnx");
    assertEquals(0, run(concat(a, m1.toString()))[0]);
    assertEquals(0, run(concat(a, m2.toString()))[0]);
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(m1), Files.readAllBytes(m2)));
  }

  @Test
  void emptyFolderStopsWithAMessage() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Object[] r = run("train", "--logs", empty.toString(), "--out", tmp.resolve("m.onnx").toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[1]).contains("holds no *.avro"), (String) r[1]);
  }

  @Test
  void foreignSchemaStopsWithAMessage() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("foreign"));
    Schema s = SchemaBuilder.record("Other").namespace("x").fields().requiredString("a").endRecord();
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(s))) {
      w.create(s, dir.resolve("x.avro").toFile());
      GenericRecord g = new GenericData.Record(s);
      g.put("a", "b");
      w.append(g);
    }
    Object[] r = run("train", "--logs", dir.toString(), "--out", tmp.resolve("m.onnx").toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[1]).contains("foreign schema"), (String) r[1]);
  }

  @Test
  void riskHeadOnALogWithoutJamsSaysToRecordJamsOrUseTheForecastHead() throws Exception {
    Path logs = log("quiet", 2, 300, false);
    Object[] r = run("train", "--logs", logs.toString(), "--out", tmp.resolve("m.onnx").toString());
    assertEquals(2, r[0]);
    assertTrue(((String) r[1]).contains("no JAM event") && ((String) r[1]).contains("--head forecast"), (String) r[1]);
  }

  @Test
  void forecastHeadTrainsWithoutJams() throws Exception {
    Path logs = log("quiet2", 2, 1200, false);
    Path out = tmp.resolve("f.onnx");
    Object[] r = run("train", "--logs", logs.toString(), "--head", "forecast", "--hidden", "4", "--epochs", "1",
        "--window", "16", "--batch", "4", "--out", out.toString());
    assertEquals(0, r[0], (String) r[1]);
    try (ScoringModel m = ScoringModel.load(out)) {
      assertTrue(m.metadata().hasForecast());
      assertTrue(m.metadata().surpriseStats() != null);
    }
  }

  private static String[] concat(String[] a, String b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + 1);
    r[a.length] = b;
    return r;
  }
}
