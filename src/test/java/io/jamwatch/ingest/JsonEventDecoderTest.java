package io.jamwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonEventDecoderTest {
  static final EventMapping GATEWAY =
      EventMapping.builder()
          .deviceId("/scanner/id")
          .lineId("/scanner/line")
          .eventTime("/ts")
          .type("/kind")
          .typeValues("scan:PACKAGE_SCANNED,noread:NO_READ,jam:JAM,clear:JAM_CLEARED,hb:HEARTBEAT")
          .eventId("/msgId")
          .readings("belt_speed=/plc/speed,gap_ms=/plc/gap,vibration_rms=/vib")
          .build();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static ScannerEvent event(SplittableRandom r, int i) {
    Map<String, Float> m = new LinkedHashMap<>();
    m.put("belt_speed", (float) (2 + r.nextGaussian()));
    if (r.nextBoolean()) {
      m.put("gap_ms", (float) (400 * r.nextDouble()));
    }
    m.put("vibration_rms", Float.intBitsToFloat(r.nextInt(0x3f000000, 0x40000000)));
    return ScannerEvent.newBuilder()
        .setDeviceId("L01-S0" + (i % 5))
        .setLineId("L01")
        .setEventTime(Instant.ofEpochMilli(1_767_225_600_000L + 997L * i))
        .setType(EventType.values()[i % 5])
        .setReadings(m)
        .setEventId(i % 3 == 0 ? null : "e" + i)
        .build();
  }

  @Test
  void writtenEventsReadBackEqualBitForBitUnderEitherMapping() {
    SplittableRandom r = new SplittableRandom(11);
    for (EventMapping m : new EventMapping[] {EventMapping.defaults(), GATEWAY,
        EventMapping.builder().readings("*").timeFormat(EventMapping.TimeFormat.ISO).build(),
        EventMapping.builder().timeFormat(EventMapping.TimeFormat.EPOCH_SECONDS).build()}) {
      JsonEventEncoder out = new JsonEventEncoder(m);
      JsonEventDecoder in = new JsonEventDecoder(m);
      for (int i = 0; i < 2000; i++) {
        ScannerEvent e = event(r, i);
        if (m.eventId() == null) {
          e.setEventId(null);
        }
        assertEquals(e, in.decode(out.encode(e)), "event " + i + " under " + m.describe());
      }
    }
  }

  @Test
  void mapsAGatewayMessage() {
    String msg = """
        {"scanner": {"id": "L03-S07", "line": "L03", "fw": "2.1"},
         "ts": "2026-03-01T08:15:30.250+01:00", "kind": "scan", "msgId": "gw-991",
         "plc": {"speed": 1.95, "gap": 412}, "vib": 0.031, "temperature": 41.5}""";
    ScannerEvent e = new JsonEventDecoder(GATEWAY).decode(utf8(msg));
    assertEquals("L03-S07", e.getDeviceId());
    assertEquals("L03", e.getLineId());
    assertEquals(Instant.parse("2026-03-01T07:15:30.250Z"), e.getEventTime());
    assertEquals(EventType.PACKAGE_SCANNED, e.getType());
    assertEquals("gw-991", e.getEventId());
    assertEquals(Map.of("belt_speed", 1.95f, "gap_ms", 412f, "vibration_rms", 0.031f), e.getReadings());
  }

  @Test
  void everyOtherNumericFieldSkipsMappedFieldsAndText() {
    EventMapping m = EventMapping.builder().deviceId("dev").lineId("line").eventTime("t").type("k").eventId(null)
        .readings("*").build();
    ScannerEvent e = new JsonEventDecoder(m).decode(utf8(
        "{\"dev\": 17, \"line\": \"A\", \"t\": 1767225600, \"k\": \"heartbeat\", \"speed\": 2, \"note\": \"x\", \"gap\": 1e2}"));
    assertEquals("17", e.getDeviceId(), "an integer id is read as its text");
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), e.getEventTime(), "epoch seconds by magnitude");
    assertEquals(EventType.HEARTBEAT, e.getType(), "EventType names in any case");
    assertEquals(Map.of("speed", 2f, "gap", 100f), e.getReadings());
    assertNull(e.getEventId());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1767225600123     | auto     | 2026-01-01T00:00:00.123Z",
      "1767225600.5      | auto     | 2026-01-01T00:00:00.500Z",
      "1767225600        | epoch-s  | 2026-01-01T00:00:00Z",
      "1767225600        | epoch-ms | 1970-01-21T10:53:45.600Z",
      "\"1767225600123\" | epoch-ms | 2026-01-01T00:00:00.123Z",
      "\"2026-01-01T01:00:00+01:00\" | iso | 2026-01-01T00:00:00Z"})
  void readsEventTimes(String json, String format, String expected) {
    EventMapping m = EventMapping.builder().timeFormat(EventMapping.TimeFormat.parse(format)).build();
    ScannerEvent e = new JsonEventDecoder(m).decode(utf8(
        "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":" + json + ",\"type\":\"JAM\"}"));
    assertEquals(Instant.parse(expected), e.getEventTime());
  }

  @Test
  void unmappedTypeValueIsUnknownForTheStreamToReject() {
    ScannerEvent e = new JsonEventDecoder(GATEWAY).decode(utf8(
        "{\"scanner\":{\"id\":\"d\",\"line\":\"l\"},\"ts\":1767225600000,\"kind\":\"reboot\"}"));
    assertEquals(EventType.UNKNOWN, e.getType());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "                                                                       | INVALID_JSON",
      "{\"deviceId\": \"d\",                                                  | INVALID_JSON",
      "[1, 2]                                                                 | INVALID_JSON",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\"} trailing | INVALID_JSON",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\",\"readings\":{\"a\":NaN}} | INVALID_JSON",
      "{\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\"}                    | MISSING_FIELD",
      "{\"deviceId\":null,\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\"}  | MISSING_FIELD",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"type\":\"JAM\"}                 | MISSING_FIELD",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1}                  | MISSING_FIELD",
      "{\"deviceId\":{},\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\"}    | WRONG_TYPE",
      "{\"deviceId\":\"d\",\"lineId\":1.5,\"eventTime\":1,\"type\":\"JAM\"}   | WRONG_TYPE",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":true,\"type\":\"JAM\"} | WRONG_TYPE",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1,\"type\":[]}      | WRONG_TYPE",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\",\"readings\":{\"a\":\"1.5\"}} | WRONG_TYPE",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\",\"readings\":[1]} | WRONG_TYPE",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":\"yesterday\",\"type\":\"JAM\"} | UNPARSEABLE_TIME",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":\"2026-01-01T00:00:00\",\"type\":\"JAM\"} | UNPARSEABLE_TIME",
      "{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1e300,\"type\":\"JAM\"} | UNPARSEABLE_TIME"})
  void namesWhatIsWrong(String json, IngestFailure expected) {
    byte[] bytes = json == null ? new byte[0] : utf8(json);
    IngestException e = assertThrows(IngestException.class, () -> new JsonEventDecoder(EventMapping.defaults()).decode(bytes));
    assertEquals(expected, e.failure(), e.getMessage());
    assertTrue(e.getMessage().length() < 300, "one readable line: " + e.getMessage());
  }

  @Test
  void hugeValuesAreBoundedNotParsedForEver() {
    String huge = "1".repeat(5000);
    IngestException e = assertThrows(IngestException.class, () -> new JsonEventDecoder(EventMapping.defaults())
        .decode(utf8("{\"deviceId\":\"d\",\"lineId\":\"l\",\"eventTime\":1,\"type\":\"JAM\",\"readings\":{\"a\":" + huge + "}}")));
    assertEquals(IngestFailure.INVALID_JSON, e.failure());
  }
}
