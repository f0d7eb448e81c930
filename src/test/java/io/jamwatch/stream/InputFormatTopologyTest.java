package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.RecordedRegistry;
import io.jamwatch.ingest.RegistryAvroDecoder;
import io.jamwatch.model.CellType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFormatTopologyTest {
  @TempDir Path dir;
  private RecordedRegistry registry;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void registry() throws Exception {
    registry = new RecordedRegistry().register(FormatHarness.REGISTRY_ID, ScannerEvent.getClassSchema().toString());
    open.add(registry);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private FormatHarness harness(Path model, StreamConfig cfg) {
    FormatHarness h = new FormatHarness(dir, model, cfg);
    open.add(h);
    return h;
  }

  private FormatHarness harness(Path model, InputFormat f) {
    return harness(model, FormatHarness.withFormat(f, registry.url()));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void oneLogThroughEveryInputFormatGivesTheSameScoresAndStates() {
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 3);
    List<ScannerEvent> log = TestEvents.lines(2, 3, 60, 1000, 9);
    List<JamRiskScore> reference = null;
    TreeMap<String, StoredState> referenceStates = null;
    for (InputFormat f : InputFormat.values()) {
      FormatHarness h = harness(model, f);
      for (ScannerEvent e : log) {
        h.pipe(e);
      }
      List<JamRiskScore> scores = h.drainScores();
      TreeMap<String, StoredState> states = h.states();
      assertEquals(log.size(), scores.size(), f + ": one score per event");
      assertTrue(h.deadLetters.isEmpty(), f + ": no dead letter");
      if (reference == null) {
        reference = scores;
        referenceStates = states;
      } else {
        assertEquals(reference, scores, f + " scores equal the jamwatch-avro path's, bit for bit");
        assertEquals(referenceStates.keySet(), states.keySet());
        for (String d : states.keySet()) {
          StoredState a = referenceStates.get(d);
          StoredState b = states.get(d);
          assertArrayEquals(a.bytes, b.bytes, f + " stored state of " + d);
          assertEquals(a.getEventCount(), b.getEventCount());
          assertEquals(a.getLastScore(), b.getLastScore());
          assertEquals(a.getRecentEventIds(), b.getRecentEventIds());
        }
      }
    }
    assertEquals(1, registry.requests(), "one registry request for the one schema id");
  }

  @Test
  void deadLettersEachBadJsonRecordWithItsReasonAndOriginalBytesAndLeavesStateAlone() {
    FormatHarness h = harness(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1), InputFormat.JSON);
    List<ScannerEvent> ok = TestEvents.lines(1, 1, 3, 1000, 1);
    h.pipe(ok.get(0));
    String dev = ok.get(0).getDeviceId();
    Map<String, RejectReason> bad = new java.util.LinkedHashMap<>();
    bad.put("{\"deviceId\": \"" + dev + "\", ", RejectReason.INVALID_JSON);
    bad.put("", RejectReason.INVALID_JSON);
    bad.put("{\"deviceId\":\"" + dev + "\",\"eventTime\":1767225601000,\"type\":\"PACKAGE_SCANNED\"}", RejectReason.MISSING_FIELD);
    bad.put("{\"deviceId\":\"" + dev + "\",\"lineId\":\"L00\",\"eventTime\":1767225601000,\"type\":\"PACKAGE_SCANNED\",\"readings\":{\"belt_speed\":\"fast\"}}", RejectReason.WRONG_TYPE);
    bad.put("{\"deviceId\":\"" + dev + "\",\"lineId\":\"L00\",\"eventTime\":\"1st of May\",\"type\":\"PACKAGE_SCANNED\"}", RejectReason.UNPARSEABLE_TIME);
    bad.put("{\"deviceId\":\"" + dev + "\",\"lineId\":\"L00\",\"eventTime\":1767225601000,\"type\":\"REBOOT\"}", RejectReason.UNKNOWN_EVENT_TYPE);
    bad.put("{\"deviceId\":\"other\",\"lineId\":\"L00\",\"eventTime\":1767225601000,\"type\":\"JAM\"}", RejectReason.KEY_MISMATCH);
    TreeMap<String, StoredState> before = h.states();
    long offset = 1;
    Map<RejectReason, Double> counted = new java.util.EnumMap<>(RejectReason.class);
    for (Map.Entry<String, RejectReason> b : bad.entrySet()) {
      byte[] value = b.getKey().getBytes(StandardCharsets.UTF_8);
      h.pipeRaw(dev, value, TestEvents.T0 + 1000);
      List<TestRecord<byte[], DeadLetter>> dl = h.deadLetters.readRecordsToList();
      assertEquals(1, dl.size(), b.getKey());
      DeadLetter d = dl.get(0).value();
      assertEquals(b.getValue().name(), d.getReason(), d.getMessage());
      assertArrayEquals(value, bytes(d.getValue()), "original bytes");
      assertArrayEquals(dev.getBytes(StandardCharsets.UTF_8), bytes(d.getKey()));
      assertEquals(offset++, d.getOffset());
      assertEquals(h.config.topics().events(), d.getTopic());
      counted.merge(b.getValue(), 1.0, Double::sum);
      assertEquals(counted.get(b.getValue()), h.metrics.deadLetters(b.getValue()), "counted by reason");
      assertEquals(before, h.states(), "no device state changed");
    }
    assertEquals(1, h.drainScores().size());
    h.pipe(ok.get(1));
    h.pipe(ok.get(2));
    assertEquals(2, h.drainScores().size(), "the stream goes on");
    assertEquals(3L, StoredState.of(h.store.get(dev)).getEventCount());
  }

  @Test
  void deadLettersRegistryFailuresEachWithItsReason() {
    FormatHarness h = harness(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1), InputFormat.AVRO_REGISTRY);
    List<ScannerEvent> ok = TestEvents.lines(1, 1, 3, 1000, 2);
    String dev = ok.get(0).getDeviceId();
    h.pipe(ok.get(0));
    TreeMap<String, StoredState> before = h.states();
    byte[] body = FormatHarness.avroBinary(ok.get(1));
    byte[][] values = {
      RegistryAvroDecoder.frame(99, body),
      new byte[] {1, 0, 0, 0, 1, 2, 3},
      RegistryAvroDecoder.frame(FormatHarness.REGISTRY_ID, java.util.Arrays.copyOf(body, 6)),
    };
    RejectReason[] reasons = {RejectReason.UNKNOWN_REGISTRY_ID, RejectReason.BAD_REGISTRY_FRAMING, RejectReason.UNDECODABLE_AVRO};
    for (int i = 0; i < values.length; i++) {
      h.pipeRaw(dev, values[i], TestEvents.T0 + 1000);
      DeadLetter d = h.deadLetters.readValue();
      assertEquals(reasons[i].name(), d.getReason(), d.getMessage());
      assertArrayEquals(values[i], bytes(d.getValue()));
      assertEquals(before, h.states());
    }
    // The registry goes away: a not-yet-cached id cannot be fetched.
    registry.close();
    byte[] unseen = RegistryAvroDecoder.frame(2, body);
    h.pipeRaw(dev, unseen, TestEvents.T0 + 1000);
    DeadLetter d = h.deadLetters.readValue();
    assertEquals(RejectReason.REGISTRY_UNAVAILABLE.name(), d.getReason(), d.getMessage());
    assertEquals(before, h.states());
    // Cached id 1 needs no registry: the stream goes on.
    h.pipe(ok.get(1));
    h.pipe(ok.get(2));
    assertEquals(3, h.drainScores().size());
    assertEquals(3L, StoredState.of(h.store.get(dev)).getEventCount());
  }

  @Test
  void jsonOutputUsesTheDocumentedFieldNames() throws Exception {
    FormatHarness h = harness(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1),
        FormatHarness.withFormat(InputFormat.JSON, null).withOutput(OutputFormat.JSON));
    ScannerEvent e = TestEvents.lines(1, 1, 1, 1000, 1).get(0);
    h.pipe(e);
    JamRiskScore s = h.scores.readValue();
    assertEquals(e.getDeviceId(), s.getDeviceId());
    byte[] json = new JsonRecordSerde<JamRiskScore>(JamRiskScore.getClassSchema()).encode(s);
    JsonNode n = new ObjectMapper().readTree(json);
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    assertEquals(List.of("deviceId", "lineId", "eventTime", "eventId", "modelId", "score", "warming", "eventCount"), names);
    assertEquals(Instant.ofEpochMilli(TestEvents.T0).toString(), n.get("eventTime").textValue());
  }

  @Test
  void jsonAlertsRoundTripWithReasons() throws Exception {
    JamAlert a = JamAlert.newBuilder().setDeviceId("L00-S01").setLineId("L00").setKind(AlertKind.RAISED)
        .setTime(Instant.ofEpochMilli(TestEvents.T0 + 250)).setRaisedAt(Instant.ofEpochMilli(TestEvents.T0 + 250))
        .setModelId("abc").setScore(0.81f).setPeakScore(0.93f).setDurationMillis(0)
        .setReasons(List.of(new AlertReason("belt_speed", 0.4f), new AlertReason("gap_ms", 0.1f)))
        .setHorizonMillis(600_000L).build();
    JsonRecordSerde<JamAlert> serde = new JsonRecordSerde<>(JamAlert.getClassSchema());
    byte[] json = serde.encode(a);
    assertEquals(a, serde.decode(json));
    assertEquals("{\"deviceId\":\"L00-S01\",\"lineId\":\"L00\",\"kind\":\"RAISED\",\"time\":\"2026-01-01T00:00:00.250Z\","
        + "\"raisedAt\":\"2026-01-01T00:00:00.250Z\",\"modelId\":\"abc\",\"score\":0.81,\"peakScore\":0.93,"
        + "\"durationMillis\":0,\"reasons\":[{\"group\":\"belt_speed\",\"drop\":0.4},{\"group\":\"gap_ms\",\"drop\":0.1}],"
        + "\"outcome\":null,\"horizonMillis\":600000}",
        new String(json, StandardCharsets.UTF_8));
    // An OUTCOME record (a nested optional record) round-trips too.
    JamAlert o = JamAlert.newBuilder(a).setKind(io.jamwatch.avro.AlertKind.OUTCOME).setReasons(List.of())
        .setOutcome(io.jamwatch.avro.AlertOutcome.newBuilder().setJamFollowed(true).setLeadMillis(70_000L)
            .setHorizonMillis(120_000L).build())
        .build();
    assertEquals(o, serde.decode(serde.encode(o)));
  }

  @Test
  void everyIngestFailureHasADeadLetterReasonOfItsName() {
    for (io.jamwatch.ingest.IngestFailure f : io.jamwatch.ingest.IngestFailure.values()) {
      assertEquals(f.name(), DeadLetterDeserializationHandler.reasonOf(
          new io.jamwatch.ingest.IngestException(f, "x")).name());
    }
  }
}
