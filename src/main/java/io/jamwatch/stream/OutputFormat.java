package io.jamwatch.stream;

import java.util.Locale;

/** The wire format of jam-risk and jam-alerts ({@code output.format}). */
public enum OutputFormat {
  /** Avro single-object encoding (the default; {@link AvroSerde}). */
  AVRO,
  /** One UTF-8 JSON object per record, the Avro field names as keys ({@link JsonRecordSerde}). */
  JSON;

  public static OutputFormat parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown output format '" + s + "'; known: avro, json");
    }
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
