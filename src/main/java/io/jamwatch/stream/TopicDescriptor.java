package io.jamwatch.stream;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** A topic name with the serdes of its key and value: one typed handle instead of a bare string. */
public record TopicDescriptor<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  public TopicDescriptor {
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
  }
}
