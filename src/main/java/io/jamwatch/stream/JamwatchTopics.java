package io.jamwatch.stream;

import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import java.util.List;
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

  public List<String> names() {
    return List.of(events.name(), scores.name(), alerts.name(), deadLetters.name());
  }
}
