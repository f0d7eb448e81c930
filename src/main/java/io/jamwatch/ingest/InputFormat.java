package io.jamwatch.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The wire formats an event topic (or a file given to {@code score} / {@code import-json}) may carry. */
public enum InputFormat {
  /** jamwatch's own: Avro single-object encoding of {@code ScannerEvent} (the default). */
  JAMWATCH_AVRO("jamwatch-avro"),
  /** One JSON object per record (per line in a file), read through an {@link EventMapping}. */
  JSON("json"),
  /**
   * Avro with schema-registry framing (magic byte 0, 4-byte big-endian schema id, Avro binary),
   * the writer schema fetched from the registry, read through an {@link EventMapping}.
   */
  AVRO_REGISTRY("avro-registry");

  private final String key;

  InputFormat(String key) {
    this.key = key;
  }

  /** The name used in config files and on the command line. */
  public String key() {
    return key;
  }

  public static InputFormat parse(String s) {
    String k = s.trim().toLowerCase(Locale.ROOT);
    for (InputFormat f : values()) {
      if (f.key.equals(k) || f.name().equalsIgnoreCase(k)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown input format '" + s + "'; known: "
            + Arrays.stream(values()).map(InputFormat::key).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return key;
  }
}
