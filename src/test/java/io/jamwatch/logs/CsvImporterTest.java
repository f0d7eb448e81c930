package io.jamwatch.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImporterTest {

  @TempDir Path dir;

  private Path csv(String... lines) throws IOException {
    Path f = dir.resolve("in.csv");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  private static List<ScannerEvent> read(Path log) {
    List<ScannerEvent> out = new ArrayList<>();
    try (RecordedLogReader.EventStream s = RecordedLogReader.open(log)) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void importsRowsSortedByEventTimeWithReadingsFromExtraColumns() throws IOException {
    Path in = csv(
        "deviceId,lineId,eventTime,type,eventId,belt_speed,\"gap_ms\"",
        "L01-S02,L01,2026-01-05T06:00:02Z,package_scanned,e2,1.5,800",
        "L01-S01,L01,1767592800000,PACKAGE_SCANNED,e1,1.49,",
        "\"L01-S01\",L01,2026-01-05T07:00:01+01:00,HEARTBEAT,,0,");
    CsvImporter.Result r = CsvImporter.importCsv(in, dir.resolve("log"), CsvImporter.Options.defaults(), null);
    assertEquals(3, r.rows());
    assertEquals(3, r.imported());
    assertEquals(0, r.rejected());
    assertEquals(2, r.devices());
    List<ScannerEvent> events = read(dir.resolve("log"));
    assertEquals(List.of("e1", "L01-S01", "e2"), events.stream()
        .map(e -> e.getEventId() == null ? e.getDeviceId() : e.getEventId()).toList());
    assertEquals(Instant.parse("2026-01-05T06:00:01Z"), events.get(1).getEventTime());
    assertEquals(Map.of("belt_speed", 1.49f), events.get(0).getReadings(), "empty cell = missing reading");
    assertEquals(Map.of("belt_speed", 1.5f, "gap_ms", 800f), events.get(2).getReadings());
    assertEquals(EventType.HEARTBEAT, events.get(1).getType());
    assertNull(events.get(1).getEventId());
    assertFalse(Files.exists(dir.resolve("log").resolve(CsvImporter.REJECTS_CSV)));
  }

  @Test
  void rejectsBadRowsNamingFileLineAndReasonAndKeepsTheRest() throws IOException {
    Path in = csv(
        "deviceId,lineId,eventTime,type,belt_speed",
        "L01-S01,L01,1000,PACKAGE_SCANNED,1.5",
        "L01-S01,L01,2000,PACKAGE_SCANNED,fast",
        "L01-S01,L01,yesterday,PACKAGE_SCANNED,1.5",
        "L01-S01,L01,3000,EXPLODED,1.5",
        "L01-S01,L01,4000,PACKAGE_SCANNED",
        "L01-S01,L01,5000,PACKAGE_SCANNED,NaN",
        ",L01,6000,PACKAGE_SCANNED,1.5",
        "L01-S01,L01,2026-01-05T06:00:00,PACKAGE_SCANNED,1.5",
        "L01-S01,L01,7000,NO_READ,1.4");
    Path out = dir.resolve("log");
    CsvImporter.Result r = CsvImporter.importCsv(in, out, CsvImporter.Options.defaults(), null);
    assertEquals(9, r.rows());
    assertEquals(2, r.imported());
    assertEquals(7, r.rejected());
    List<String> messages = Files.readAllLines(out.resolve(CsvImporter.REJECTS_TXT));
    assertEquals(7, messages.size());
    assertTrue(messages.get(0).startsWith("in.csv:3: ") && messages.get(0).contains("'fast' is not a number"), messages.get(0));
    assertTrue(messages.get(1).startsWith("in.csv:4: ") && messages.get(1).contains("eventTime"), messages.get(1));
    assertTrue(messages.get(2).startsWith("in.csv:5: ") && messages.get(2).contains("EXPLODED"), messages.get(2));
    assertTrue(messages.get(3).startsWith("in.csv:6: ") && messages.get(3).contains("columns"), messages.get(3));
    assertTrue(messages.get(4).startsWith("in.csv:7: ") && messages.get(4).contains("not finite"), messages.get(4));
    assertTrue(messages.get(5).startsWith("in.csv:8: ") && messages.get(5).contains("deviceId"), messages.get(5));
    assertTrue(messages.get(6).startsWith("in.csv:9: ") && messages.get(6).contains("zone"), messages.get(6));
    List<String> rejected = Files.readAllLines(out.resolve(CsvImporter.REJECTS_CSV));
    assertEquals(8, rejected.size(), "header + 7 raw rows");
    assertEquals("deviceId,lineId,eventTime,type,belt_speed", rejected.get(0));
    assertEquals("L01-S01,L01,2000,PACKAGE_SCANNED,fast", rejected.get(1));
    assertEquals(2, read(out).size());
  }

  @Test
  void strictStopsAtTheFirstBadRowAndKeepsNothing() throws IOException {
    Path in = csv(
        "deviceId,lineId,eventTime,type,belt_speed",
        "L01-S01,L01,1000,PACKAGE_SCANNED,1.5",
        "L01-S01,L01,2000,PACKAGE_SCANNED,fast",
        "L01-S01,L01,3000,PACKAGE_SCANNED,zzz");
    Path out = dir.resolve("log");
    CsvImporter.BadInputException e = assertThrows(CsvImporter.BadInputException.class,
        () -> CsvImporter.importCsv(in, out, CsvImporter.Options.defaults().withStrict(true).withChunkSize(1), null));
    assertTrue(e.getMessage().startsWith("in.csv:3: "), e.getMessage());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void refusesHeaderWithoutARequiredColumn() throws IOException {
    Path in = csv("deviceId,lineId,time,type", "L01-S01,L01,1000,PACKAGE_SCANNED");
    CsvImporter.BadInputException e = assertThrows(CsvImporter.BadInputException.class,
        () -> CsvImporter.importCsv(in, dir.resolve("log"), CsvImporter.Options.defaults(), null));
    assertTrue(e.getMessage().startsWith("in.csv:1: ") && e.getMessage().contains("'eventTime'"), e.getMessage());
  }

  @Test
  void acceptsOtherColumnNames() throws IOException {
    Path in = csv("scanner,line,ts,kind,current", "S1,L9,1000,JAM,2.5");
    CsvImporter.Options opt = CsvImporter.Options.defaults().withColumns("scanner", "line", "ts", "kind", "id");
    CsvImporter.importCsv(in, dir.resolve("log"), opt, null);
    ScannerEvent e = read(dir.resolve("log")).get(0);
    assertEquals("S1", e.getDeviceId());
    assertEquals("L9", e.getLineId());
    assertEquals(EventType.JAM, e.getType());
    assertEquals(Map.of("current", 2.5f), e.getReadings());
  }

  @Test
  void sortsBeyondMemoryInPartsThatTheReaderMerges() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("deviceId,lineId,eventTime,type,eventId");
    long[] times = {50, 10, 40, 30, 20, 90, 70, 60, 80, 0, 30};
    for (int i = 0; i < times.length; i++) {
      lines.add("D,L," + times[i] + ",HEARTBEAT,id" + i);
    }
    Path in = csv(lines.toArray(new String[0]));
    CsvImporter.Result r = CsvImporter.importCsv(in, dir.resolve("log"), CsvImporter.Options.defaults().withChunkSize(3), null);
    assertEquals(4, r.parts());
    List<ScannerEvent> events = read(dir.resolve("log"));
    assertEquals(times.length, events.size());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i - 1).getEventTime().compareTo(events.get(i).getEventTime()) <= 0);
    }
    // Equal times keep file order: id3 (line 4) before id10 (line 11).
    List<String> at30 = events.stream().filter(e -> e.getEventTime().toEpochMilli() == 30).map(ScannerEvent::getEventId).toList();
    assertEquals(List.of("id3", "id10"), at30);
  }

  @Test
  void importsASimulatedLogExportedToCsvBackToTheSameEvents() throws IOException {
    io.jamwatch.sim.Simulator sim = new io.jamwatch.sim.Simulator(
        io.jamwatch.sim.SimConfig.defaults().withShape(1, 3, 0.5, 4));
    List<ScannerEvent> original = new ArrayList<>();
    sim.events().forEachRemaining(original::add);
    List<String> readings = io.jamwatch.sim.Readings.ALL;
    StringBuilder text = new StringBuilder("deviceId,lineId,eventTime,type,eventId," + String.join(",", readings) + "\n");
    for (ScannerEvent e : original) {
      text.append(e.getDeviceId()).append(',').append(e.getLineId()).append(',')
          .append(e.getEventTime()).append(',').append(e.getType()).append(',').append(e.getEventId());
      for (String r : readings) {
        Float v = e.getReadings().get(r);
        text.append(',').append(v == null ? "" : v.toString());
      }
      text.append('\n');
    }
    Path in = dir.resolve("export.csv");
    Files.writeString(in, text);
    CsvImporter.Result r = CsvImporter.importCsv(in, dir.resolve("log"), CsvImporter.Options.defaults().withChunkSize(1_000), null);
    assertEquals(0, r.rejected());
    assertTrue(r.parts() > 1, "several sorted parts merged");
    java.util.Comparator<ScannerEvent> order = java.util.Comparator.comparing(ScannerEvent::getEventTime)
        .thenComparing(ScannerEvent::getEventId).thenComparing(e -> e.getType().name());
    List<ScannerEvent> expected = new ArrayList<>(original);
    expected.sort(order);
    List<ScannerEvent> imported = new ArrayList<>(read(dir.resolve("log")));
    imported.sort(order);
    assertEquals(expected, imported);
  }

  @Test
  void splitsQuotedFieldsPerRfc4180() {
    assertEquals(List.of("a", "b,c", "say \"hi\"", ""), CsvImporter.split("a,\"b,c\",\"say \"\"hi\"\"\","));
    assertThrows(IllegalArgumentException.class, () -> CsvImporter.split("a,\"open"));
  }

  @Test
  void refusesAnOutputFolderThatAlreadyHoldsALog() throws IOException {
    Path out = Files.createDirectories(dir.resolve("log"));
    Files.writeString(out.resolve("old.avro"), "x");
    Path in = csv("deviceId,lineId,eventTime,type", "D,L,1,JAM");
    assertThrows(IllegalArgumentException.class, () -> CsvImporter.importCsv(in, out, CsvImporter.Options.defaults(), null));
  }
}
