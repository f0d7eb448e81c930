package io.jamwatch.ingest;

import io.jamwatch.avro.EventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the fields of a {@code ScannerEvent} are found in a foreign record (a JSON object, or a
 * registry Avro record seen as a tree). One mapping serves both formats. Immutable; built and
 * checked by {@link Builder}; {@link #defaults()} reads jamwatch's own field names, so a JSON
 * rendering of a ScannerEvent maps to the very same event.
 *
 * <p>Fields are {@link FieldPath}s ({@code /plc/speed} or a top-level {@code speed}). The event time
 * may be ISO-8601 text (with zone or offset) or an epoch number (milliseconds or seconds, fractions
 * allowed; {@link TimeFormat#AUTO} takes a magnitude below 10^11 as seconds, which is every date
 * before the year 5138 in seconds and after 1973 in milliseconds). The event type's text (or number)
 * is looked up in the value map, then as an EventType name (any case); anything else becomes
 * UNKNOWN, which the stream dead-letters as UNKNOWN_EVENT_TYPE, as it does for Avro input.
 */
public record EventMapping(
    FieldPath deviceId,
    FieldPath lineId,
    FieldPath eventTime,
    TimeFormat timeFormat,
    FieldPath type,
    Map<String, EventType> typeValues,
    FieldPath eventId,
    Readings readings) {

  /** How the event-time field is read. */
  public enum TimeFormat {
    AUTO("auto"),
    ISO("iso"),
    EPOCH_MILLIS("epoch-ms"),
    EPOCH_SECONDS("epoch-s");

    private final String key;

    TimeFormat(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }

    public static TimeFormat parse(String s) {
      for (TimeFormat f : values()) {
        if (f.key.equalsIgnoreCase(s.trim())) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown event-time format '" + s + "'; known: auto, iso, epoch-ms, epoch-s");
    }
  }

  /** Which fields are readings. */
  public sealed interface Readings permits EveryNumeric, Listed {}

  /**
   * Every numeric field of the object at {@code under} (a nested readings object), or, when {@code
   * under} is null, every top-level numeric field not mapped to another role. Written {@code
   * /readings/*} or {@code *}.
   */
  public record EveryNumeric(FieldPath under) implements Readings {
    @Override
    public String toString() {
      return under == null ? "*" : under + "/*";
    }
  }

  /** Exactly these readings, each from its path. Written {@code name=/path,other=/path2,plain}. */
  public record Listed(Map<String, FieldPath> fields) implements Readings {
    public Listed {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("a listed readings mapping needs at least one field");
      }
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      fields.forEach((n, p) -> parts.add(n + "=" + p));
      return String.join(",", parts);
    }
  }

  public EventMapping {
    Objects.requireNonNull(deviceId, "device id path");
    Objects.requireNonNull(lineId, "line id path");
    Objects.requireNonNull(eventTime, "event time path");
    Objects.requireNonNull(timeFormat, "time format");
    Objects.requireNonNull(type, "type path");
    Objects.requireNonNull(readings, "readings");
    typeValues = Collections.unmodifiableMap(new LinkedHashMap<>(typeValues));
  }

  /** jamwatch's own names: deviceId, lineId, eventTime (auto), type, eventId, readings/*. */
  public static EventMapping defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.deviceId = deviceId;
    b.lineId = lineId;
    b.eventTime = eventTime;
    b.timeFormat = timeFormat;
    b.type = type;
    b.typeValues.putAll(typeValues);
    b.eventId = eventId;
    b.readings = readings;
    return b;
  }

  /** Config-file keys, each with its default (the README's mapping table). */
  public static final Map<String, String> KEYS;

  static {
    Map<String, String> k = new LinkedHashMap<>();
    k.put("mapping.device-id", "/deviceId");
    k.put("mapping.line-id", "/lineId");
    k.put("mapping.event-time", "/eventTime");
    k.put("mapping.event-time.format", "auto");
    k.put("mapping.type", "/type");
    k.put("mapping.type.values", "");
    k.put("mapping.event-id", "/eventId");
    k.put("mapping.readings", "/readings/*");
    KEYS = Collections.unmodifiableMap(k);
  }

  /** The mapping of a config file's {@code mapping.*} keys (absent keys keep their default). */
  public static EventMapping fromProperties(Properties p) {
    Builder b = builder();
    for (String key : new TreeSet<>(p.stringPropertyNames())) {
      if (!key.startsWith("mapping.")) {
        continue;
      }
      String v = p.getProperty(key).trim();
      try {
        switch (key) {
          case "mapping.device-id" -> b.deviceId(v);
          case "mapping.line-id" -> b.lineId(v);
          case "mapping.event-time" -> b.eventTime(v);
          case "mapping.event-time.format" -> b.timeFormat(TimeFormat.parse(v));
          case "mapping.type" -> b.type(v);
          case "mapping.type.values" -> b.typeValues(v);
          case "mapping.event-id" -> b.eventId(v.isEmpty() ? null : v);
          case "mapping.readings" -> b.readings(v);
          default -> throw new IllegalArgumentException("unknown key; known: " + KEYS.keySet());
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** The mapping as config-file lines (what {@code demo --input-format json} prints). */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    out.add("mapping.device-id         = " + deviceId);
    out.add("mapping.line-id           = " + lineId);
    out.add("mapping.event-time        = " + eventTime);
    out.add("mapping.event-time.format = " + timeFormat.key());
    out.add("mapping.type              = " + type);
    out.add("mapping.type.values       = " + typeValuesText());
    out.add("mapping.event-id          = " + (eventId == null ? "" : eventId));
    out.add("mapping.readings          = " + readings);
    return out;
  }

  String typeValuesText() {
    List<String> parts = new ArrayList<>();
    typeValues.forEach((k, v) -> parts.add(k + ":" + v));
    return parts.isEmpty() ? "(EventType names, any case)" : String.join(",", parts);
  }

  /** The top-level names used by a non-reading role (kept out of {@code readings=*}). */
  Set<String> topLevelRoleNames() {
    Set<String> s = new TreeSet<>();
    for (FieldPath p : new FieldPath[] {deviceId, lineId, eventTime, type, eventId}) {
      if (p != null) {
        s.add(p.segments().get(0));
      }
    }
    return s;
  }

  /** Checked builder: every setter parses and validates; {@link #build()} checks the whole. */
  public static final class Builder {
    private FieldPath deviceId = FieldPath.parse("/deviceId");
    private FieldPath lineId = FieldPath.parse("/lineId");
    private FieldPath eventTime = FieldPath.parse("/eventTime");
    private TimeFormat timeFormat = TimeFormat.AUTO;
    private FieldPath type = FieldPath.parse("/type");
    private final Map<String, EventType> typeValues = new LinkedHashMap<>();
    private FieldPath eventId = FieldPath.parse("/eventId");
    private Readings readings = new EveryNumeric(FieldPath.parse("/readings"));

    private Builder() {}

    public Builder deviceId(String path) {
      deviceId = FieldPath.parse(path);
      return this;
    }

    public Builder lineId(String path) {
      lineId = FieldPath.parse(path);
      return this;
    }

    public Builder eventTime(String path) {
      eventTime = FieldPath.parse(path);
      return this;
    }

    public Builder timeFormat(TimeFormat f) {
      timeFormat = Objects.requireNonNull(f, "time format");
      return this;
    }

    public Builder type(String path) {
      type = FieldPath.parse(path);
      return this;
    }

    /** One source value for an event type; a value may be mapped once only. */
    public Builder typeValue(String value, EventType t) {
      Objects.requireNonNull(t, "event type");
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("empty event-type value");
      }
      if (t == EventType.UNKNOWN) {
        throw new IllegalArgumentException("'" + value + "' cannot be mapped to UNKNOWN (unmapped values already are)");
      }
      EventType prev = typeValues.putIfAbsent(value, t);
      if (prev != null && prev != t) {
        throw new IllegalArgumentException("event-type value '" + value + "' mapped twice (" + prev + ", " + t + ")");
      }
      return this;
    }

    /** {@code scan:PACKAGE_SCANNED,noread:NO_READ} ({@code =} works as well as {@code :}). */
    public Builder typeValues(String text) {
      if (text.isBlank()) {
        return this;
      }
      for (String pair : text.split(",")) {
        String[] kv = pair.split("[:=]", 2);
        if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
          throw new IllegalArgumentException("'" + pair.trim() + "' is not value:EVENT_TYPE");
        }
        EventType t;
        try {
          t = EventType.valueOf(kv[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'" + kv[1].trim() + "' is not an event type; known: "
              + java.util.Arrays.toString(EventType.values()));
        }
        typeValue(kv[0].trim(), t);
      }
      return this;
    }

    /** Null: the input carries no event id (duplicates then cannot be recognised). */
    public Builder eventId(String path) {
      eventId = path == null ? null : FieldPath.parse(path);
      return this;
    }

    /** {@code *}, {@code /under/*}, or {@code name=/path,name2=/path2,plain}. */
    public Builder readings(String text) {
      String t = text.trim();
      if (t.equals("*")) {
        readings = new EveryNumeric(null);
      } else if (t.endsWith("/*") && !t.contains(",")) {
        readings = new EveryNumeric(FieldPath.parse(t.substring(0, t.length() - 2)));
      } else {
        Map<String, FieldPath> m = new LinkedHashMap<>();
        for (String part : t.split(",")) {
          String p = part.trim();
          if (p.isEmpty()) {
            throw new IllegalArgumentException("empty entry in readings list '" + text + "'");
          }
          int eq = p.indexOf('=');
          FieldPath path = FieldPath.parse(eq < 0 ? p : p.substring(eq + 1));
          String name = eq < 0 ? path.leaf() : p.substring(0, eq).trim();
          if (name.isEmpty()) {
            throw new IllegalArgumentException("empty reading name in '" + p + "'");
          }
          if (m.put(name, path) != null) {
            throw new IllegalArgumentException("reading '" + name + "' listed twice");
          }
        }
        readings = new Listed(m);
      }
      return this;
    }

    public Builder readings(Readings r) {
      readings = Objects.requireNonNull(r, "readings");
      return this;
    }

    public EventMapping build() {
      List<FieldPath> roles = new ArrayList<>(List.of(deviceId, lineId, eventTime, type));
      if (eventId != null) {
        roles.add(eventId);
      }
      if (new java.util.HashSet<>(roles).size() != roles.size()) {
        throw new IllegalArgumentException("device id, line id, event time, type and event id must be distinct fields: " + roles);
      }
      if (readings instanceof Listed l) {
        for (Map.Entry<String, FieldPath> e : l.fields().entrySet()) {
          if (roles.contains(e.getValue())) {
            throw new IllegalArgumentException("reading '" + e.getKey() + "' reads " + e.getValue() + ", already mapped to another field");
          }
        }
      } else if (readings instanceof EveryNumeric n && n.under() != null && roles.contains(n.under())) {
        throw new IllegalArgumentException("readings object " + n.under() + " is already mapped to another field");
      }
      return new EventMapping(deviceId, lineId, eventTime, timeFormat, type, typeValues, eventId, readings);
    }
  }
}
