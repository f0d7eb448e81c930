package io.jamwatch.stream;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Parses the durations of the config file: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT30S}). */
final class DurationText {
  private DurationText() {}

  static long millis(String key, String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim()).toMillis();
      }
      long unit;
      String num;
      if (t.endsWith("ms")) {
        unit = 1;
        num = t.substring(0, t.length() - 2);
      } else if (t.endsWith("s")) {
        unit = 1_000;
        num = t.substring(0, t.length() - 1);
      } else if (t.endsWith("m")) {
        unit = 60_000;
        num = t.substring(0, t.length() - 1);
      } else if (t.endsWith("h")) {
        unit = 3_600_000;
        num = t.substring(0, t.length() - 1);
      } else if (t.endsWith("d")) {
        unit = 86_400_000;
        num = t.substring(0, t.length() - 1);
      } else {
        throw new IllegalArgumentException(
            key + ": duration '" + text + "' needs a unit (ms, s, m, h, d) or ISO-8601 form");
      }
      return Math.multiplyExact(Long.parseLong(num.trim()), unit);
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(key + ": cannot read duration '" + text + "'", e);
    }
  }
}
