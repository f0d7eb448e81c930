package io.jamwatch.stream;

import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.RegistryAvroDecoder;
import io.jamwatch.logs.TrustedAvroClasses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The real topology in a TopologyTestDriver with a given input format, fed raw bytes: what a
 * warehouse's producer would put on the topic. At-least-once, as in ScoringTopologyTest (the
 * driver drops the deserialization handler's dead letters under exactly_once_v2).
 */
final class FormatHarness implements AutoCloseable {
  static final int REGISTRY_ID = 1;

  final StreamConfig config;
  final ReloadingModelProvider models;
  final StreamMetrics metrics = new StreamMetrics();
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> raw;
  final TestOutputTopic<String, JamRiskScore> scores;
  final TestOutputTopic<byte[], DeadLetter> deadLetters;
  final KeyValueStore<String, byte[]> store;
  private final JamwatchTopics topics;

  FormatHarness(Path dir, Path model, StreamConfig cfg) {
    config = cfg.withModelPath(model);
    models = new ReloadingModelProvider(model);
    Properties p = config.streamsProperties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + System.nanoTime()).toString());
    p.put(DeadLetters.METRICS_CONFIG, metrics);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(JamwatchTopology.build(config, models, metrics), p, Instant.ofEpochMilli(TestEvents.T0));
    topics = JamwatchTopics.of(config);
    raw = driver.createInputTopic(topics.events().name(), new StringSerializer(), new ByteArraySerializer());
    scores = driver.createOutputTopic(topics.scores().name(), new StringDeserializer(), topics.scores().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(),
        topics.deadLetters().valueSerde().deserializer());
    store = driver.getKeyValueStore(JamwatchTopology.STORE);
  }

  static StreamConfig withFormat(InputFormat f, String registryUrl) {
    IngestConfig in = IngestConfig.defaults().withFormat(InputFormat.JAMWATCH_AVRO);
    if (registryUrl != null) {
      in = in.withRegistry(in.registry().withUrl(registryUrl));
    }
    return StreamConfig.defaults().withIngest(in.withFormat(f));
  }

  /** The bytes a producer of this format writes for {@code e}. */
  byte[] bytes(ScannerEvent e) {
    if (config.ingest().format() == InputFormat.AVRO_REGISTRY) {
      return RegistryAvroDecoder.frame(REGISTRY_ID, avroBinary(e));
    }
    return topics.events().valueSerde().serializer().serialize(topics.events().name(), e);
  }

  static byte[] avroBinary(ScannerEvent e) {
    TrustedAvroClasses.register();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<ScannerEvent>(ScannerEvent.getClassSchema()).write(e, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  void pipe(ScannerEvent e) {
    raw.pipeInput(e.getDeviceId(), bytes(e), e.getEventTime());
  }

  void pipeRaw(String key, byte[] value, long time) {
    raw.pipeInput(key, value, Instant.ofEpochMilli(time));
  }

  /** Every device's state, by device id. */
  TreeMap<String, StoredState> states() {
    TreeMap<String, StoredState> out = new TreeMap<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        out.put(kv.key, StoredState.of(kv.value));
      }
    }
    return out;
  }

  List<JamRiskScore> drainScores() {
    return scores.readValuesToList();
  }

  @Override
  public void close() {
    driver.close();
    models.close();
  }
}
