package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances, one application.id, 4 partitions: the devices split; one stops and the other takes
 * its devices over with their state from the changelog. Every event is scored exactly once and
 * every score equals continuous offline stepping, which it could not if a device had restarted
 * from an empty state on the surviving instance.
 */
class ScaleOutIT {
  @TempDir Path dir;

  private static void send(String bootstrap, String topic, List<ScannerEvent> events) throws InterruptedException {
    try (KafkaProducer<String, ScannerEvent> p = EventReplayer.producer(bootstrap, Map.of())) {
      new EventReplayer(p, topic).replay(events.iterator(), EventReplayer.Speed.MAX, false, n -> {});
    }
  }

  private static void awaitRunning(Detector... ds) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (Detector d : ds) {
      while (d.state() != KafkaStreams.State.RUNNING) {
        assertTrue(System.nanoTime() < end, "instance not RUNNING: " + d.state());
        Thread.sleep(50);
      }
    }
  }

  @Test
  void survivorTakesOverDevicesWithTheirStateNothingScoredTwiceOrLost() throws Exception {
    Path model = TestModels.random(dir, "m.onnx", CellType.GRU, false, 5);
    List<ScannerEvent> all = TestEvents.lines(4, 4, 400, 500, 13);
    List<ScannerEvent> first = all.subList(0, all.size() / 2);
    List<ScannerEvent> second = all.subList(all.size() / 2, all.size());
    try (TestBroker broker = TestBroker.start()) {
      String app = "scale-" + System.nanoTime();
      StreamConfig base = StreamConfig.defaults().withModelPath(model);
      broker.createTopics(JamwatchTopics.of(base.topics()).names(), 4);
      StreamConfig a = base.withKafka(Map.of(
          "bootstrap.servers", broker.bootstrapServers(), "application.id", app,
          "state.dir", dir.resolve("a").toString()));
      StreamConfig b = base.withKafka(Map.of(
          "bootstrap.servers", broker.bootstrapServers(), "application.id", app,
          "state.dir", dir.resolve("b").toString()));
      StreamMetrics ma = new StreamMetrics();
      StreamMetrics mb = new StreamMetrics();
      try (ScoreCollector out = new ScoreCollector(broker.bootstrapServers(), base.topics().scores());
          Detector da = new Detector(a, new ReloadingModelProvider(model), ma).start()) {
        Detector db = new Detector(b, new ReloadingModelProvider(model), mb).start();
        try {
          awaitRunning(da, db);
          long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          // both must own partitions before the first half goes in, so that both score devices
          while (da.streams().metadataForLocalThreads().stream().allMatch(t -> t.activeTasks().isEmpty())
              || db.streams().metadataForLocalThreads().stream().allMatch(t -> t.activeTasks().isEmpty())) {
            assertTrue(System.nanoTime() < end, "tasks not split");
            Thread.sleep(100);
          }
          send(broker.bootstrapServers(), base.topics().events(), first);
          assertTrue(out.awaitRecords(first.size(), Duration.ofSeconds(90)), "first half: " + out.records());
          assertTrue(ma.eventsTotal() > 0 && mb.eventsTotal() > 0,
              "devices split: a=" + ma.eventsTotal() + " b=" + mb.eventsTotal());
        } finally {
          db.close(); // instance b leaves; a takes its partitions and restores from the changelog
        }
        send(broker.bootstrapServers(), base.topics().events(), second);
        assertTrue(out.awaitRecords(all.size(), Duration.ofSeconds(120)), "all: " + out.records());
        Thread.sleep(500);
        assertEquals(all.size(), out.records(), "nothing scored twice");
        assertEquals(all.size(), out.byEventId().size(), "nothing lost");
        Map<String, Float> offline = OfflineScores.of(model, all);
        for (Map.Entry<String, List<JamRiskScore>> e : out.byEventId().entrySet()) {
          assertEquals(
              Float.floatToRawIntBits(offline.get(e.getKey())),
              Float.floatToRawIntBits(e.getValue().get(0).getScore()),
              "score of " + e.getKey() + " (state carried over from the changelog)");
        }
      }
    }
  }
}
