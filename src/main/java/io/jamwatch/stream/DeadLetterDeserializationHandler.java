package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.ingest.IngestException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undecodable input (bad bytes, a foreign schema; for JSON and registry Avro input, the {@link
 * IngestException} reasons: invalid JSON, a missing or mistyped mapped field, ...) goes to the dead-letter topic and the stream
 * resumes (Kafka Streams 4.x dead-letter support, KIP-1034): the dead letter is written in the
 * same transaction as the consumed offset, so it is neither lost nor doubled under EOS.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = new DeadLetters(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    RejectReason reason = reasonOf(exception);
    String message = exception.getMessage();
    LOG.warn(
        "dead-lettering undecodable record {}-{}@{}: {} {}",
        record.topic(), record.partition(), record.offset(), reason, message);
    return Response.resume(
        List.of(
            deadLetters.record(
                reason, message, record.topic(), record.partition(), record.offset(),
                record.key(), record.value())));
  }

  static RejectReason reasonOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IngestException i) {
        return RejectReason.valueOf(i.failure().name());
      }
      if (t instanceof AvroSerde.DecodeException d) {
        return switch (d.reason()) {
          case BAD_HEADER -> RejectReason.BAD_HEADER;
          case UNKNOWN_SCHEMA -> RejectReason.UNKNOWN_SCHEMA;
          case DESERIALIZATION -> RejectReason.DESERIALIZATION;
        };
      }
    }
    return RejectReason.DESERIALIZATION;
  }
}
