package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds the records of {@code scanner-events-dlq}: key = the original key bytes, value = an Avro
 * {@link DeadLetter} carrying the reason, a message, the source topic/partition/offset and the
 * original key and value bytes, untouched, so that a fixed record can be replayed.
 */
final class DeadLetters {
  /** Streams config key carrying the dead-letter topic name to the exception handlers. */
  static final String TOPIC_CONFIG = "jamwatch.dlq.topic";
  /** Streams config key carrying the {@link StreamMetrics} instance to the exception handlers. */
  static final String METRICS_CONFIG = "jamwatch.metrics";

  private final String topic;
  private final AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.getClassSchema());
  private final StreamMetrics metrics;

  DeadLetters(Map<String, ?> configs) {
    Object t = configs.get(TOPIC_CONFIG);
    this.topic = t == null ? StreamConfig.TopicNames.defaults().deadLetters() : t.toString();
    Object m = configs.get(METRICS_CONFIG);
    this.metrics = m instanceof StreamMetrics sm ? sm : null;
  }

  ProducerRecord<byte[], byte[]> record(
      RejectReason reason,
      String message,
      String sourceTopic,
      int partition,
      long offset,
      byte[] key,
      byte[] value) {
    if (metrics != null) {
      metrics.deadLetter(reason);
    }
    DeadLetter dl =
        DeadLetter.newBuilder()
            .setReason(reason.name())
            .setMessage(message == null ? reason.name() : message)
            .setTopic(sourceTopic == null ? "" : sourceTopic)
            .setPartition(partition)
            .setOffset(offset)
            .setKey(key == null ? null : ByteBuffer.wrap(key))
            .setValue(value == null ? null : ByteBuffer.wrap(value))
            .setDeviceId(key == null ? null : new String(key, StandardCharsets.UTF_8))
            .setTime(java.time.Instant.ofEpochMilli(System.currentTimeMillis()))
            .build();
    return new ProducerRecord<>(topic, null, key, serde.encode(dl));
  }
}
