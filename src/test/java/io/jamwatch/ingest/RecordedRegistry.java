package io.jamwatch.ingest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HttpServer answering {@code GET /schemas/ids/{id}} with the responses documented for the
 * Confluent Schema Registry API (and served by Apicurio Registry's ccompat API): 200 with {@code
 * {"schema": "<schema JSON as a string>"}}, 404 with {@code {"error_code": 40403, "message":
 * "Schema <id> not found"}}, 401 without the expected credentials. Stands in for a real registry,
 * which cannot run on this machine (see the README's registry section). Public: the stream tests
 * use it too.
 */
public final class RecordedRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int failWith = 0;

  public RecordedRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      requests.incrementAndGet();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      String path = ex.getRequestURI().getPath();
      int status;
      String body;
      String prefix = "/schemas/ids/";
      if (failWith != 0) {
        status = failWith;
        body = "{\"error_code\": " + failWith + "01, \"message\": \"Internal Server Error\"}";
      } else if (!ex.getRequestMethod().equals("GET") || !path.startsWith(prefix)) {
        status = 404;
        body = "{\"error_code\": 404, \"message\": \"HTTP 404 Not Found\"}";
      } else {
        String schema = null;
        String idText = path.substring(prefix.length());
        try {
          schema = schemas.get(Integer.parseInt(idText));
        } catch (NumberFormatException e) {
          // falls through to 404
        }
        if (schema == null) {
          status = 404;
          body = "{\"error_code\": 40403, \"message\": \"Schema " + idText + " not found\"}";
        } else {
          status = 200;
          body = "{\"schema\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(schema) + "}";
        }
      }
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
  }

  public RecordedRegistry register(int id, String schemaJson) {
    schemas.put(id, schemaJson);
    return this;
  }

  /** Every request answers this HTTP status (e.g. 503) until set back to 0. */
  public void failWith(int status) {
    failWith = status;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int requests() {
    return requests.get();
  }

  public List<String> authorizations() {
    return authorizations;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
