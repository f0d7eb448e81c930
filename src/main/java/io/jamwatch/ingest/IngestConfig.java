package io.jamwatch.ingest;

import java.util.Objects;

/**
 * How input records are read: the wire format, the field mapping (JSON and registry Avro), and the
 * registry to fetch writer schemas from (registry Avro). {@link #decoder()} builds the decoder of
 * a mapped format; jamwatch's own Avro is decoded by the stream's Avro serde.
 */
public record IngestConfig(InputFormat format, EventMapping mapping, RegistrySettings registry) {
  public IngestConfig {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(registry, "registry");
    if (format == InputFormat.AVRO_REGISTRY && registry.url() == null) {
      throw new IllegalArgumentException("input.format=avro-registry needs registry.url");
    }
  }

  public static IngestConfig defaults() {
    return new IngestConfig(InputFormat.JAMWATCH_AVRO, EventMapping.defaults(), RegistrySettings.defaults());
  }

  public IngestConfig withFormat(InputFormat f) {
    return new IngestConfig(f, mapping, registry);
  }

  public IngestConfig withMapping(EventMapping m) {
    return new IngestConfig(format, m, registry);
  }

  public IngestConfig withRegistry(RegistrySettings r) {
    return new IngestConfig(format, mapping, r);
  }

  /** The decoder of a mapped format (a new registry client, with its own cache, per call). */
  public EventDecoder decoder() {
    return switch (format) {
      case JSON -> new JsonEventDecoder(mapping);
      case AVRO_REGISTRY -> new RegistryAvroDecoder(new SchemaRegistryClient(registry), mapping);
      case JAMWATCH_AVRO -> throw new IllegalStateException("jamwatch-avro is decoded by the stream's AvroSerde");
    };
  }
}
