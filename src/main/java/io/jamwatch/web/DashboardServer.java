package io.jamwatch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard page and its read-only JSON endpoints with the JDK's built-in HTTP server
 * (no servlet container, no front-end build: the page is three static files in the jar).
 *
 * <pre>
 * GET /                          the page (index.html, app.js, app.css, favicon.svg)
 * GET /api/lines                 every line with its device tiles
 * GET /api/devices               every device tile
 * GET /api/devices/{id}/history  one device: risk, readings and alert spans over the window
 * GET /api/alerts                open and recently cleared alerts
 * GET /api/status                counters
 * GET /api/detector              the in-process detector's status (demo), else 204
 * GET /api/stream                server-sent events: a "snapshot" (lines + alerts) on change
 * GET /status, /metrics          only when added with serve(...) (the demo adds the detector's)
 * </pre>
 *
 * Every other method is answered 405: nothing here changes anything. Live updates follow the
 * WHATWG HTML "Server-sent events" section (text/event-stream; the browser's EventSource
 * reconnects by itself).
 */
public final class DashboardServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final long MIN_PUSH_INTERVAL_MILLIS = 250;
  private static final long KEEPALIVE_MILLIS = 15_000;
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css",
      "/favicon.svg", "favicon.svg");

  private final DashboardView view;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, byte[]> assets = new LinkedHashMap<>();
  private final AtomicInteger streamClients = new AtomicInteger();
  private final Map<String, TextRoute> extra = new java.util.concurrent.ConcurrentHashMap<>();
  private final int maxStreamClients;
  private volatile boolean closed;
  private volatile Supplier<String> detector;

  private DashboardServer(DashboardView view, HttpServer server, ExecutorService executor, int maxStreamClients) {
    this.view = view;
    this.server = server;
    this.executor = executor;
    this.maxStreamClients = maxStreamClients;
    for (String name : STATIC.values()) assets.computeIfAbsent(name, DashboardServer::resource);
  }

  /** Binds {@code bind:port} (port 0: any free port) and starts serving. */
  public static DashboardServer start(DashboardView view, String bind, int port, int maxStreamClients) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(bind, port), 64);
    AtomicInteger n = new AtomicInteger();
    // Each live-stream client holds a thread; the rest of the pool serves plain requests.
    ExecutorService pool = Executors.newFixedThreadPool(maxStreamClients + 4, r -> {
      Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    DashboardServer s = new DashboardServer(view, http, pool, maxStreamClients);
    http.createContext("/", s::handle);
    http.setExecutor(pool);
    http.start();
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Serves {@code body} (read-only, GET) at {@code path} beside the dashboard's own routes, e.g. the
   * detector's {@code /metrics} and {@code /status} when the demo runs both in one process.
   */
  public DashboardServer serve(String path, String contentType, Supplier<String> body) {
    if (STATIC.containsKey(path) || path.startsWith("/api/")) {
      throw new IllegalArgumentException("path " + path + " belongs to the dashboard");
    }
    extra.put(path, new TextRoute(contentType, body));
    return this;
  }

  /**
   * A JSON summary of a detector running in the same process, shown in the page header and served
   * at {@code /api/detector} (204 while none is set).
   */
  public DashboardServer detectorStatus(Supplier<String> json) {
    this.detector = json;
    return this;
  }

  private record TextRoute(String contentType, Supplier<String> body) {}

  public URI uri() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + "/");
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "GET");
        send(ex, 405, "text/plain; charset=utf-8", "read-only: only GET is allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      String asset = STATIC.get(path);
      TextRoute text = extra.get(path);
      if (asset != null) {
        send(ex, 200, contentType(asset), assets.get(asset));
      } else if (text != null) {
        send(ex, 200, text.contentType(), text.body().get().getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/api/lines")) {
        sendJson(ex, 200, view.lines());
      } else if (path.equals("/api/devices")) {
        sendJson(ex, 200, view.devices());
      } else if (path.equals("/api/alerts")) {
        sendJson(ex, 200, view.alerts());
      } else if (path.equals("/api/status")) {
        sendJson(ex, 200, view.status());
      } else if (path.equals("/api/detector")) {
        Supplier<String> d = detector;
        if (d == null) send(ex, 204, "application/json; charset=utf-8", new byte[0]);
        else send(ex, 200, "application/json; charset=utf-8", d.get().getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/api/stream")) {
        stream(ex);
      } else if (path.startsWith("/api/devices/") && path.endsWith("/history")) {
        String raw = path.substring("/api/devices/".length(), path.length() - "/history".length());
        String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        Optional<DashboardView.History> h = view.history(id);
        if (h.isPresent()) sendJson(ex, 200, h.get());
        else sendJson(ex, 404, Map.of("error", "no device '" + id + "' seen"));
      } else {
        sendJson(ex, 404, Map.of("error", "no such resource: " + path));
      }
    } catch (IOException e) {
      // The client went away mid-response: nothing to repair, nothing lost.
      LOG.debug("client connection ended: {}", e.toString());
    }
  }

  /** Server-sent events: the full snapshot whenever the view changed, at most 4 per second. */
  private void stream(HttpExchange ex) throws IOException {
    if (streamClients.incrementAndGet() > maxStreamClients) {
      streamClients.decrementAndGet();
      sendJson(ex, 503, Map.of("error", "too many live clients (max " + maxStreamClients + ")"));
      return;
    }
    try {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      securityHeaders(ex);
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long seen = -1;
      long lastWrite = System.currentTimeMillis();
      while (!closed) {
        long v = view.awaitChange(seen, 1000);
        long now = System.currentTimeMillis();
        if (v != seen) {
          byte[] data = json.writeValueAsBytes(new Snapshot(v, view.lines(), view.alerts()));
          out.write("event: snapshot\ndata: ".getBytes(StandardCharsets.UTF_8));
          out.write(data);
          out.write("\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          seen = v;
          lastWrite = now;
          Thread.sleep(MIN_PUSH_INTERVAL_MILLIS);
        } else if (now - lastWrite >= KEEPALIVE_MILLIS) {
          out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          lastWrite = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streamClients.decrementAndGet();
    }
  }

  /** What the live stream pushes: the strips and the alert lists at one version of the view. */
  public record Snapshot(long version, java.util.List<DashboardView.LineView> lines, DashboardView.Alerts alerts) {}

  private void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
    send(ex, status, "application/json; charset=utf-8", bytes);
  }

  private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    securityHeaders(ex);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) ex.getResponseBody().write(body);
  }

  private static void securityHeaders(HttpExchange ex) {
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'");
  }

  private static String contentType(String asset) {
    if (asset.endsWith(".html")) return "text/html; charset=utf-8";
    if (asset.endsWith(".js")) return "text/javascript; charset=utf-8";
    if (asset.endsWith(".svg")) return "image/svg+xml";
    return "text/css; charset=utf-8";
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardServer.class.getResourceAsStream("/web/" + name)) {
      if (in == null) throw new IllegalStateException("dashboard asset /web/" + name + " missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard asset /web/" + name, e);
    }
  }
}
