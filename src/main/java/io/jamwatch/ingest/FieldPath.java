package io.jamwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A JSON-pointer-like path to a field: {@code /plc/belt/speed} (RFC 6901 segments, {@code ~1} for
 * {@code /} and {@code ~0} for {@code ~}), or a bare top-level name ({@code speed} = {@code /speed}).
 * It walks objects by field name (JSON objects, and Avro records and maps turned into trees).
 */
public record FieldPath(List<String> segments) {
  public FieldPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a field path needs at least one name");
    }
    for (String s : segments) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("empty name in field path " + segments);
      }
    }
  }

  public static FieldPath parse(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.equals("/")) {
      throw new IllegalArgumentException("empty field path");
    }
    if (!t.startsWith("/")) {
      return new FieldPath(List.of(t));
    }
    String[] parts = t.substring(1).split("/", -1);
    String[] out = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = parts[i].replace("~1", "/").replace("~0", "~");
    }
    return new FieldPath(List.of(out));
  }

  /** The node at this path, or null when a step is absent, JSON null, or not an object. */
  public JsonNode find(JsonNode root) {
    JsonNode n = root;
    for (String s : segments) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(s);
    }
    return n == null || n.isNull() ? null : n;
  }

  /** The last name (the default reading name for a listed path). */
  public String leaf() {
    return segments.get(segments.size() - 1);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      b.append('/').append(s.replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }
}
