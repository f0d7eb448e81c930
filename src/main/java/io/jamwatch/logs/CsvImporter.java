package io.jamwatch.logs;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a warehouse's CSV export into a recorded log.
 *
 * <p>The header names the columns (RFC 4180 CSV: comma-separated, fields may be double-quoted with
 * {@code ""} for a quote; no line breaks inside fields). Required: device id, line id, event time
 * (ISO-8601 instant with zone, e.g. {@code 2026-01-05T06:00:00Z} or {@code +01:00}, or epoch
 * millis), event type (a {@link EventType} name, any case). Optional: event id. Every other
 * column is a reading: a finite number, or empty for a missing reading.
 *
 * <p>A bad row is never silently lost: its message names {@code file:line} and the reason; by
 * default the row goes to {@code rejects.csv} (header plus the raw rows, so they can be fixed and
 * re-imported) and its message to {@code rejects.txt}, both in the output folder; with
 * {@code strict} the import stops at the first bad row and removes what it wrote.
 *
 * <p>Exports are rarely sorted, and the log must be. Memory stays bounded by an external sort:
 * good rows are buffered {@code chunkSize} at a time, each chunk is sorted by event time (stable,
 * so equal times keep file order) and written as {@code part-NNNNN.avro}; {@link RecordedLogReader}
 * merges the parts.
 */
public final class CsvImporter {

  public static final String REJECTS_CSV = "rejects.csv";
  public static final String REJECTS_TXT = "rejects.txt";

