package io.jamwatch.web;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A one-node in-JVM KRaft broker with the dashboard's topics, and a producer in the stream's wire format. */
final class TestBroker implements AutoCloseable {

  static final List<String> TOPICS = List.of("jam-risk", "jam-alerts", "scanner-events");

  private final KafkaClusterTestKit cluster;

  private TestBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static TestBroker start() throws Exception {
    KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
            .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "2")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "2")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    c.format();
    c.startup();
    c.waitForReadyBrokers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String t : TOPICS) topics.add(new NewTopic(t, 2, (short) 1));
      admin.createTopics(topics).all().get();
    }
    return new TestBroker(c);
  }

  String bootstrap() {
    return cluster.bootstrapServers();
  }

  /** A producer; transactional when {@code txId} is not null. */
  KafkaProducer<String, byte[]> producer(String txId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    if (txId != null) p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends {@code value} in Avro single-object encoding, record timestamp {@code ts}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void send(KafkaProducer<String, byte[]> p, String topic, String key, long ts, SpecificRecord value) {
    BinaryMessageEncoder enc = new BinaryMessageEncoder<>(SpecificData.get(), value.getSchema());
    try {
      ByteBuffer b = enc.encode(value);
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      p.send(new ProducerRecord<>(topic, null, ts, key, bytes));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
