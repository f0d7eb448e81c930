package io.jamwatch.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The inverse of {@link EventMapper}: writes a ScannerEvent as the JSON a gateway using this
 * mapping would send (the demo's JSON feed, {@code import-json} fixtures, tests). Every mapping
 * built by {@link EventMapping.Builder} is invertible: the first value mapped to a type is written
 * for it, times in the mapping's format (AUTO writes epoch milliseconds), readings at their paths.
 */
public final class JsonEventEncoder {
  private final EventMapping mapping;
  private final java.util.EnumMap<EventType, String> typeText = new java.util.EnumMap<>(EventType.class);

  public JsonEventEncoder(EventMapping mapping) {
    this.mapping = mapping;
    mapping.typeValues().forEach((v, t) -> typeText.putIfAbsent(t, v));
  }

  public ObjectNode toTree(ScannerEvent e) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    put(root, mapping.deviceId()).put(mapping.deviceId().leaf(), e.getDeviceId());
    put(root, mapping.lineId()).put(mapping.lineId().leaf(), e.getLineId());
    long ms = e.getEventTime().toEpochMilli();
    ObjectNode tp = put(root, mapping.eventTime());
    String tn = mapping.eventTime().leaf();
    switch (mapping.timeFormat()) {
      case ISO -> tp.put(tn, e.getEventTime().toString());
      case EPOCH_SECONDS -> tp.put(tn, java.math.BigDecimal.valueOf(ms, 3));
      default -> tp.put(tn, ms);
    }
    put(root, mapping.type()).put(mapping.type().leaf(), typeText.getOrDefault(e.getType(), e.getType().name()));
    if (mapping.eventId() != null && e.getEventId() != null) {
      put(root, mapping.eventId()).put(mapping.eventId().leaf(), e.getEventId());
    }
    if (mapping.readings() instanceof EventMapping.Listed l) {
      for (Map.Entry<String, FieldPath> f : l.fields().entrySet()) {
        Float v = e.getReadings().get(f.getKey());
        if (v != null) {
          put(root, f.getValue()).put(f.getValue().leaf(), v.floatValue());
        }
      }
    } else {
      FieldPath under = ((EventMapping.EveryNumeric) mapping.readings()).under();
      ObjectNode r = under == null ? root : child(put(root, under), under.leaf());
      for (Map.Entry<String, Float> f : e.getReadings().entrySet()) {
        if (under == null && mapping.topLevelRoleNames().contains(f.getKey())) {
          throw new IllegalArgumentException("reading '" + f.getKey() + "' collides with a mapped field");
        }
        r.put(f.getKey(), f.getValue().floatValue());
      }
    }
    return root;
  }

  public byte[] encode(ScannerEvent e) {
    try {
      return JsonEventDecoder.JSON.writeValueAsBytes(toTree(e));
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The object that holds the last segment of {@code p}, created on the way. */
  private static ObjectNode put(ObjectNode root, FieldPath p) {
    ObjectNode n = root;
    List<String> s = p.segments();
    for (int i = 0; i < s.size() - 1; i++) {
      n = child(n, s.get(i));
    }
    return n;
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    var c = parent.get(name);
    if (c instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(name);
  }
}
