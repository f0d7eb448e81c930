package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.EventMapping;
import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.JsonEventEncoder;
import io.jamwatch.model.CellType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code input.format=json} on a real broker under exactly_once_v2 (which TopologyTestDriver cannot
 * check for deserialization dead letters): a clean log as gateway-style JSON with bad records of
 * each JSON reason interleaved on the same devices. Every clean event scores exactly as offline
 * (so no bad record touched a state), every bad record is one committed dead letter with its reason
 * and its original bytes, and the stream keeps running.
 */
class JsonInputOnBrokerIT {
  @TempDir Path dir;

  @Test
  void scoresJsonEventsAsOfflineAndDeadLettersEachBadRecordUnderExactlyOnce() throws Exception {
    Path model = TestModels.random(dir, "m.onnx", CellType.GRU, false, 4);
    List<ScannerEvent> events = TestEvents.lines(2, 2, 60, 500, 13);
    EventMapping mapping = EventMapping.builder().deviceId("/scanner").lineId("/line").eventTime("/ts")
        .timeFormat(EventMapping.TimeFormat.ISO).type("/kind").eventId("/id").readings("/plc/*").build();
    JsonEventEncoder enc = new JsonEventEncoder(mapping);
    long t0 = System.nanoTime();
    try (TestBroker broker = TestBroker.start()) {
      phase("broker up", t0);
      StreamConfig cfg = StreamConfig.defaults().withModelPath(model)
          .withKafka(Map.of("bootstrap.servers", broker.bootstrapServers(), "application.id", "json-it-" + System.nanoTime(),
              "state.dir", dir.resolve("state").toString()))
          .withIngest(IngestConfig.defaults().withFormat(InputFormat.JSON).withMapping(mapping));
      broker.createTopics(JamwatchTopics.of(cfg.topics()).names(), 4);
      Map<RejectReason, Integer> sent = new EnumMap<>(RejectReason.class);
      Map<String, RejectReason> badByValue = new java.util.HashMap<>();
      try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
          Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
          new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < events.size(); i++) {
          ScannerEvent e = events.get(i);
          p.send(new ProducerRecord<>(cfg.topics().events(), e.getDeviceId(), enc.encode(e)));
          if (i % 3 == 0) {
            String dev = e.getDeviceId();
            String good = new String(enc.encode(e), StandardCharsets.UTF_8);
            String[] bad = {
              good.substring(0, good.length() / 2),
              good.replace("\"scanner\":\"" + dev + "\",", ""),
              good.replace("\"plc\":{", "\"plc\":{\"belt_speed_raw\":\"0x1f\","),
              good.replaceFirst("\"ts\":\"[^\"]*\"", "\"ts\":\"yesterday noon\""),
            };
            RejectReason[] why = {RejectReason.INVALID_JSON, RejectReason.MISSING_FIELD, RejectReason.WRONG_TYPE,
                RejectReason.UNPARSEABLE_TIME};
            int k = (i / 3) % bad.length;
            badByValue.put(bad[k], why[k]);
            sent.merge(why[k], 1, Integer::sum);
            p.send(new ProducerRecord<>(cfg.topics().events(), dev, bad[k].getBytes(StandardCharsets.UTF_8)));
          }
        }
        p.flush();
      }
      phase("produced", t0);
      int badCount = sent.values().stream().mapToInt(Integer::intValue).sum();
      StreamMetrics metrics = new StreamMetrics();
      try (ScoreCollector out = new ScoreCollector(broker.bootstrapServers(), cfg.topics().scores());
          Detector d = new Detector(cfg, new ReloadingModelProvider(model), metrics).start()) {
        assertTrue(out.awaitRecords(events.size(), Duration.ofSeconds(120)), "scored " + out.records());
        phase("scored", t0);
        List<DeadLetter> dead = readDeadLetters(broker.bootstrapServers(), cfg.topics().deadLetters(), badCount);
        Thread.sleep(500);
        assertEquals(events.size(), out.records(), "exactly one score per clean event");
        Map<String, Float> offline = OfflineScores.of(model, events);
        for (Map.Entry<String, List<JamRiskScore>> e : out.byEventId().entrySet()) {
          assertEquals(1, e.getValue().size(), e.getKey());
          assertEquals(Float.floatToRawIntBits(offline.get(e.getKey())),
              Float.floatToRawIntBits(e.getValue().get(0).getScore()), e.getKey() + ": the bad records touched no state");
        }
        Map<RejectReason, Integer> got = new EnumMap<>(RejectReason.class);
        for (DeadLetter dl : dead) {
          byte[] value = bytes(dl.getValue());
          RejectReason expected = badByValue.get(new String(value, StandardCharsets.UTF_8));
          assertEquals(expected.name(), dl.getReason(), dl.getMessage());
          got.merge(expected, 1, Integer::sum);
        }
        assertEquals(sent, got, "one dead letter per bad record, by reason");
        assertEquals(KafkaStreams.State.RUNNING, d.state(), "the stream kept running (" + broker.kind() + ")");
        phase("checked", t0);
      }
      phase("detector closed", t0);
    }
  }

  private static void phase(String what, long t0) {
    System.err.printf("JsonInputOnBrokerIT: %s after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static List<DeadLetter> readDeadLetters(String bootstrap, String topic, int n) throws InterruptedException {
    AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.getClassSchema());
    List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (out.size() < n && System.nanoTime() < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(serde.decode(r.value()));
        }
      }
      // anything beyond the expected count would show up now
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(1000))) {
        out.add(serde.decode(r.value()));
      }
    }
    assertEquals(n, out.size(), "dead letters committed");
    return out;
  }
}
