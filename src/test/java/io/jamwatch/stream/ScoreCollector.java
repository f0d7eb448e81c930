package io.jamwatch.stream;

import io.jamwatch.avro.JamRiskScore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a score topic with {@code isolation.level=read_committed} on a background thread and keeps
 * every score by eventId (a list, so a doubled score is visible).
 */
final class ScoreCollector implements AutoCloseable {
  private final Map<String, List<JamRiskScore>> byEventId = new ConcurrentHashMap<>();
  private final AtomicLong records = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  ScoreCollector(String bootstrap, String topic) {
    Map<String, Object> p =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    thread =
        new Thread(
            () -> {
              try (KafkaConsumer<String, JamRiskScore> c =
                  new KafkaConsumer<>(
                      p, new StringDeserializer(),
                      new AvroSerde<JamRiskScore>(JamRiskScore.getClassSchema()).deserializer())) {
                List<TopicPartition> tps = new ArrayList<>();
                for (PartitionInfo pi : c.partitionsFor(topic)) {
                  tps.add(new TopicPartition(topic, pi.partition()));
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                while (running) {
                  for (ConsumerRecord<String, JamRiskScore> r : c.poll(Duration.ofMillis(50))) {
                    byEventId
                        .computeIfAbsent(r.value().getEventId(), k -> new ArrayList<>(1))
                        .add(r.value());
                    records.incrementAndGet();
                  }
                }
              } catch (RuntimeException e) {
                failure = e;
              }
            },
            "score-collector-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  long records() {
    if (failure != null) {
      throw failure;
    }
    return records.get();
  }

  Map<String, List<JamRiskScore>> byEventId() {
    return byEventId;
  }

  /** Waits until at least {@code n} committed records were read; false on timeout. */
  boolean awaitRecords(long n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (records() < n) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
