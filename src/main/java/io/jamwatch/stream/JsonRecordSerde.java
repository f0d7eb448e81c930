package io.jamwatch.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON rendering of the output records (JamRiskScore, JamAlert) for {@code output.format=json}:
 * one object per record whose keys are exactly the Avro field names of the schema (so the
 * schemas in {@code schemas/} document the field names, and a new optional field only adds a key);
 * {@code timestamp-millis} fields as ISO-8601 UTC text ({@code "2026-01-01T00:00:00.250Z"}), enums
 * as their symbol, floats as JSON numbers (shortest text that reads back to the same float), a
 * null union as JSON null, arrays of records as arrays of objects. {@link #decode} reads it back
 * (the dashboard reads either format).
 */
public final class JsonRecordSerde<T extends SpecificRecord> implements Serde<T> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final Schema schema;

  public JsonRecordSerde(Schema schema) {
    this.schema = schema;
  }

  public byte[] encode(T value) {
    try {
      return JSON.writeValueAsBytes(write(value, schema));
    } catch (IOException e) {
      throw new SerializationException("cannot write " + schema.getName() + " as JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  public T decode(byte[] bytes) {
    try {
      return (T) read(JSON.readTree(bytes), schema);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("not a JSON " + schema.getName() + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode write(Object v, Schema s) {
    switch (s.getType()) {
      case RECORD -> {
        SpecificRecord r = (SpecificRecord) v;
        ObjectNode o = F.objectNode();
        for (Schema.Field f : s.getFields()) {
          o.set(f.name(), write(r.get(f.pos()), f.schema()));
        }
        return o;
      }
      case UNION -> {
        if (v == null) {
          return F.nullNode();
        }
        for (Schema b : s.getTypes()) {
          if (b.getType() != Schema.Type.NULL) {
            return write(v, b);
          }
        }
        throw new IllegalArgumentException("union without a non-null branch");
      }
      case ARRAY -> {
        ArrayNode a = F.arrayNode();
        for (Object x : (List<?>) v) {
          a.add(write(x, s.getElementType()));
        }
        return a;
      }
      case LONG -> {
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          return F.textNode(((Instant) v).toString());
        }
        return F.numberNode((Long) v);
      }
      case FLOAT -> {
        return F.numberNode((Float) v);
      }
      case DOUBLE -> {
        return F.numberNode((Double) v);
      }
      case INT -> {
        return F.numberNode((Integer) v);
      }
      case BOOLEAN -> {
        return F.booleanNode((Boolean) v);
      }
      case STRING, ENUM -> {
        return F.textNode(v.toString());
      }
      case NULL -> {
        return F.nullNode();
      }
      default -> throw new IllegalArgumentException("no JSON rendering for " + s.getType());
    }
  }

  private static Object read(JsonNode n, Schema s) {
    switch (s.getType()) {
      case RECORD -> {
        SpecificRecord r = (SpecificRecord) SpecificData.get().newRecord(null, s);
        for (Schema.Field f : s.getFields()) {
          JsonNode x = n.get(f.name());
          if (x == null) {
            if (!f.hasDefaultValue()) {
              throw new IllegalArgumentException("field '" + f.name() + "' missing");
            }
            r.put(f.pos(), SpecificData.get().deepCopy(f.schema(), SpecificData.get().getDefaultValue(f)));
          } else {
            r.put(f.pos(), read(x, f.schema()));
          }
        }
        return r;
      }
      case UNION -> {
        if (n.isNull()) {
          return null;
        }
        for (Schema b : s.getTypes()) {
          if (b.getType() != Schema.Type.NULL) {
            return read(n, b);
          }
        }
        throw new IllegalArgumentException("union without a non-null branch");
      }
      case ARRAY -> {
        List<Object> out = new ArrayList<>();
        for (JsonNode x : n) {
          out.add(read(x, s.getElementType()));
        }
        return out;
      }
      case LONG -> {
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          try {
            return Instant.parse(n.textValue());
          } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("not an ISO-8601 time: " + n);
          }
        }
        return n.longValue();
      }
      case FLOAT -> {
        return Float.parseFloat(n.asText());
      }
      case DOUBLE -> {
        return n.doubleValue();
      }
      case INT -> {
        return n.intValue();
      }
      case BOOLEAN -> {
        return n.booleanValue();
      }
      case STRING -> {
        return n.textValue();
      }
      case ENUM -> {
        return SpecificData.get().createEnum(n.textValue(), s);
      }
      default -> throw new IllegalArgumentException("no JSON rendering for " + s.getType());
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
