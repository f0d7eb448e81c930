package io.jamwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EventMappingTest {

  @Test
  void defaultsReadJamwatchFieldNames() {
    EventMapping m = EventMapping.defaults();
    assertEquals("/deviceId", m.deviceId().toString());
    assertEquals("/eventTime", m.eventTime().toString());
    assertEquals(EventMapping.TimeFormat.AUTO, m.timeFormat());
    assertEquals("/readings/*", m.readings().toString());
    assertEquals(EventMapping.KEYS.keySet().size(), m.describe().size(), "one printed line per key");
  }

  @Test
  void readsEveryKeyFromProperties() {
    Properties p = new Properties();
    p.setProperty("mapping.device-id", "/meta/scanner");
    p.setProperty("mapping.line-id", "line");
    p.setProperty("mapping.event-time", "/ts");
    p.setProperty("mapping.event-time.format", "epoch-s");
    p.setProperty("mapping.type", "kind");
    p.setProperty("mapping.type.values", "scan:PACKAGE_SCANNED, noread=no_read, 7:JAM");
    p.setProperty("mapping.event-id", "");
    p.setProperty("mapping.readings", "belt_speed=/plc/speed, gap_ms=/plc/gap, vibration_rms");
    EventMapping m = EventMapping.fromProperties(p);
    assertEquals(List.of("meta", "scanner"), m.deviceId().segments());
    assertEquals("/line", m.lineId().toString());
    assertEquals(EventMapping.TimeFormat.EPOCH_SECONDS, m.timeFormat());
    assertEquals(EventType.PACKAGE_SCANNED, m.typeValues().get("scan"));
    assertEquals(EventType.NO_READ, m.typeValues().get("noread"));
    assertEquals(EventType.JAM, m.typeValues().get("7"));
    assertEquals(null, m.eventId());
    EventMapping.Listed l = (EventMapping.Listed) m.readings();
    assertEquals(List.of("belt_speed", "gap_ms", "vibration_rms"), List.copyOf(l.fields().keySet()));
    assertEquals("/plc/speed", l.fields().get("belt_speed").toString());
    assertEquals("/vibration_rms", l.fields().get("vibration_rms").toString());
  }

  @Test
  void everyOtherNumericFieldIsStar() {
    EventMapping m = EventMapping.builder().readings("*").build();
    assertEquals(new EventMapping.EveryNumeric(null), m.readings());
    assertTrue(m.topLevelRoleNames().contains("deviceId"));
  }

  @Test
  void builderRefusesWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().lineId("/deviceId").build(),
        "two roles on one field");
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().readings("speed=/deviceId").build(),
        "a reading on a role's field");
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().readings("a=/x,a=/y"),
        "a reading listed twice");
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().typeValues("scan:SCANNED"),
        "not an event type");
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().typeValues("scan:JAM,scan:NO_READ"),
        "one value, two types");
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().typeValues("x:UNKNOWN"));
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().deviceId("//a"), "empty segment");
    assertThrows(IllegalArgumentException.class, () -> EventMapping.builder().readings("/deviceId/*").build());
    Properties p = new Properties();
    p.setProperty("mapping.event-time.format", "fortnights");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventMapping.fromProperties(p));
    assertTrue(e.getMessage().startsWith("mapping.event-time.format: "), e.getMessage());
  }

  @Test
  void fieldPathsFollowJsonPointerEscapes() {
    FieldPath p = FieldPath.parse("/a~1b/c~0d");
    assertEquals(List.of("a/b", "c~d"), p.segments());
    assertEquals("/a~1b/c~0d", p.toString());
    assertEquals(FieldPath.parse("/speed"), FieldPath.parse("speed"));
  }
}
