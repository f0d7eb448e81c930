package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate {@code java -jar target/jamwatch.jar run} JVM is killed with SIGKILL at least three
 * times while 100,000 events are being replayed into it; afterwards the read_committed output has
 * exactly one score per event and equals, bit for bit, the output of an uninterrupted run.
 */
class CrashRecoveryIT {
  private static final int DEVICES_PER_LINE = 10;
  private static final int LINES = 5;
  private static final int PER_DEVICE = 2_000; // 5 * 10 * 2000 = 100,000 events
  private static final int KILLS = 3;

  @TempDir Path dir;

  private Path writeConfig(String name, String bootstrap, String app, Path model, String suffix)
      throws IOException {
    Path f = dir.resolve(name + ".properties");
    Files.writeString(
        f,
        String.join(
            "\n",
            "kafka.bootstrap.servers=" + bootstrap,
            "kafka.application.id=" + app,
            "kafka.state.dir=" + dir.resolve("state-" + name),
            // the killed member's partitions move to its successor after the session timeout
            "kafka.session.timeout.ms=6000",
            "kafka.heartbeat.interval.ms=1000",
            "model.path=" + model,
            "topic.scores=jam-risk" + suffix,
            "topic.alerts=jam-alerts" + suffix,
            "topic.dlq=scanner-events-dlq" + suffix,
            "http.port=0",
            ""));
    return f;
  }

  private final List<Process> started = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void killLeftovers() {
    for (Process p : started) {
      p.destroyForcibly();
    }
  }

  private Process run(Path config, Path log) throws IOException {
    Path jar = Path.of("target", "jamwatch.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "build the jar first (mvn package): " + jar);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-Xss16m", "-Xmx1g", "-jar", jar.toString(), "run", "--config", config.toString(), "--model-poll", "0")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    started.add(p);
    return p;
  }

  private static void stopGracefully(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run did not stop on SIGTERM");
    assertEquals(0, p.exitValue(), "clean exit on SIGTERM");
  }

  private static Map<String, Long> deadLetterReasons(String bootstrap, String topic) {
    Map<String, Object> p = Map.of(
        org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Long> out = new java.util.TreeMap<>();
    try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], io.jamwatch.avro.DeadLetter>(
        p, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new AvroSerde<io.jamwatch.avro.DeadLetter>(io.jamwatch.avro.DeadLetter.getClassSchema()).deserializer())) {
      var tps = c.partitionsFor(topic).stream()
          .map(pi -> new org.apache.kafka.common.TopicPartition(topic, pi.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      for (int i = 0; i < 20; i++) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          out.merge(r.value().getReason(), 1L, Long::sum);
        }
      }
    }
    return out;
  }

  @Test
  void killedRunJvmRecoversToTheUninterruptedOutputBitForBit() throws Exception {
    Path model = TestModels.random(dir, "m.onnx", CellType.GRU, false, 17);
    List<ScannerEvent> events = TestEvents.lines(LINES, DEVICES_PER_LINE, PER_DEVICE, 1_000, 23);
    Path log = Path.of("target", "CrashRecoveryIT-run.log").toAbsolutePath();
    Files.deleteIfExists(log);
    try (TestBroker broker = TestBroker.start()) {
      String bs = broker.bootstrapServers();
      broker.createTopics(
          List.of("scanner-events", "jam-risk-c", "jam-alerts-c", "scanner-events-dlq-c",
              "jam-risk-r", "jam-alerts-r", "scanner-events-dlq-r"), 4);
      Path crashCfg = writeConfig("crash", bs, "crash", model, "-c");
      Path refCfg = writeConfig("ref", bs, "ref", model, "-r");

      // Replay paced so the stream is mid-flight at every kill: ~4,000 events/s for ~25 s.
      Thread replay =
          new Thread(
              () -> {
                try (KafkaProducer<String, ScannerEvent> p = EventReplayer.producer(bs, Map.of())) {
                  new EventReplayer(p, "scanner-events")
                      .replay(events.iterator(), new EventReplayer.Speed(80), false, n -> {});
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "replay");
      List<Long> killedAt = new ArrayList<>();
      try (ScoreCollector crashed = new ScoreCollector(bs, "jam-risk-c")) {
        replay.start();
        Process p = run(crashCfg, log);
        for (int k = 0; k < KILLS; k++) {
          long before = crashed.records();
          // let this JVM commit some progress, then pull the plug mid-stream
          assertTrue(crashed.awaitRecords(before + 5_000, Duration.ofSeconds(90)),
              "no progress before kill " + k + " (" + crashed.records() + " scores), see " + log);
          System.err.printf("kill %d at %d committed scores%n", k, crashed.records());
          p.destroyForcibly(); // SIGKILL
          p.waitFor();
          killedAt.add(crashed.records());
          p = run(crashCfg, log);
        }
        replay.join();
        for (int i = 0; i < 60 && crashed.records() < events.size(); i++) {
          Thread.sleep(5_000);
          System.err.printf("after the kills: %d committed scores%n", crashed.records());
        }
        assertEquals(events.size(), crashed.records(),
            "after the kills; dead letters: " + deadLetterReasons(bs, "scanner-events-dlq-c") + "; see " + log);
        stopGracefully(p);
        Thread.sleep(1_000);
        for (long at : killedAt) {
          assertTrue(at < events.size(), "kill during the replay, at " + at);
        }
        assertEquals(events.size(), crashed.records(), "exactly one score per input event");
        assertEquals(events.size(), crashed.byEventId().size());

        try (ScoreCollector reference = new ScoreCollector(bs, "jam-risk-r")) {
          Process r = run(refCfg, log);
          assertTrue(reference.awaitRecords(events.size(), Duration.ofSeconds(120)),
              "uninterrupted run: " + reference.records());
          stopGracefully(r);
          assertEquals(events.size(), reference.records());
          for (Map.Entry<String, List<JamRiskScore>> e : reference.byEventId().entrySet()) {
            List<JamRiskScore> c = crashed.byEventId().get(e.getKey());
            assertEquals(1, c.size(), e.getKey());
            assertEquals(e.getValue().get(0), c.get(0), "score record of " + e.getKey());
            assertEquals(
                Float.floatToRawIntBits(e.getValue().get(0).getScore()),
                Float.floatToRawIntBits(c.get(0).getScore()));
          }
        }
      }
    }
  }
}
