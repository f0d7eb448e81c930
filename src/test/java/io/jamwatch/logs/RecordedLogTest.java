package io.jamwatch.logs;

import static io.jamwatch.logs.Events.scan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedLogTest {

  @TempDir Path dir;

  private static List<ScannerEvent> readAll(Path dir) {
    List<ScannerEvent> out = new ArrayList<>();
    try (RecordedLogReader.EventStream s = RecordedLogReader.open(dir)) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  private static void writeFile(Path file, List<ScannerEvent> events) {
    try (RecordedLogWriter w = new RecordedLogWriter(file)) {
      events.forEach(w::write);
    }
  }

  @Test
  void roundTripsEventsWithReadingsAndIds() {
    List<ScannerEvent> events = List.of(scan("L01-S01", 1000), scan("L01-S02", 2000), scan("L01-S01", 3000));
    writeFile(dir.resolve("a.avro"), events);
    assertEquals(events, readAll(dir));
  }

  @Test
  void mergesAllFilesInEventTimeOrder() {
    SplittableRandom rng = new SplittableRandom(7);
    List<ScannerEvent> all = new ArrayList<>();
    for (int f = 0; f < 13; f++) {
      List<ScannerEvent> events = new ArrayList<>();
      long t = rng.nextInt(1000);
      for (int i = 0; i < 200; i++) {
        t += rng.nextInt(50);
        events.add(scan(String.format("L%02d-S01", f), t));
      }
      writeFile(dir.resolve("part-" + f + ".avro"), events);
      all.addAll(events);
    }
    List<ScannerEvent> merged = readAll(dir);
    assertEquals(all.size(), merged.size());
    for (int i = 1; i < merged.size(); i++) {
      assertTrue(merged.get(i - 1).getEventTime().compareTo(merged.get(i).getEventTime()) <= 0, "order at " + i);
    }
    // Same multiset of events: sort both by (time, id) and compare.
    java.util.Comparator<ScannerEvent> byTimeThenId = java.util.Comparator
        .comparing(ScannerEvent::getEventTime).thenComparing(ScannerEvent::getEventId);
    all.sort(byTimeThenId);
    List<ScannerEvent> sortedMerged = new ArrayList<>(merged);
    sortedMerged.sort(byTimeThenId);
    assertEquals(all, sortedMerged);
  }

  @Test
  void breaksTimeTiesByFileName() {
    writeFile(dir.resolve("b.avro"), List.of(scan("L02-S01", 5)));
    writeFile(dir.resolve("a.avro"), List.of(scan("L01-S01", 5)));
    List<ScannerEvent> merged = readAll(dir);
    assertEquals("L01-S01", merged.get(0).getDeviceId());
    assertEquals("L02-S01", merged.get(1).getDeviceId());
  }

  @Test
  void ignoresFilesThatAreNotAvro() throws IOException {
    writeFile(dir.resolve("a.avro"), List.of(scan("L01-S01", 5)));
    Files.writeString(dir.resolve("jams.csv"), "deviceId\n");
    assertEquals(1, readAll(dir).size());
  }

  @Test
  void keepsLateEventsInFileOrderAndCountsThem() {
    List<ScannerEvent> events = List.of(scan("L01-S01", 100), scan("L01-S02", 300), scan("L01-S03", 200));
    try (RecordedLogWriter w = new RecordedLogWriter(dir.resolve("a.avro"))) {
      events.forEach(w::write);
      assertEquals(1, w.lateEvents());
      assertEquals(3, w.written());
    }
    assertEquals(events, readAll(dir));
  }

  @Test
  void sameEventsGiveByteIdenticalFiles() throws IOException {
    List<ScannerEvent> events = List.of(scan("L01-S01", 1000), scan("L01-S02", 2000));
    Path a = Files.createDirectories(dir.resolve("one")).resolve("x.avro");
    Path b = Files.createDirectories(dir.resolve("two")).resolve("x.avro");
    writeFile(a, events);
    writeFile(b, events);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void refusesFolderWithoutAvroFiles() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedLogReader.open(dir));
    assertTrue(e.getMessage().contains("no *.avro"), e.getMessage());
  }

  @Test
  void refusesMissingFolder() {
    Path missing = dir.resolve("nope");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedLogReader.open(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void refusesFileOfForeignSchemaNamingIt() throws IOException {
    writeFile(dir.resolve("a.avro"), List.of(scan("L01-S01", 5)));
    Path foreign = dir.resolve("b.avro");
    try (DataFileWriter<JamAlert> w = new DataFileWriter<>(new SpecificDatumWriter<>(JamAlert.class))) {
      w.create(JamAlert.getClassSchema(), foreign.toFile());
      w.append(JamAlert.newBuilder().setDeviceId("d").setLineId("l").setKind(AlertKind.RAISED).setTime(java.time.Instant.ofEpochMilli(1))
          .setRaisedAt(java.time.Instant.ofEpochMilli(1)).setModelId("m").setScore(0.5f).setPeakScore(0.5f).build());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedLogReader.open(dir));
    assertTrue(e.getMessage().contains("b.avro") && e.getMessage().contains("JamAlert"), e.getMessage());
  }

  @Test
  void refusesCorruptFileNamingIt() throws IOException {
    Files.writeString(dir.resolve("junk.avro"), "not avro at all");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordedLogReader.open(dir));
    assertTrue(e.getMessage().contains("junk.avro"), e.getMessage());
  }

  @Test
  void emptyFileYieldsNoEvents() {
    writeFile(dir.resolve("a.avro"), List.of());
    try (RecordedLogReader.EventStream s = RecordedLogReader.open(dir)) {
      assertFalse(s.hasNext());
    }
  }
}