  /**
   * Column names and behaviour.
   *
   * @param deviceColumn header of the device id column
   * @param lineColumn header of the line id column
   * @param timeColumn header of the event time column
   * @param typeColumn header of the event type column
   * @param idColumn header of the optional event id column
   * @param strict stop at the first bad row instead of rejecting it
   * @param chunkSize rows sorted in memory per output part
   */
  public record Options(String deviceColumn, String lineColumn, String timeColumn, String typeColumn,
      String idColumn, boolean strict, int chunkSize) {
    public Options {
      for (String c : new String[] {deviceColumn, lineColumn, timeColumn, typeColumn, idColumn}) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("column names must be non-blank");
        }
      }
      if (Set.of(deviceColumn, lineColumn, timeColumn, typeColumn, idColumn).size() != 5) {
        throw new IllegalArgumentException("the five column names must differ");
      }
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
      }
    }

    public static Options defaults() {
      return new Options("deviceId", "lineId", "eventTime", "type", "eventId", false, 500_000);
    }

    public Options withStrict(boolean strict) {
      return new Options(deviceColumn, lineColumn, timeColumn, typeColumn, idColumn, strict, chunkSize);
    }

    public Options withColumns(String device, String line, String time, String type, String id) {
      return new Options(device, line, time, type, id, strict, chunkSize);
    }

    public Options withChunkSize(int chunkSize) {
      return new Options(deviceColumn, lineColumn, timeColumn, typeColumn, idColumn, strict, chunkSize);
    }
  }

  /** What an import did. {@code firstRejects} holds at most the first 20 messages. */
  public record Result(long rows, long imported, long rejected, int parts, long devices,
      long firstEventTime, long lastEventTime, List<String> firstRejects) {}

  /** A bad row in strict mode (or a bad header): the message names file:line. */
  public static final class BadInputException extends IllegalArgumentException {
    public BadInputException(String message) {
      super(message);
    }
  }

  private record Row(ScannerEvent event, long time) {}

  private static final int KEEP_MESSAGES = 20;

  private CsvImporter() {}

  /**
   * @param progress called with the number of rows read so far, every 50 000 rows (may be null)
   */
  public static Result importCsv(Path in, Path outDir, Options opt, Consumer<Long> progress) {
    RecordedLogWriter.refuseExistingLog(outDir);
    String name = in.getFileName().toString();
    List<Path> written = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      Files.createDirectories(outDir);
      String headerLine = r.readLine();
      if (headerLine == null) {
        throw new BadInputException(name + ":1: empty file, expected a header");
      }
      if (headerLine.startsWith("\uFEFF")) {
        headerLine = headerLine.substring(1); // UTF-8 byte-order mark from spreadsheet exports
      }
      Header h = Header.parse(headerLine, name, opt);
      Rejects rejects = new Rejects(outDir, headerLine);
      List<Row> chunk = new ArrayList<>();
      Set<String> devices = new HashSet<>();
      long rows = 0, imported = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
      int lineNo = 1;
      try (rejects) {
        for (String line; (line = r.readLine()) != null; ) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          rows++;
          Row row;
          try {
            row = h.toRow(line);
          } catch (IllegalArgumentException e) {
            String msg = name + ":" + lineNo + ": " + e.getMessage();
            if (opt.strict()) {
              throw new BadInputException(msg);
            }
            rejects.add(line, msg);
            continue;
          }
          chunk.add(row);
          devices.add(row.event.getDeviceId());
          imported++;
          first = Math.min(first, row.time);
          last = Math.max(last, row.time);
          if (chunk.size() >= opt.chunkSize()) {
            written.add(writePart(outDir, written.size(), chunk));
          }
          if (progress != null && rows % 50_000 == 0) {
            progress.accept(rows);
          }
        }
        if (!chunk.isEmpty() || written.isEmpty()) {
          written.add(writePart(outDir, written.size(), chunk));
        }
      }
      return new Result(rows, imported, rejects.count, written.size(), devices.size(),
          imported == 0 ? -1 : first, imported == 0 ? -1 : last, List.copyOf(rejects.firstMessages));
    } catch (IOException e) {
      deleteQuietly(written, outDir);
      throw new UncheckedIOException("cannot import " + in + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(written, outDir);
      throw e;
    }
  }

  private static Path writePart(Path outDir, int index, List<Row> chunk) {
    chunk.sort(Comparator.comparingLong(Row::time)); // List.sort is stable
    Path file = outDir.resolve(String.format("part-%05d.avro", index));
    try (RecordedLogWriter w = new RecordedLogWriter(file)) {
      for (Row row : chunk) {
        w.write(row.event);
      }
    }
    chunk.clear();
    return file;
  }

  private static void deleteQuietly(List<Path> written, Path outDir) {
    for (Path p : written) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Best effort: the original failure is what the caller must see.
      }
    }
    for (String f : new String[] {REJECTS_CSV, REJECTS_TXT}) {
      try {
        Files.deleteIfExists(outDir.resolve(f));
      } catch (IOException ignored) {
        // as above
      }
    }
  }

  /** The column layout, resolved once from the header. */
  private static final class Header {
    final String[] names;
    final int device, line, time, type, id;
    final int[] readings;

    private Header(String[] names, int device, int line, int time, int type, int id, int[] readings) {
      this.names = names;
      this.device = device;
      this.line = line;
      this.time = time;
      this.type = type;
      this.id = id;
      this.readings = readings;
    }

    static Header parse(String headerLine, String file, Options opt) {
      String[] names;
      try {
        names = split(headerLine).toArray(new String[0]);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(file + ":1: header: " + e.getMessage());
      }
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        names[i] = names[i].strip();
        if (names[i].isEmpty()) {
          throw new BadInputException(file + ":1: header column " + (i + 1) + " has no name");
        }
        if (index.put(names[i], i) != null) {
          throw new BadInputException(file + ":1: header names column '" + names[i] + "' twice");
        }
      }
      int device = required(index, opt.deviceColumn(), file, names);
      int line = required(index, opt.lineColumn(), file, names);
      int time = required(index, opt.timeColumn(), file, names);
      int type = required(index, opt.typeColumn(), file, names);
      int id = index.getOrDefault(opt.idColumn(), -1);
      List<Integer> readings = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        if (i != device && i != line && i != time && i != type && i != id) {
          readings.add(i);
        }
      }
      return new Header(names, device, line, time, type, id, readings.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int required(Map<String, Integer> index, String column, String file, String[] names) {
      Integer i = index.get(column);
      if (i == null) {
        throw new BadInputException(file + ":1: header lacks required column '" + column + "' (has "
            + String.join(", ", names) + ")");
      }
      return i;
    }

    Row toRow(String text) {
      List<String> f = split(text);
      if (f.size() != names.length) {
        throw new IllegalArgumentException("expected " + names.length + " columns, got " + f.size());
      }
      String deviceId = f.get(device).strip();
      if (deviceId.isEmpty()) {
        throw new IllegalArgumentException("empty " + names[device]);
      }
      String lineId = f.get(line).strip();
      if (lineId.isEmpty()) {
        throw new IllegalArgumentException("empty " + names[line]);
      }
      long t = parseTime(f.get(time).strip(), names[time]);
      EventType et = parseType(f.get(type).strip(), names[type]);
      String eventId = id < 0 || f.get(id).isBlank() ? null : f.get(id).strip();
      Map<String, Float> values = new LinkedHashMap<>();
      for (int i : readings) {
        String v = f.get(i).strip();
        if (v.isEmpty()) {
          continue; // a missing reading is allowed
        }
        float x;
        try {
          x = Float.parseFloat(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("column '" + names[i] + "': '" + v + "' is not a number");
        }
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException("column '" + names[i] + "': '" + v + "' is not finite");
        }
        values.put(names[i], x);
      }
      ScannerEvent e = new ScannerEvent(deviceId, lineId, Instant.ofEpochMilli(t), et, values, eventId);
      return new Row(e, t);
    }

    private static long parseTime(String v, String column) {
      if (v.isEmpty()) {
        throw new IllegalArgumentException("empty " + column);
      }
      if (v.chars().allMatch(Character::isDigit)) {
        try {
          return Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(column + " '" + v + "' is out of range");
        }
      }
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(column + " '" + v
            + "' is neither epoch millis nor an ISO-8601 time with zone (e.g. 2026-01-05T06:00:00Z)");
      }
    }

    private static EventType parseType(String v, String column) {
      try {
        EventType t = EventType.valueOf(v.toUpperCase(Locale.ROOT));
        if (t != EventType.UNKNOWN) {
          return t;
        }
      } catch (IllegalArgumentException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException(column + " '" + v + "' is not one of PACKAGE_SCANNED, NO_READ, JAM,"
          + " JAM_CLEARED, HEARTBEAT");
    }
  }

  /** RFC 4180 fields of one line; throws on an unterminated quote. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.toString().isBlank() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cur.setLength(0);
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote");
    }
    out.add(cur.toString());
    return out;
  }

  /** rejects.csv (raw rows) and rejects.txt (messages), created on the first bad row. */
  private static final class Rejects implements AutoCloseable {
    final Path dir;
    final String header;
    long count;
    final List<String> firstMessages = new ArrayList<>();
    BufferedWriter rows;
    BufferedWriter messages;

    Rejects(Path dir, String header) {
      this.dir = dir;
      this.header = header;
    }

    void add(String line, String message) throws IOException {
      if (rows == null) {
        rows = Files.newBufferedWriter(dir.resolve(REJECTS_CSV), StandardCharsets.UTF_8);
        messages = Files.newBufferedWriter(dir.resolve(REJECTS_TXT), StandardCharsets.UTF_8);
        rows.write(header);
        rows.write('\n');
      }
      rows.write(line);
      rows.write('\n');
      messages.write(message);
      messages.write('\n');
      count++;
      if (firstMessages.size() < KEEP_MESSAGES) {
        firstMessages.add(message);
      }
    }

    @Override
    public void close() throws IOException {
      if (rows != null) {
        rows.close();
        messages.close();
      }
    }
  }
}
