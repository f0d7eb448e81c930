package io.jamwatch.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A one-node KRaft Kafka (combined broker + controller) inside this JVM, from Kafka's own jars, on
 * loopback: what the demo and the integration tests run against when no broker or Docker is at
 * hand. Replication factor and min ISR 1 for the offsets and transaction topics, so that
 * exactly_once_v2 works on a single node. No time-based retention (see {@link #start()}).
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private EmbeddedBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static EmbeddedBroker start() {
    try {
      KafkaClusterTestKit c =
          new KafkaClusterTestKit.Builder(
                  new TestKitNodes.Builder()
                      .setCombined(true)
                      .setNumBrokerNodes(1)
                      .setNumControllerNodes(1)
                      .build())
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "4")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("transaction.state.log.num.partitions", "4")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("auto.create.topics.enable", "false")
              // Replayed logs keep their event times as record timestamps: time-based retention
              // would delete a months-old log (and its scores) as soon as it is written.
              .setConfigProp("log.retention.ms", "-1")
              .build();
      formatQuietly(c);
      c.startup();
      c.waitForReadyBrokers();
      return new EmbeddedBroker(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /**
   * The storage formatter prints its report ("Bootstrap metadata: ...", "Formatting metadata
   * directory ...") on System.out, around the product's own console output: it goes to the log
   * instead. Swapping System.out is safe here: nothing else of jamwatch prints while the broker is
   * being formatted, before the topology starts.
   */
  private static void formatQuietly(KafkaClusterTestKit c) throws Exception {
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      c.format();
    } finally {
      System.setOut(out);
      for (String line : captured.toString(java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
        if (!line.isBlank()) {
          org.slf4j.LoggerFactory.getLogger(EmbeddedBroker.class).info("{}", line);
        }
      }
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates the detector's four topics ({@code partitions} each, replication 1) if absent. */
  public void createTopics(JamwatchTopics topics, int partitions) {
    createTopics(topics.names(), partitions);
  }

  public void createTopics(List<String> names, int partitions) {
    createTopics(bootstrapServers(), names, partitions);
  }

  /** Creates {@code names} ({@code partitions} each, replication 1, no time retention) on the broker at {@code bootstrap}, if absent. */
  public static void createTopics(String bootstrap, List<String> names, int partitions) {
    createTopics(bootstrap, names, partitions, Map.of());
  }

  /** As {@link #createTopics(String, List, int)}, with topic configs {@code configs} beside the retention. */
  public static void createTopics(String bootstrap, List<String> names, int partitions, Map<String, String> configs) {
    Map<String, String> all = new java.util.TreeMap<>(configs);
    all.putIfAbsent("retention.ms", "-1");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String n : names) {
        topics.add(new NewTopic(n, partitions, (short) 1).configs(all));
      }
      for (var f : admin.createTopics(topics).values().values()) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topics " + names + ": " + e.getCause(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("embedded Kafka broker did not shut down cleanly", e);
    }
  }
}
