package io.jamwatch.ingest;

import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Registry-framed Avro input (the wire format of Confluent's and Apicurio's Kafka serializers with
 * the default id handling): byte 0 = magic 0, bytes 1-4 = schema id (big-endian int), then the Avro
 * binary encoding of one datum written with that schema. The writer schema comes from {@link
 * SchemaRegistryClient} (fetched once per id); the datum is read generically with it and mapped by
 * the {@link EventMapping} like JSON. Trailing bytes after the datum are an error: a frame must be
 * exactly one datum.
 */
public final class RegistryAvroDecoder implements EventDecoder {
  public static final byte MAGIC = 0;
  public static final int HEADER = 5;

  private final SchemaRegistryClient registry;
  private final EventMapper mapper;
  private final Map<Integer, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder> reuse = new ThreadLocal<>();

  public RegistryAvroDecoder(SchemaRegistryClient registry, EventMapping mapping) {
    this.registry = registry;
    this.mapper = new EventMapper(mapping);
  }

  public EventMapping mapping() {
    return mapper.mapping();
  }

  /** The frame of one datum: magic byte, schema id, Avro binary. */
  public static byte[] frame(int schemaId, byte[] avroBinary) {
    return ByteBuffer.allocate(HEADER + avroBinary.length).put(MAGIC).putInt(schemaId).put(avroBinary).array();
  }

  @Override
  public ScannerEvent decode(byte[] bytes) {
    if (bytes.length < HEADER || bytes[0] != MAGIC) {
      throw new IngestException(IngestFailure.BAD_REGISTRY_FRAMING,
          bytes.length < HEADER
              ? "registry frame of " + bytes.length + " bytes, shorter than its 5-byte header"
              : String.format("registry frame starts with 0x%02x, not the magic byte 0", bytes[0] & 0xff));
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    GenericDatumReader<Object> reader = readers.get(id);
    if (reader == null) {
      Schema writer = registry.schema(id);
      reader = new GenericDatumReader<>(writer, writer, GenericData.get());
      readers.putIfAbsent(id, reader);
    }
    Object datum;
    try {
      BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, reuse.get());
      reuse.set(d);
      datum = reader.read(null, d);
      if (!d.isEnd()) {
        throw new IOException("trailing bytes after the datum");
      }
    } catch (IOException | RuntimeException e) {
      throw new IngestException(IngestFailure.UNDECODABLE_AVRO,
          "Avro body does not decode with schema id " + id + ": " + e, e);
    }
    return mapper.map(AvroTree.of(datum));
  }
}
