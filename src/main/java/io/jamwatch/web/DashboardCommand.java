package io.jamwatch.web;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch dashboard}: the alerting dashboard as its own process against any broker. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = "Serve the live alerting dashboard (read-only) from the jam-risk and jam-alerts topics.")
public final class DashboardCommand implements Callable<Integer> {

  private static final DashboardConfig D = DashboardConfig.defaults();

  @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only).")
  String bind;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--group", defaultValue = "", description = "Consumer group (default: a fresh one per process).")
  String group;

  @Option(names = "--risk-topic", defaultValue = "jam-risk", description = "JamRiskScore topic (default: ${DEFAULT-VALUE}).")
  String riskTopic;

  @Option(names = "--alerts-topic", defaultValue = "jam-alerts", description = "JamAlert topic (default: ${DEFAULT-VALUE}).")
  String alertsTopic;

  @Option(names = "--events-topic", defaultValue = "scanner-events",
      description = "ScannerEvent topic for readings in a device's history; empty to skip (default: ${DEFAULT-VALUE}).")
  String eventsTopic;

  @Option(names = "--history-minutes", defaultValue = "60", description = "History kept per device, minutes (default: ${DEFAULT-VALUE}).")
  int historyMinutes;

  @Option(names = "--broker-wait", defaultValue = "60",
      description = "Seconds to wait for a Kafka broker to answer before giving up with exit code 2; 0 = wait for ever (default: ${DEFAULT-VALUE}).")
  long brokerWaitSeconds;

  @Override
  public Integer call() throws Exception {
    java.util.Properties check = new java.util.Properties();
    check.put("bootstrap.servers", bootstrap);
    Integer unreachable = io.jamwatch.stream.BrokerCheck.gate("dashboard", check, brokerWaitSeconds);
    if (unreachable != null) {
      return unreachable;
    }
    DashboardConfig config = D.withBootstrap(bootstrap)
        .withServer(bind, port)
        .withGroupId(group)
        .withTopics(riskTopic, alertsTopic, eventsTopic)
        .withHistory(Duration.ofMinutes(historyMinutes), D.maxPointsPerSeries());
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM exits once shutdown hooks return: the hook waits until the consumer has left its group.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        closed.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "dashboard-shutdown"));
    try (Dashboard dashboard = Dashboard.start(config)) {
      System.err.println("jamwatch dashboard on " + dashboard.uri() + " reading " + bootstrap + " (Ctrl-C to stop)");
      stop.await();
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
