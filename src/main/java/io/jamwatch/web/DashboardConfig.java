package io.jamwatch.web;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the dashboard process needs: where to read (broker, topics, consumer group), what to
 * keep in memory (history window and bounds) and where to serve (bind address, port).
 *
 * @param bootstrap Kafka bootstrap servers, HOST:PORT[,HOST:PORT...]
 * @param bind address the HTTP server binds; loopback by default so nothing is exposed by accident
 * @param port HTTP port (0 picks a free one, for tests)
 * @param groupId consumer group; empty means a fresh group per process, because every dashboard
 *     must read every partition (two dashboards in one group would each see half the devices)
 * @param riskTopic topic of JamRiskScore records
 * @param alertsTopic topic of JamAlert records (read from the beginning: it is small, and an
 *     alert raised long ago may still be open)
 * @param eventsTopic topic of ScannerEvent records for the readings in a device's history; empty
 *     means readings are not shown
 * @param history how much history each device keeps, counted back from its newest event time
 * @param maxPointsPerSeries bound of one series (risk or one reading) of one device; points closer
 *     than history / maxPointsPerSeries are merged (the maximum for risk, the latest for readings)
 * @param maxClearedAlerts how many recently cleared alerts are kept
 * @param maxDevices devices beyond this are not tracked (and counted), to bound memory
 * @param backfillRecords when a partition holds nothing within the history window by record
 *     timestamp (e.g. a replay of an old log), the last this-many records per partition are read
 * @param maxStreamClients concurrent server-sent-event clients; more get 503
 */
public record DashboardConfig(
    String bootstrap,
    String bind,
    int port,
    String groupId,
    String riskTopic,
    String alertsTopic,
    String eventsTopic,
    Duration history,
    int maxPointsPerSeries,
    int maxClearedAlerts,
    int maxDevices,
    long backfillRecords,
    int maxStreamClients) {

  public DashboardConfig {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(eventsTopic, "eventsTopic");
    Objects.requireNonNull(history, "history");
    if (bootstrap.isBlank()) throw new IllegalArgumentException("bootstrap must name HOST:PORT");
    if (bind.isBlank()) throw new IllegalArgumentException("bind must be an address, e.g. 127.0.0.1");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
    if (riskTopic == null || riskTopic.isBlank()) throw new IllegalArgumentException("riskTopic must be set");
    if (alertsTopic == null || alertsTopic.isBlank()) throw new IllegalArgumentException("alertsTopic must be set");
    if (history.isNegative() || history.isZero()) throw new IllegalArgumentException("history must be > 0, got " + history);
    if (maxPointsPerSeries < 2) throw new IllegalArgumentException("maxPointsPerSeries must be >= 2, got " + maxPointsPerSeries);
    if (maxClearedAlerts < 0) throw new IllegalArgumentException("maxClearedAlerts must be >= 0, got " + maxClearedAlerts);
    if (maxDevices < 1) throw new IllegalArgumentException("maxDevices must be >= 1, got " + maxDevices);
    if (backfillRecords < 0) throw new IllegalArgumentException("backfillRecords must be >= 0, got " + backfillRecords);
    if (maxStreamClients < 1) throw new IllegalArgumentException("maxStreamClients must be >= 1, got " + maxStreamClients);
  }

  public static DashboardConfig defaults() {
    return new DashboardConfig(
        "localhost:9092", "127.0.0.1", 8080, "", "jam-risk", "jam-alerts", "scanner-events",
        Duration.ofHours(1), 720, 50, 10_000, 20_000, 16);
  }

  /** Width of one history bucket: points closer than this in event time are merged. */
  public long bucketMillis() {
    return Math.max(1, history.toMillis() / maxPointsPerSeries);
  }

  public DashboardConfig withBootstrap(String b) {
    return new DashboardConfig(b, bind, port, groupId, riskTopic, alertsTopic, eventsTopic, history,
        maxPointsPerSeries, maxClearedAlerts, maxDevices, backfillRecords, maxStreamClients);
  }

  public DashboardConfig withServer(String newBind, int newPort) {
    return new DashboardConfig(bootstrap, newBind, newPort, groupId, riskTopic, alertsTopic, eventsTopic,
        history, maxPointsPerSeries, maxClearedAlerts, maxDevices, backfillRecords, maxStreamClients);
  }

  public DashboardConfig withTopics(String risk, String alerts, String events) {
    return new DashboardConfig(bootstrap, bind, port, groupId, risk, alerts, events, history,
        maxPointsPerSeries, maxClearedAlerts, maxDevices, backfillRecords, maxStreamClients);
  }

  public DashboardConfig withGroupId(String g) {
    return new DashboardConfig(bootstrap, bind, port, g, riskTopic, alertsTopic, eventsTopic, history,
        maxPointsPerSeries, maxClearedAlerts, maxDevices, backfillRecords, maxStreamClients);
  }

  public DashboardConfig withHistory(Duration h, int maxPoints) {
    return new DashboardConfig(bootstrap, bind, port, groupId, riskTopic, alertsTopic, eventsTopic, h,
        maxPoints, maxClearedAlerts, maxDevices, backfillRecords, maxStreamClients);
  }

  public DashboardConfig withLimits(int clearedAlerts, int devices) {
    return new DashboardConfig(bootstrap, bind, port, groupId, riskTopic, alertsTopic, eventsTopic, history,
        maxPointsPerSeries, clearedAlerts, devices, backfillRecords, maxStreamClients);
  }
}
