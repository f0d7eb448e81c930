package io.jamwatch.eval.bench;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Parses the benchmark corpora's timestamps ({@code YYYY-MM-DD hh:mm:ss}, optionally with a
 * fraction such as NAB's window bounds {@code .000000}) as UTC epoch millis.
 */
public final class CsvTimestamps {

  private static final DateTimeFormatter FORMAT =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();

  private CsvTimestamps() {}

  /** Epoch millis of {@code text}; the error names {@code where} (file and line). */
  public static long parse(String text, String where) {
    try {
      return LocalDateTime.parse(text.trim(), FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          where + ": bad timestamp '" + text + "' (expected YYYY-MM-DD hh:mm:ss)", e);
    }
  }

  /** The corpus form of epoch millis, {@code YYYY-MM-DD hh:mm:ss}. */
  public static String format(long epochMillis) {
    return LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMillis, 1000L), (int) Math.floorMod(epochMillis, 1000L) * 1_000_000,
            ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
  }
}
