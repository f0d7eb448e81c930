package io.jamwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * A generic Avro datum as a JSON tree, so that the one {@link EventMapper} reads registry Avro
 * exactly as it reads JSON: records and maps become objects (field / key names), enums and strings
 * text, float stays float (bit-exact), int/long numbers (timestamp-millis is its long), unions their
 * branch, bytes and fixed binary (never a reading).
 */
final class AvroTree {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AvroTree() {}

  static JsonNode of(Object datum) {
    if (datum == null) {
      return F.nullNode();
    }
    if (datum instanceof IndexedRecord r) {
      ObjectNode o = F.objectNode();
      for (org.apache.avro.Schema.Field f : r.getSchema().getFields()) {
        o.set(f.name(), of(r.get(f.pos())));
      }
      return o;
    }
    if (datum instanceof Map<?, ?> m) {
      ObjectNode o = F.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        o.set(String.valueOf(e.getKey()), of(e.getValue()));
      }
      return o;
    }
    if (datum instanceof Collection<?> c) {
      ArrayNode a = F.arrayNode();
      for (Object x : c) {
        a.add(of(x));
      }
      return a;
    }
    if (datum instanceof CharSequence || datum instanceof GenericEnumSymbol<?> || datum instanceof Enum<?>) {
      return F.textNode(datum.toString());
    }
    if (datum instanceof Float f) {
      return F.numberNode(f);
    }
    if (datum instanceof Double d) {
      return F.numberNode(d);
    }
    if (datum instanceof Integer i) {
      return F.numberNode(i);
    }
    if (datum instanceof Long l) {
      return F.numberNode(l);
    }
    if (datum instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (datum instanceof ByteBuffer b) {
      byte[] out = new byte[b.remaining()];
      b.duplicate().get(out);
      return F.binaryNode(out);
    }
    if (datum instanceof GenericFixed x) {
      return F.binaryNode(x.bytes());
    }
    return F.textNode(datum.toString());
  }
}
