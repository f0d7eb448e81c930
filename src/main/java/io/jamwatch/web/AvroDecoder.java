package io.jamwatch.web;

import io.jamwatch.logs.TrustedAvroClasses;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes one topic value written in Avro single-object encoding (the stream's wire format) into
 * its generated class. Interim: replaced by the stream's AvroSerde once both branches meet.
 */
final class AvroDecoder<T extends SpecificRecord> {
  private final BinaryMessageDecoder<T> decoder;

  AvroDecoder(Schema schema) {
    TrustedAvroClasses.register();
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
  }

  T decode(byte[] bytes) throws IOException {
    return decoder.decode(bytes);
  }
}
