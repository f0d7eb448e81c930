package io.jamwatch.scoring;

import io.jamwatch.stream.TestEvents;
import io.jamwatch.stream.TestModels;
import static io.jamwatch.stream.TestEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;


import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceEventPolicyTest {
  private static final long GAP = 60_000;
  private static final long SKEW = 5_000;
  private final DeviceEventPolicy policy =
      new DeviceEventPolicy(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli(), SKEW, GAP, 3);

  private static ScannerEvent event(long t, String id) {
    return TestEvents.withSpeed("D1", "L1", t, id, 2f);
  }

  private static ScannerEvent withReading(float v) {
    Map<String, Float> r = new LinkedHashMap<>();
    r.put(TestEvents.SPEED, 2f);
    r.put(TestEvents.GAP, v);
    return TestEvents.event("D1", "L1", T0, "e1", EventType.PACKAGE_SCANNED, r);
  }

  @Test
  void acceptsAPlausibleEventThatIsNewAndInOrder() {
    ScannerEvent e = event(T0 + 10, "e2");
    assertNull(policy.checkEvent(e, T0));
    assertNull(policy.checkAgainstDevice(e, T0, List.of("e1")));
    assertEquals(DeviceEventPolicy.Start.CONTINUE, policy.start("m1", T0, "m1", T0 + 10));
  }

  @Test
  void acceptsAnEventAtTheSameTimeAsTheLastOne() {
    assertNull(policy.checkAgainstDevice(event(T0, "e2"), T0, List.of("e1")));
  }

  @Test
  void rejectsAnEventIdAmongTheRecentOnesAsDuplicate() {
    ScannerEvent e = event(T0 + 10, "e1");
    assertEquals(RejectReason.DUPLICATE, policy.checkAgainstDevice(e, T0, List.of("e0", "e1")));
    assertEquals("D1: eventId e1 already applied", policy.describe(RejectReason.DUPLICATE, e, T0));
  }

  @Test
  void cannotRecogniseADuplicateWithoutAnEventId() {
    assertNull(policy.checkAgainstDevice(event(T0 + 10, null), T0, List.of("e1")));
  }

  @Test
  void rejectsAnEventOlderThanTheLastAppliedAsOutOfOrder() {
    ScannerEvent e = event(T0 - 1, "e2");
    assertEquals(RejectReason.OUT_OF_ORDER, policy.checkAgainstDevice(e, T0, List.of("e1")));
    assertTrue(policy.describe(RejectReason.OUT_OF_ORDER, e, T0).contains("before the last applied " + T0));
  }

  @Test
  void rejectsNaNAndInfiniteReadingsNamingTheReading() {
    for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      ScannerEvent e = withReading(v);
      assertEquals(RejectReason.NON_FINITE_READING, policy.checkEvent(e, T0));
      assertEquals("D1: reading gap_ms = " + v, policy.describe(RejectReason.NON_FINITE_READING, e, 0));
    }
  }

  @Test
  void rejectsAnUnknownEventType() {
    ScannerEvent e =
        TestEvents.event("D1", "L1", T0, "e1", EventType.UNKNOWN, new LinkedHashMap<>(Map.of(TestEvents.SPEED, 2f)));
    assertEquals(RejectReason.UNKNOWN_EVENT_TYPE, policy.checkEvent(e, T0));
  }

  @Test
  void rejectsTimesBeforeTheMinimumOrBeyondTheFutureSkew() {
    assertEquals(RejectReason.ABSURD_TIMESTAMP, policy.checkEvent(event(0, "e1"), T0));
    assertEquals(RejectReason.ABSURD_TIMESTAMP, policy.checkEvent(event(T0 + SKEW + 1, "e1"), T0));
    assertNull(policy.checkEvent(event(T0 + SKEW, "e1"), T0));
  }

  @Test
  void skipsTheFutureSkewCheckWithoutAWallClock() {
    assertNull(policy.checkEvent(event(T0 + 10 * SKEW, "e1"), DeviceEventPolicy.NO_WALL_CLOCK));
    assertEquals(RejectReason.ABSURD_TIMESTAMP, policy.checkEvent(event(0, "e1"), DeviceEventPolicy.NO_WALL_CLOCK));
  }

  @Test
  void resetsAfterASilenceLongerThanTheGap() {
    assertEquals(DeviceEventPolicy.Start.CONTINUE, policy.start("m1", T0, "m1", T0 + GAP));
    assertEquals(DeviceEventPolicy.Start.SILENCE_GAP, policy.start("m1", T0, "m1", T0 + GAP + 1));
    assertTrue(DeviceEventPolicy.Start.SILENCE_GAP.resets());
  }

  @Test
  void resetsAStateWrittenByAnotherModel() {
    DeviceEventPolicy.Start s = policy.start("old-model", T0, "new-model", T0 + 1);
    assertEquals(DeviceEventPolicy.Start.MODEL_SWAP, s);
    assertTrue(s.resets());
  }

  @Test
  void keepsOnlyTheNewestEventIds() {
    List<String> recent = new ArrayList<>();
    for (String id : new String[] {"a", "b", null, "c", "d"}) {
      policy.remember(recent, id);
    }
    assertEquals(List.of("b", "c", "d"), recent);
  }

  @Test
  void stepsFromAFreshMemoryWhenToldToReset(@TempDir Path dir) {
    try (ScoringModel m = ScoringModel.load(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 7))) {
      DeviceMemory memory = m.newMemory();
      policy.step(m, event(T0, "e1"), memory, true);
      float continued = policy.step(m, event(T0 + 10, "e2"), memory, false);
      assertEquals(2, memory.eventCount());

      float fresh = policy.step(m, event(T0 + 10, "e2"), memory, true);
      assertEquals(1, memory.eventCount());
      float expected = m.score(event(T0 + 10, "e2"), m.newMemory());
      assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(fresh));
      assertTrue(continued != fresh, "a continued memory should score differently from a fresh one");
    }
  }
}
