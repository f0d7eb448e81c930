package io.jamwatch.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for the integration tests: Testcontainers Kafka (apache/kafka) where Docker
 * is present, else the in-JVM KRaft broker of {@link EmbeddedBroker}. Same tests either way.
 */
final class TestBroker implements AutoCloseable {
  private final EmbeddedBroker embedded;
  private final KafkaContainer container;

  private TestBroker(EmbeddedBroker embedded, KafkaContainer container) {
    this.embedded = embedded;
    this.container = container;
  }

  static TestBroker start() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (docker) {
      KafkaContainer c = new KafkaContainer("apache/kafka:4.1.0");
      c.start();
      return new TestBroker(null, c);
    }
    return new TestBroker(EmbeddedBroker.start(), null);
  }

  String bootstrapServers() {
    return embedded != null ? embedded.bootstrapServers() : container.getBootstrapServers();
  }

  String kind() {
    return embedded != null ? "in-JVM KRaft" : "Testcontainers";
  }

  void createTopics(List<String> names, int partitions) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      // record timestamps are event times months in the past: no time-based retention
      admin.createTopics(names.stream()
          .map(n -> new NewTopic(n, partitions, (short) 1).configs(Map.of("retention.ms", "-1")))
          .toList()).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create " + names, e.getCause());
    }
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    } else {
      container.stop();
    }
  }
}
