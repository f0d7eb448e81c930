package io.jamwatch.stream;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for the integration tests: a Testcontainers {@link KafkaContainer} of
 * {@link #IMAGE} where a Docker engine runs and has that image, else the in-JVM KRaft broker of
 * {@link EmbeddedBroker}. Same tests either way.
 *
 * <p>Which one is chosen by {@code -Djamwatch.test.broker=} (or the environment variable {@code
 * JAMWATCH_TEST_BROKER}): {@code auto} (default) takes the container when it can and otherwise says
 * why in one line and falls back at once; {@code container} insists on it (fails when the engine or
 * the image is missing); {@code embedded} never touches Docker. The image is never pulled: with no
 * registry reachable a pull only waits (minutes) before failing; {@code docker/build-local-images.sh}
 * builds it here, {@code docker pull} fetches the official one where a registry is reachable.
 */
final class TestBroker implements AutoCloseable {
  /** The official image of the Kafka version the project builds with (same tag as docker/compose.yaml). */
  static final String IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

  private static final String MODE_PROPERTY = "jamwatch.test.broker";
  private static String containerUnavailable; // why auto mode fell back (said once per JVM)
  private static boolean said;

  private final EmbeddedBroker embedded;
  private final KafkaContainer container;

  private TestBroker(EmbeddedBroker embedded, KafkaContainer container) {
    this.embedded = embedded;
    this.container = container;
  }

  static String mode() {
    String m = System.getProperty(MODE_PROPERTY);
    if (m == null || m.isBlank()) m = System.getenv("JAMWATCH_TEST_BROKER");
    m = m == null || m.isBlank() ? "auto" : m.trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "container", "embedded").contains(m)) {
      throw new IllegalArgumentException(MODE_PROPERTY + " must be auto, container or embedded: " + m);
    }
    return m;
  }

  static TestBroker start() {
    String mode = mode();
    if (!mode.equals("embedded")) {
      String why = whyNoContainer();
      if (why == null) {
        KafkaContainer c = new KafkaContainer(IMAGE);
        c.start();
        System.err.println("TestBroker: Kafka container " + IMAGE + " (" + c.getContainerId().substring(0, 12) + ")");
        return new TestBroker(null, c);
      }
      if (mode.equals("container")) {
        throw new IllegalStateException(MODE_PROPERTY + "=container, but " + why);
      }
      synchronized (TestBroker.class) {
        if (!said) {
          System.err.println("TestBroker: " + why + ": using the in-JVM KRaft broker");
          said = true;
        }
      }
    }
    return new TestBroker(EmbeddedBroker.start(), null);
  }

  /** Null when a container of {@link #IMAGE} can be started now, else the reason it cannot. */
  private static synchronized String whyNoContainer() {
    if (containerUnavailable != null) return containerUnavailable.isEmpty() ? null : containerUnavailable;
    String why;
    try {
      pinDockerApiVersion();
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        why = "no Docker engine";
      } else {
        try {
          DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
          why = null;
        } catch (RuntimeException e) { // NotFoundException: never pull (no registry may be reachable)
          why = "Docker engine present but no image " + IMAGE + " (docker/build-local-images.sh builds it)";
        }
      }
    } catch (RuntimeException | LinkageError e) {
      why = "no usable Docker engine (" + e + ")";
    }
    containerUnavailable = why == null ? "" : why;
    return why;
  }

  /**
   * Testcontainers 2 speaks Docker API 1.44 unless told otherwise; an older engine (Debian's
   * docker.io 20.10 speaks 1.41) refuses that. Ask the engine on its unix socket ({@code DOCKER_HOST}
   * or the default) which version it speaks (the unversioned {@code GET /version}) and use the lower
   * of the two, unless {@code -Dapi.version} was given.
   */
  private static void pinDockerApiVersion() {
    if (System.getProperty("api.version") != null) return;
    String host = System.getenv("DOCKER_HOST");
    if (host != null && !host.startsWith("unix://")) return;
    Path socket = Path.of(host != null ? host.substring("unix://".length()) : "/var/run/docker.sock");
    if (!Files.exists(socket)) return;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap("GET /version HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read the whole (small) answer; HTTP/1.0: the engine closes after it
      }
      String answer = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("\"ApiVersion\"\\s*:\\s*\"(\\d+)\\.(\\d+)\"").matcher(answer);
      if (m.find()) {
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major == 1 && minor < 44) System.setProperty("api.version", "1." + minor);
      }
    } catch (IOException e) {
      // no engine behind the socket: DockerClientFactory will say so
    }
  }

  String bootstrapServers() {
    return embedded != null ? embedded.bootstrapServers() : container.getBootstrapServers();
  }

  String kind() {
    return embedded != null ? "in-JVM KRaft" : "Testcontainers " + IMAGE;
  }

  void createTopics(List<String> names, int partitions) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      // record timestamps are event times months in the past: no time-based retention
      admin.createTopics(names.stream()
          .map(n -> new NewTopic(n, partitions, (short) 1).configs(Map.of("retention.ms", "-1")))
          .toList()).all().get();
      awaitPartitionsOnline(admin, names, partitions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create " + names, e.getCause());
    }
  }

  /**
   * Waits until every partition's leader serves it: a created topic's partitions can answer
   * NOT_LEADER_OR_FOLLOWER for a while (seen on the container broker under load, where a producer
   * then spent its whole delivery timeout retrying). A ListOffsets request needs the leader to have
   * the partition online, so its success is the readiness signal.
   */
  private static void awaitPartitionsOnline(Admin admin, List<String> names, int partitions)
      throws InterruptedException {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all = new java.util.HashMap<>();
    for (String n : names) {
      for (int p = 0; p < partitions; p++) {
        all.put(new org.apache.kafka.common.TopicPartition(n, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
    ExecutionException last = null;
    while (System.nanoTime() < deadline) {
      try {
        admin.listOffsets(all).all().get();
        return;
      } catch (ExecutionException e) {
        last = e;
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException("partitions of " + names + " not online after 180 s",
        last == null ? null : last.getCause());
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
