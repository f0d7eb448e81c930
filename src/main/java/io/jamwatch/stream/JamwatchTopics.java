package io.jamwatch.stream;

import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.EventDecoder;
import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.JsonEventEncoder;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The four topics of the detector, typed, built from the configured names. Keys are the deviceId
 * (UTF-8 string); values use {@link AvroSerde} (Avro single-object encoding). The dead-letter
 * topic's key is the rejected record's original key bytes.
 */
public record JamwatchTopics(
    TopicDescriptor<String, ScannerEvent> events,
    TopicDescriptor<String, JamRiskScore> scores,
    TopicDescriptor<String, JamAlert> alerts,
    TopicDescriptor<byte[], DeadLetter> deadLetters) {

  public static JamwatchTopics of(StreamConfig.TopicNames names) {
    Serde<String> key = Serdes.String();
    return new JamwatchTopics(
        new TopicDescriptor<>(names.events(), key, new AvroSerde<>(ScannerEvent.getClassSchema())),
        new TopicDescriptor<>(names.scores(), key, new AvroSerde<>(JamRiskScore.getClassSchema())),
        new TopicDescriptor<>(names.alerts(), key, new AvroSerde<>(JamAlert.getClassSchema())),
        new TopicDescriptor<>(
            names.deadLetters(), Serdes.ByteArray(), new AvroSerde<>(DeadLetter.getClassSchema())));
  }

  /**
   * The topics with the configured wire formats: the events topic reads {@code input.format} (a
   * mapped format decodes through ingest/, whose {@code IngestException} the deserialization
   * handler turns into a dead letter of the same reason), jam-risk and jam-alerts write {@code
   * output.format}. The events serializer of a mapped format writes what the mapping reads (JSON),
   * or refuses (registry Avro: producing it is the warehouse's serializer's job).
   */
  public static JamwatchTopics of(StreamConfig config) {
    StreamConfig.TopicNames names = config.topics();
    JamwatchTopics avro = of(names);
    IngestConfig in = config.ingest();
    TopicDescriptor<String, ScannerEvent> events = avro.events();
    if (in.format() != InputFormat.JAMWATCH_AVRO) {
      EventDecoder decoder = in.decoder();
      Serializer<ScannerEvent> writer =
          in.format() == InputFormat.JSON
              ? new JsonSerializer(new JsonEventEncoder(in.mapping()))
              : (topic, e) -> {
                  throw new UnsupportedOperationException("jamwatch does not produce " + in.format() + " events");
                };
      Deserializer<ScannerEvent> reader = (topic, bytes) -> bytes == null ? null : decoder.decode(bytes);
      events = new TopicDescriptor<>(names.events(), Serdes.String(), Serdes.serdeFrom(writer, reader));
    }
    if (config.output() == OutputFormat.AVRO) {
      return new JamwatchTopics(events, avro.scores(), avro.alerts(), avro.deadLetters());
    }
    return new JamwatchTopics(
        events,
        new TopicDescriptor<>(names.scores(), Serdes.String(), new JsonRecordSerde<>(JamRiskScore.getClassSchema())),
        new TopicDescriptor<>(names.alerts(), Serdes.String(), new JsonRecordSerde<>(JamAlert.getClassSchema())),
        avro.deadLetters());
  }

  private record JsonSerializer(JsonEventEncoder encoder) implements Serializer<ScannerEvent> {
    @Override
    public byte[] serialize(String topic, ScannerEvent e) {
      return e == null ? null : encoder.encode(e);
    }
  }

  public List<String> names() {
    return List.of(events.name(), scores.name(), alerts.name(), deadLetters.name());
  }
}
