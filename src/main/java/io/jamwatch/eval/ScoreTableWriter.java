package io.jamwatch.eval;

import io.jamwatch.avro.ScannerEvent;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The table written by {@code jamwatch score}: CSV (RFC 4180, comma, header row), one row per
 * input event in log order.
 *
 * <pre>
 * device_id, line_id, event_time_ms (epoch millis UTC), event_type, event_id (empty if none),
 * score (float32 as Java prints it, shortest round-trip; empty when rejected),
 * warming (true/false), event_count (events stepped on the device so far, incl. this one),
 * status (SCORED, or the stream's dead-letter reason: DUPLICATE, OUT_OF_ORDER, NON_FINITE_READING,
 *         UNKNOWN_EVENT_TYPE, ABSURD_TIMESTAMP), reset (true when the device started from a fresh state)
 * </pre>
 */
public final class ScoreTableWriter implements Closeable {

  public static final String HEADER =
      "device_id,line_id,event_time_ms,event_type,event_id,score,warming,event_count,status,reset";

  private final BufferedWriter w;

  public ScoreTableWriter(Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    w.write(HEADER);
    w.write('\n');
  }

  public void write(ScannerEvent e, OfflineScorer.Scored s) throws IOException {
    w.write(csv(e.getDeviceId()));
    w.write(',');
    w.write(csv(e.getLineId()));
    w.write(',');
    w.write(Long.toString(e.getEventTime().toEpochMilli()));
    w.write(',');
    w.write(e.getType().name());
    w.write(',');
    w.write(e.getEventId() == null ? "" : csv(e.getEventId()));
    w.write(',');
    w.write(s.reject() == null ? Float.toString(s.score()) : "");
    w.write(',');
    w.write(Boolean.toString(s.warming()));
    w.write(',');
    w.write(Long.toString(s.eventCount()));
    w.write(',');
    w.write(s.reject() == null ? "SCORED" : s.reject().name());
    w.write(',');
    w.write(Boolean.toString(s.reset()));
    w.write('\n');
  }

  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  @Override
  public void close() throws IOException {
    w.close();
  }
}
