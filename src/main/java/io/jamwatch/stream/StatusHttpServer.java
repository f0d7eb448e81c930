package io.jamwatch.stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The detector's small HTTP face on loopback (JDK HttpServer, no framework): {@code /metrics}
 * (Prometheus text), {@code /status} (JSON summary) and {@code /} (a minimal status page). Open
 * for extension: the dashboard adds its own routes with {@link #route(String, HttpHandler)}.
 */
public class StatusHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Supplier<DetectorStatus> status;

  public StatusHttpServer(String host, int port, StreamMetrics metrics, Supplier<DetectorStatus> status)
      throws IOException {
    this.status = status;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "jamwatch-http");
      t.setDaemon(true);
      return t;
    }));
    route("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    route("/status", ex -> send(ex, 200, "application/json", status.get().toJson()));
    route("/", this::index);
  }

  /** Adds (or replaces) a route. */
  public final void route(String path, HttpHandler handler) {
    try {
      server.removeContext(path);
    } catch (IllegalArgumentException absent) {
      // nothing registered there yet
    }
    server.createContext(path, handler);
  }

  public StatusHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The minimal status page; the dashboard replaces it. */
  protected void index(HttpExchange ex) throws IOException {
    if (!ex.getRequestURI().getPath().equals("/")) {
      send(ex, 404, "text/plain", "not found\n");
      return;
    }
    DetectorStatus s = status.get();
    String html =
        "<!doctype html><html><head><meta charset=utf-8><meta http-equiv=refresh content=2>"
            + "<title>jamwatch</title></head><body style='font-family:sans-serif'>"
            + "<h1>jamwatch</h1><table>"
            + row("state", s.state())
            + row("model", s.modelId())
            + row("events/s", String.format("%.0f", s.eventsPerSecond()))
            + row("events scored", String.format("%.0f", s.eventsTotal()))
            + row("devices held", Long.toString(s.devicesHeld()))
            + row("open alerts", Long.toString(s.openAlerts()))
            + row("dead letters", String.format("%.0f", s.deadLetters()))
            + "</table><p><a href=/metrics>/metrics</a> &middot; <a href=/status>/status</a></p>"
            + "</body></html>";
    send(ex, 200, "text/html; charset=utf-8", html);
  }

  private static String row(String k, String v) {
    return "<tr><th align=left>" + k + "</th><td>" + v.replace("<", "&lt;") + "</td></tr>";
  }

  protected static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
