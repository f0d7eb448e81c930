package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector against a real broker (in-JVM KRaft, or Testcontainers where Docker is present). */
class DetectorOnBrokerIT {
  @TempDir Path dir;

  @Test
  void scoresEveryEventOnceUnderExactlyOnceAndDeadLettersGarbage() throws Exception {
    Path model = TestModels.random(dir, "m.onnx", CellType.GRU, false, 3);
    List<ScannerEvent> events = TestEvents.lines(2, 4, 250, 500, 9);
    try (TestBroker broker = TestBroker.start()) {
      StreamConfig cfg =
          StreamConfig.defaults()
              .withModelPath(model)
              .withKafka(
                  Map.of(
                      "bootstrap.servers", broker.bootstrapServers(),
                      "application.id", "it-" + System.nanoTime(),
                      "state.dir", dir.resolve("state").toString()));
      broker.createTopics(JamwatchTopics.of(cfg.topics()).names(), 4);
      try (KafkaProducer<String, ScannerEvent> p =
          EventReplayer.producer(broker.bootstrapServers(), Map.of())) {
        new EventReplayer(p, cfg.topics().events())
            .replay(events.iterator(), EventReplayer.Speed.MAX, false, n -> {});
      }
      try (KafkaProducer<String, byte[]> raw =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(), new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(cfg.topics().events(), "L00-S00", "garbage".getBytes(StandardCharsets.UTF_8))).get();
      }
      StreamMetrics metrics = new StreamMetrics();
      try (ScoreCollector out = new ScoreCollector(broker.bootstrapServers(), cfg.topics().scores());
          Detector d = new Detector(cfg, new ReloadingModelProvider(model), metrics).start()) {
        assertTrue(out.awaitRecords(events.size(), Duration.ofSeconds(90)), "scored " + out.records());
        Thread.sleep(500); // anything beyond the expected count would show up now
        assertEquals(events.size(), out.records(), "exactly one score per event");
        Map<String, Float> offline = OfflineScores.of(model, events);
        for (Map.Entry<String, List<JamRiskScore>> e : out.byEventId().entrySet()) {
          assertEquals(1, e.getValue().size(), e.getKey());
          assertEquals(
              Float.floatToRawIntBits(offline.get(e.getKey())),
              Float.floatToRawIntBits(e.getValue().get(0).getScore()), e.getKey());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (metrics.deadLetters(RejectReason.BAD_HEADER) < 1 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(1.0, metrics.deadLetters(RejectReason.BAD_HEADER), "garbage dead-lettered");
        assertEquals(KafkaStreams.State.RUNNING, d.state(), "the stream kept running (" + broker.kind() + ")");
      }
    }
  }
}
