package io.jamwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Fetches writer schemas by id from a schema registry's REST API, {@code GET
 * {url}/schemas/ids/{id}}, answered with {@code {"schema": "<Avro schema JSON as a string>"}}
 * (Confluent Schema Registry's API; Apicurio Registry serves the same under {@code
 * /apis/ccompat/v7}). Each id is fetched once and cached for the life of the client (a schema id
 * never changes meaning). A 404 is an unknown id; anything else that is not an answer (connection
 * refused, timeout, 5xx, a body that is not a schema) is an unavailable registry, after which
 * requests fail fast for {@link RegistrySettings#retryBackoff()} so a down registry cannot stall
 * the stream one timeout per record.
 */
public final class SchemaRegistryClient {
  private final RegistrySettings settings;
  private final HttpClient http;
  private final Map<Integer, Schema> cache = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private volatile long failFastUntil;
  private volatile boolean failing;
  private volatile String lastFailure = "";
  private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

  public SchemaRegistryClient(RegistrySettings settings) {
    this(settings, System::nanoTime);
  }

  SchemaRegistryClient(RegistrySettings settings, LongSupplier nanoClock) {
    if (settings.url() == null) {
      throw new IllegalArgumentException("input.format=avro-registry needs registry.url");
    }
    this.settings = settings;
    this.clock = nanoClock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  /** HTTP requests made so far (the cache makes this one per distinct id). */
  public long requests() {
    return requests.get();
  }

  public Schema schema(int id) {
    Schema s = cache.get(id);
    if (s != null) {
      return s;
    }
    long now = clock.getAsLong();
    if (failing && now - failFastUntil < 0) {
      throw new IngestException(IngestFailure.REGISTRY_UNAVAILABLE,
          "schema registry " + settings.url() + " unavailable (" + lastFailure + "); not retried yet for schema id " + id);
    }
    s = fetch(id);
    failing = false;
    cache.putIfAbsent(id, s);
    return cache.get(id);
  }

  private Schema fetch(int id) {
    URI uri = URI.create(settings.url() + "/schemas/ids/" + id);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET()
        .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
    if (settings.basicAuthUserInfo() != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)));
    }
    if (settings.bearerToken() != null) {
      b.header("Authorization", "Bearer " + settings.bearerToken());
    }
    settings.headers().forEach(b::header);
    HttpResponse<byte[]> r;
    try {
      requests.incrementAndGet();
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw unavailable(id, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(id, "interrupted", e);
    }
    if (r.statusCode() == 404) {
      throw new IngestException(IngestFailure.UNKNOWN_REGISTRY_ID,
          "schema registry " + settings.url() + " does not know schema id " + id + errorText(r.body()));
    }
    if (r.statusCode() != 200) {
      throw unavailable(id, "HTTP " + r.statusCode() + errorText(r.body()), null);
    }
    try {
      JsonNode body = JsonEventDecoder.JSON.readTree(r.body());
      JsonNode text = body == null ? null : body.get("schema");
      if (text == null || !text.isTextual()) {
        throw unavailable(id, "answer has no \"schema\" text", null);
      }
      JsonNode type = body.get("schemaType");
      if (type != null && type.isTextual() && !type.textValue().equals("AVRO")) {
        throw new IngestException(IngestFailure.UNKNOWN_REGISTRY_ID,
            "schema id " + id + " is a " + type.textValue() + " schema, not Avro");
      }
      return new Schema.Parser().parse(text.textValue());
    } catch (IOException | SchemaParseException e) {
      throw unavailable(id, "answer is not an Avro schema: " + e.getMessage(), e);
    }
  }

  private IngestException unavailable(int id, String why, Throwable cause) {
    lastFailure = why;
    failFastUntil = clock.getAsLong() + settings.retryBackoff().toNanos();
    failing = true;
    return new IngestException(IngestFailure.REGISTRY_UNAVAILABLE,
        "schema registry " + settings.url() + " did not answer for schema id " + id + ": " + why, cause);
  }

  private static String errorText(byte[] body) {
    try {
      JsonNode n = JsonEventDecoder.JSON.readTree(body);
      JsonNode m = n == null ? null : n.get("message");
      return m == null ? "" : " (" + m.asText() + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
