package io.jamwatch.web;

import java.io.IOException;
import java.net.URI;

/**
 * A running dashboard: the view, the Kafka feed that fills it and the HTTP server that shows it.
 * Used by {@code jamwatch dashboard} and by {@code jamwatch demo}.
 */
public final class Dashboard implements AutoCloseable {

  private final DashboardView view;
  private final DashboardFeed feed;
  private final DashboardServer server;

  private Dashboard(DashboardView view, DashboardFeed feed, DashboardServer server) {
    this.view = view;
    this.feed = feed;
    this.server = server;
  }

  public static Dashboard start(DashboardConfig config) throws IOException {
    return start(config, null);
  }

  /**
   * With the decoder of the events topic's format (a JSON mapping, a registry); null: jamwatch
   * Avro, or JSON with jamwatch's own field names, told apart by the first byte.
   */
  public static Dashboard start(DashboardConfig config, io.jamwatch.ingest.EventDecoder events) throws IOException {
    DashboardView view = new DashboardView(config);
    DashboardServer server = DashboardServer.start(view, config.bind(), config.port(), config.maxStreamClients());
    DashboardFeed feed;
    try {
      feed = DashboardFeed.start(config, view, events);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new Dashboard(view, feed, server);
  }

  /** Adds a read-only text route (see {@link DashboardServer#serve}). */
  public Dashboard serve(String path, String contentType, java.util.function.Supplier<String> body) {
    server.serve(path, contentType, body);
    return this;
  }

  /** Shows an in-process detector's JSON status in the page header (see {@link DashboardServer#detectorStatus}). */
  public Dashboard detectorStatus(java.util.function.Supplier<String> json) {
    server.detectorStatus(json);
    return this;
  }

  public URI uri() {
    return server.uri();
  }

  public DashboardView view() {
    return view;
  }

  public DashboardFeed feed() {
    return feed;
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    feed.close();
  }
}
