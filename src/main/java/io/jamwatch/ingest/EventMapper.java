package io.jamwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Applies an {@link EventMapping} to a record seen as a tree (a JSON object, or a registry Avro
 * record converted by {@link AvroTree}); the one place where a foreign record becomes a
 * ScannerEvent, so JSON and registry Avro cannot map differently. Throws {@link IngestException}
 * naming the field and what is wrong with it.
 *
 * <p>Readings are converted to float exactly as Java parses the decimal text (no double rounding
 * through a double), so a reading written by {@code Float.toString} comes back bit-identical.
 */
public final class EventMapper {
  /** Epoch magnitudes below this are seconds in {@link EventMapping.TimeFormat#AUTO}. */
  static final long AUTO_SECONDS_BELOW = 100_000_000_000L;

  private final EventMapping mapping;
  private final Set<String> roleNames;

  public EventMapper(EventMapping mapping) {
    this.mapping = mapping;
    this.roleNames = mapping.topLevelRoleNames();
  }

  public EventMapping mapping() {
    return mapping;
  }

  public ScannerEvent map(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IngestException(IngestFailure.INVALID_JSON,
          "expected an object, got " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    String device = text(root, mapping.deviceId(), "device id", true);
    String line = text(root, mapping.lineId(), "line id", true);
    Instant time = time(required(root, mapping.eventTime(), "event time"));
    EventType type = type(required(root, mapping.type(), "type"));
    String id = mapping.eventId() == null ? null : text(root, mapping.eventId(), "event id", false);
    Map<String, Float> readings = readings(root);
    return ScannerEvent.newBuilder()
        .setDeviceId(device)
        .setLineId(line)
        .setEventTime(time)
        .setType(type)
        .setReadings(readings)
        .setEventId(id)
        .build();
  }

  private static JsonNode required(JsonNode root, FieldPath p, String role) {
    JsonNode n = p.find(root);
    if (n == null) {
      throw new IngestException(IngestFailure.MISSING_FIELD, role + " field " + p + " is missing");
    }
    return n;
  }

  private static String text(JsonNode root, FieldPath p, String role, boolean required) {
    JsonNode n = required ? required(root, p, role) : p.find(root);
    if (n == null) {
      return null;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isIntegralNumber()) {
      return n.asText();
    }
    throw new IngestException(IngestFailure.WRONG_TYPE,
        role + " field " + p + " is " + kind(n) + ", expected text or an integer");
  }

  Instant time(JsonNode n) {
    EventMapping.TimeFormat f = mapping.timeFormat();
    if (n.isTextual()) {
      String s = n.textValue().trim();
      if (f == EventMapping.TimeFormat.ISO || f == EventMapping.TimeFormat.AUTO) {
        try {
          return Instant.parse(s);
        } catch (DateTimeException e) {
          try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
          } catch (DateTimeException e2) {
            throw new IngestException(IngestFailure.UNPARSEABLE_TIME,
                "event time " + mapping.eventTime() + " '" + abbreviate(s) + "' is not ISO-8601 with a zone or offset");
          }
        }
      }
      try {
        return epoch(new BigDecimal(s), f);
      } catch (NumberFormatException e) {
        throw new IngestException(IngestFailure.UNPARSEABLE_TIME,
            "event time " + mapping.eventTime() + " '" + abbreviate(s) + "' is not an epoch number (" + f.key() + ")");
      }
    }
    if (n.isNumber()) {
      if (f == EventMapping.TimeFormat.ISO) {
        throw new IngestException(IngestFailure.UNPARSEABLE_TIME,
            "event time " + mapping.eventTime() + " is a number, expected ISO-8601 text");
      }
      return epoch(n.decimalValue(), f);
    }
    throw new IngestException(IngestFailure.WRONG_TYPE,
        "event time " + mapping.eventTime() + " is " + kind(n) + ", expected ISO-8601 text or an epoch number");
  }

  private Instant epoch(BigDecimal v, EventMapping.TimeFormat f) {
    boolean seconds = f == EventMapping.TimeFormat.EPOCH_SECONDS
        || (f == EventMapping.TimeFormat.AUTO && v.abs().compareTo(BigDecimal.valueOf(AUTO_SECONDS_BELOW)) < 0);
    try {
      BigDecimal ms = seconds ? v.movePointRight(3) : v;
      return Instant.ofEpochMilli(ms.setScale(0, RoundingMode.HALF_EVEN).longValueExact());
    } catch (ArithmeticException | DateTimeException e) {
      throw new IngestException(IngestFailure.UNPARSEABLE_TIME,
          "event time " + mapping.eventTime() + " " + abbreviate(v.toString()) + " is out of range");
    }
  }

  private EventType type(JsonNode n) {
    if (!n.isTextual() && !n.isIntegralNumber()) {
      throw new IngestException(IngestFailure.WRONG_TYPE,
          "type field " + mapping.type() + " is " + kind(n) + ", expected text or an integer code");
    }
    String v = n.asText();
    EventType t = mapping.typeValues().get(v);
    if (t != null) {
      return t;
    }
    try {
      return EventType.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return EventType.UNKNOWN; // dead-lettered by the stream as UNKNOWN_EVENT_TYPE, like Avro input
    }
  }

  private Map<String, Float> readings(JsonNode root) {
    Map<String, Float> out = new LinkedHashMap<>();
    if (mapping.readings() instanceof EventMapping.Listed l) {
      for (Map.Entry<String, FieldPath> e : l.fields().entrySet()) {
        JsonNode n = e.getValue().find(root);
        if (n == null) {
          continue; // any subset of readings may be missing
        }
        if (!n.isNumber()) {
          throw new IngestException(IngestFailure.WRONG_TYPE,
              "reading '" + e.getKey() + "' at " + e.getValue() + " is " + kind(n) + ", expected a number");
        }
        out.put(e.getKey(), toFloat(n));
      }
    } else {
      EventMapping.EveryNumeric every = (EventMapping.EveryNumeric) mapping.readings();
      JsonNode obj = every.under() == null ? root : every.under().find(root);
      if (obj == null) {
        return out;
      }
      if (!obj.isObject()) {
        throw new IngestException(IngestFailure.WRONG_TYPE,
            "readings " + every.under() + " is " + kind(obj) + ", expected an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (every.under() == null && roleNames.contains(e.getKey())) {
          continue;
        }
        JsonNode n = e.getValue();
        if (n.isNumber()) {
          out.put(e.getKey(), toFloat(n));
        } else if (every.under() != null && !n.isNull()) {
          // Inside a dedicated readings object every value must be a reading.
          throw new IngestException(IngestFailure.WRONG_TYPE,
              "reading '" + e.getKey() + "' in " + every.under() + " is " + kind(n) + ", expected a number");
        }
      }
    }
    return out;
  }

  /** Correctly rounded: the decimal text straight to the nearest float (no detour through double). */
  static float toFloat(JsonNode n) {
    if (n.isFloat()) {
      return n.floatValue();
    }
    if (n.isInt() || n.isShort()) {
      return (float) n.intValue();
    }
    if (n.isLong()) {
      return (float) n.longValue();
    }
    if (n.isBigDecimal()) {
      return Float.parseFloat(n.decimalValue().toString());
    }
    if (n.isBigInteger()) {
      return n.bigIntegerValue().floatValue();
    }
    return (float) n.doubleValue();
  }

  static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "text";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case BINARY -> "bytes";
      default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
