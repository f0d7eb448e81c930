package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.EventMapping;
import io.jamwatch.ingest.JsonEventEncoder;
import io.jamwatch.logs.RecordedLogReader;
import io.jamwatch.logs.RecordedLogWriter;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.TestModels;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import-json} and {@code score --input-format json}: one log through both formats. */
class JsonInputCommandsTest {
  static final String CONFIG = """
      input.format=json
      mapping.device-id=/scanner/id
      mapping.line-id=/scanner/line
      mapping.event-time=/ts
      mapping.event-time.format=iso
      mapping.type=/kind
      mapping.type.values=scan:PACKAGE_SCANNED,noread:NO_READ,jam:JAM,clear:JAM_CLEARED,hb:HEARTBEAT
      mapping.event-id=/msgId
      mapping.readings=/plc/*
      """;

  @Test
  void aLogWrittenAsGatewayJsonImportsAndScoresExactlyAsTheAvroLog(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("jamwatch.properties");
    Files.writeString(cfg, CONFIG);
    Properties p = new Properties();
    p.load(new java.io.StringReader(CONFIG));
    EventMapping mapping = EventMapping.fromProperties(p);
    List<ScannerEvent> events = new ArrayList<>();
    Iterator<ScannerEvent> sim = new Simulator(SimConfig.defaults().withShape(1, 3, 1.0, 4)).events();
    while (sim.hasNext() && events.size() < 1500) {
      events.add(sim.next());
    }
    Files.createDirectories(dir.resolve("avro"));
    try (RecordedLogWriter w = new RecordedLogWriter(dir.resolve("avro/part.avro"))) {
      events.forEach(w::write);
    }
    JsonEventEncoder enc = new JsonEventEncoder(mapping);
    Path jsonl = dir.resolve("gateway.jsonl");
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8))) {
      for (ScannerEvent e : events) {
        w.println(new String(enc.encode(e), StandardCharsets.UTF_8));
      }
      w.println("{\"scanner\": {\"id\": \"L00-S00\"}, \"ts\": \"2026-01-01T00:00:00Z\", \"kind\": \"scan\"}");
      w.println("not json");
    }

    int rc = JamwatchCli.commandLine().execute("import-json", "--in", jsonl.toString(), "--out",
        dir.resolve("imported").toString(), "--config", cfg.toString());
    assertEquals(0, rc);
    List<ScannerEvent> back = new ArrayList<>();
    try (RecordedLogReader.EventStream s = RecordedLogReader.open(dir.resolve("imported"))) {
      s.forEachRemaining(back::add);
    }
    assertEquals(events, back, "the imported log is the original log, event for event");
    List<String> rejects = Files.readAllLines(dir.resolve("imported").resolve(ImportJsonCommand.REJECTS));
    assertEquals(2, rejects.size());
    assertTrue(rejects.get(0).startsWith("line 1501: MISSING_FIELD"), rejects.get(0));
    assertTrue(rejects.get(1).startsWith("line 1502: INVALID_JSON"), rejects.get(1));

    NetworkWeights w = TestModels.random(CellType.GRU, 6, 4, 1, false, 5);
    OnnxExporter.export(w, TestModels.metadata(w), dir.resolve("m.onnx"));
    assertEquals(0, JamwatchCli.commandLine().execute("score", "--model", dir.resolve("m.onnx").toString(),
        "--logs", dir.resolve("avro").toString(), "--out", dir.resolve("avro.csv").toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, JamwatchCli.commandLine().execute("score", "--model", dir.resolve("m.onnx").toString(),
          "--logs", jsonl.toString(), "--config", cfg.toString(), "--out", dir.resolve("json.csv").toString()));
    } finally {
      System.setOut(old);
    }
    assertEquals(Files.readAllLines(dir.resolve("avro.csv")), Files.readAllLines(dir.resolve("json.csv")),
        "same rows, same scores, bit for bit");
    String summary = out.toString(StandardCharsets.UTF_8);
    assertTrue(summary.contains("INVALID_JSON=1") && summary.contains("MISSING_FIELD=1"), summary);
  }

  @Test
  void registryFramingIsNotAFileFormat(@TempDir Path dir) throws Exception {
    int rc = JamwatchCli.commandLine().execute("import-json", "--in", dir.resolve("x.jsonl").toString(), "--out",
        dir.resolve("o").toString(), "--input-format", "avro-registry");
    assertEquals(2, rc);
  }
}
