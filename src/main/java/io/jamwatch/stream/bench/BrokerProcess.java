package io.jamwatch.stream.bench;

import io.jamwatch.stream.EmbeddedBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The benchmark's broker in a process of its own: a child JVM running {@link EmbeddedBroker} (the
 * in-JVM KRaft node of the demo and the tests) from the same classpath, so that the broker's
 * threads, heap and GC are not charged to the stream thread being measured. Its logs go to {@code
 * broker.log} in the work folder. The child ends when its standard input closes (this object's
 * {@link #close()}, or the parent dying), so no broker outlives a benchmark.
 */
public final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final OutputStream lifeline;
  private final String bootstrap;
  private final Path log;

  private BrokerProcess(Process process, String bootstrap, Path log) {
    this.process = process;
    this.lifeline = process.getOutputStream();
    this.bootstrap = bootstrap;
    this.log = log;
  }

  /** Child side: start the broker, publish its address in {@code args[0]}, run until stdin closes. */
  public static void main(String[] args) throws IOException {
    Path addressFile = Path.of(args[0]);
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Path tmp = addressFile.resolveSibling(addressFile.getFileName() + ".tmp");
      Files.writeString(tmp, broker.bootstrapServers(), StandardCharsets.UTF_8);
      Files.move(tmp, addressFile, StandardCopyOption.ATOMIC_MOVE);
      while (System.in.read() >= 0) {
        // the parent never writes; EOF means it closed us or died
      }
    }
    System.exit(0);
  }

  /** Starts the child JVM ({@code -Xmx heapMb}) and waits until its broker is ready. */
  public static BrokerProcess start(Path work, int heapMb) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path address = work.resolve("broker.address");
    Files.deleteIfExists(address);
    Path log = work.resolve("broker.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xss16m", "-Xmx" + heapMb + "m",
        "-Dorg.slf4j.simpleLogger.logFile=" + log,
        "-Djava.io.tmpdir=" + work.toAbsolutePath()));
    // Per-logger levels given to this JVM (-Dorg.slf4j.simpleLogger.log.NAME=LEVEL) reach the
    // broker's log too, e.g. kafka.request.logger=debug for each request's queue, local and remote time.
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.slf4j.simpleLogger.log."))
        .sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(), address.toString()));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("broker.out").toFile()))
        .start();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!Files.exists(address)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the broker process exited with " + p.exitValue() + "; see " + log
            + " and " + work.resolve("broker.out"));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("the broker process did not start within 3 minutes; see " + log);
      }
      Thread.sleep(100);
    }
    return new BrokerProcess(p, Files.readString(address, StandardCharsets.UTF_8).trim(), log);
  }

  /** What runs against a broker. */
  public interface Use<T> {
    T with(BrokerProcess broker) throws Exception;
  }

  /**
   * Wipes {@code work}, starts a broker in {@code work/broker} (saying so on the console), runs
   * {@code use} against it and stops it.
   */
  public static <T> T around(Path work, int heapMb, java.io.PrintStream console, String what, Use<T> use) throws Exception {
    StreamHarness.deleteRecursively(work);
    Path dir = work.resolve("broker");
    console.printf("%s: starting the broker in its own JVM (log %s)%n", what, dir.resolve("broker.log"));
    try (BrokerProcess b = start(dir, heapMb)) {
      return use.with(b);
    }
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  /** CPU time the broker process has used so far (ns), or -1 where the OS does not say. */
  public long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  public void createTopics(List<String> names, int partitions) {
    EmbeddedBroker.createTopics(bootstrap, names, partitions);
  }

  /** Creates topics with {@code configs} (e.g. {@code message.timestamp.type}). */
  public void createTopics(List<String> names, int partitions, Map<String, String> configs) {
    EmbeddedBroker.createTopics(bootstrap, names, partitions, configs);
  }

  /** Deletes every topic whose name starts with {@code prefix} (a finished run's outputs and changelogs). */
  public void deleteTopicsStartingWith(String prefix) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<String> names = admin.listTopics().names().get().stream().filter(n -> n.startsWith(prefix)).toList();
      if (!names.isEmpty()) {
        admin.deleteTopics(names).all().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("cannot delete topics " + prefix + "*: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lifeline.close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
