package io.jamwatch.stream;

import io.jamwatch.logs.TrustedAvroClasses;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for the generated Avro records, without a schema registry.
 *
 * <p>Wire format: Avro <a href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">
 * single-object encoding</a>: two marker bytes {@code C3 01}, the 8-byte little-endian CRC-64-AVRO
 * fingerprint of the writer schema, then the Avro binary encoding of the record (written by a
 * SpecificDatumWriter). The fingerprint is what lets a reader tell a record of another schema from
 * garbage without a registry: an unknown fingerprint is rejected as {@link Reason#UNKNOWN_SCHEMA},
 * bad marker bytes as {@link Reason#BAD_HEADER}, anything else undecodable as {@link
 * Reason#DESERIALIZATION}. Older writer schemas can be taught to the reader with {@link
 * #addWriterSchema(Schema)} (schema resolution then applies Avro's compatibility rules).
 *
 * <p>The per-record path (a payload written with this serde's own schema, i.e. every record of a
 * current producer) reads and writes the Avro binary body through Avro's buffered array decoder and
 * encoder, reused per thread, instead of {@link BinaryMessageDecoder}/{@link BinaryMessageEncoder}'s
 * byte-at-a-time stream ones; the bytes and the records are the same ({@code AvroSerdeTest}), and
 * any other payload (older writer schema, bad header, unknown fingerprint) goes through the message
 * decoder as before.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  /** Why a payload could not be decoded; carried by {@link DecodeException}. */
  public enum Reason {
    BAD_HEADER,
    UNKNOWN_SCHEMA,
    DESERIALIZATION
  }

  /** A payload that is not a record of this serde's schema, with the reason. */
  public static final class DecodeException extends SerializationException {
    private final Reason reason;

    DecodeException(Reason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  /** The single-object header of this schema: C3 01 and its fingerprint, little-endian. */
  private final byte[] header;
  private final DatumReader<T> reader;
  private final DatumWriter<T> writer;
  private final ThreadLocal<BinaryDecoder> bodyDecoder = new ThreadLocal<>();

  @SuppressWarnings("unchecked")
  public AvroSerde(Schema schema) {
    TrustedAvroClasses.register();
    this.schema = schema;
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
    this.reader = (DatumReader<T>) SpecificData.get().createDatumReader(schema);
    this.writer = (DatumWriter<T>) SpecificData.get().createDatumWriter(schema);
    long fp = SchemaNormalization.parsingFingerprint64(schema);
    this.header = new byte[HEADER];
    header[0] = (byte) 0xC3;
    header[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fp >>> (8 * i));
    }
  }

  private static final int HEADER = 10;

  public Schema schema() {
    return schema;
  }

  /** Accepts records written with an older (compatible) version of the schema. */
  public AvroSerde<T> addWriterSchema(Schema writer) {
    decoder.addSchema(writer);
    return this;
  }

  /**
   * A per-thread output buffer with its buffered Avro encoder: the encoded record is copied once,
   * into the array returned.
   */
  private static final class Buffer extends ByteArrayOutputStream {
    BinaryEncoder encoder;

    Buffer() {
      super(256);
    }
  }

  private static final ThreadLocal<Buffer> OUT = ThreadLocal.withInitial(Buffer::new);

  public byte[] encode(T value) {
    Buffer out = OUT.get();
    boolean done = false;
    try {
      out.reset();
      out.write(header, 0, HEADER);
      BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, out.encoder);
      out.encoder = e;
      writer.write(value, e);
      e.flush();
      done = true;
      return out.toByteArray();
    } catch (IOException | AvroRuntimeException e) {
      throw new SerializationException("cannot encode " + schema.getFullName() + ": " + e, e);
    } finally {
      if (!done) {
        // A failed write (e.g. a null in a required field) leaves bytes in the encoder's buffer,
        // which reusing it would flush into the next record: drop it.
        out.encoder = null;
      }
    }
  }

  /** The single-object encoding through Avro's message encoder (the reference {@link #encode} must equal). */
  byte[] encodeByMessageEncoder(T value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encoder.encode(value, out);
    return out.toByteArray();
  }

  /** True when {@code bytes} start with this schema's own single-object header. */
  private boolean ownHeader(byte[] bytes) {
    if (bytes.length < HEADER) {
      return false;
    }
    for (int i = 0; i < HEADER; i++) {
      if (bytes[i] != header[i]) {
        return false;
      }
    }
    return true;
  }

  public T decode(byte[] bytes) {
    try {
      if (ownHeader(bytes)) {
        BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, bodyDecoder.get());
        bodyDecoder.set(d);
        return reader.read(null, d);
      }
      return decoder.decode(bytes);
    } catch (BadHeaderException e) {
      throw new DecodeException(
          Reason.BAD_HEADER,
          "not an Avro single-object encoded " + schema.getName() + " (bad marker bytes)",
          e);
    } catch (MissingSchemaException e) {
      throw new DecodeException(
          Reason.UNKNOWN_SCHEMA,
          "record written with a schema unknown to this " + schema.getName() + " reader: "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(
          Reason.DESERIALIZATION, "undecodable " + schema.getName() + " payload: " + e, e);
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
