package io.jamwatch.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFingerprintTest {

  @TempDir Path dir;

  private static List<ScannerEvent> events() {
    List<ScannerEvent> ev = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String device = (i % 2 == 0) ? "L01-S01" : "L01-S02";
      ev.add(i % 37 == 36 ? Events.event(device, 1_000L * i, EventType.JAM) : Events.scan(device, 1_000L * i));
    }
    return ev;
  }

  private static void write(Path file, List<ScannerEvent> events, int level) {
    try (RecordedLogWriter w = new RecordedLogWriter(file, level)) {
      events.forEach(w::write);
    }
  }

  @Test
  void sameEventsGiveSameFingerprintWhateverDeflateLevelOrFileSplit() throws IOException {
    List<ScannerEvent> ev = events();
    Path fast = dir.resolve("fast");
    write(fast.resolve("all.avro"), ev, 1);
    Path small = dir.resolve("small");
    // Same events, deflate 9, split by device into two files (the reader merges them back by time).
    write(small.resolve("a.avro"), ev.stream().filter(e -> e.getDeviceId().equals("L01-S01")).toList(), 9);
    write(small.resolve("b.avro"), ev.stream().filter(e -> e.getDeviceId().equals("L01-S02")).toList(), 9);
    Path six = dir.resolve("six");
    write(six.resolve("all.avro"), ev, 6);

    assertFalse(Arrays.equals(Files.readAllBytes(fast.resolve("all.avro")), Files.readAllBytes(six.resolve("all.avro"))),
        "the deflate levels must give different file bytes, or this test proves nothing");
    String expected = EventFingerprint.of(fast);
    assertEquals(expected, EventFingerprint.of(small));
    assertEquals(expected, EventFingerprint.of(six));
    assertEquals(64, expected.length());
  }

  @Test
  void changedEventGivesDifferentFingerprint() {
    List<ScannerEvent> ev = events();
    write(dir.resolve("a").resolve("all.avro"), ev, 1);
    List<ScannerEvent> changed = new ArrayList<>(ev);
    ScannerEvent e = ScannerEvent.newBuilder(changed.get(100)).build();
    e.getReadings().put("belt_speed", 1.25f);
    changed.set(100, e);
    write(dir.resolve("b").resolve("all.avro"), changed, 1);
    List<ScannerEvent> dropped = new ArrayList<>(ev.subList(0, ev.size() - 1));
    write(dir.resolve("c").resolve("all.avro"), dropped, 1);

    String original = EventFingerprint.of(dir.resolve("a"));
    assertNotEquals(original, EventFingerprint.of(dir.resolve("b")));
    assertNotEquals(original, EventFingerprint.of(dir.resolve("c")));
  }
}
