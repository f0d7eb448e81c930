package io.jamwatch.web;

import static io.jamwatch.web.Records.raised;
import static io.jamwatch.web.Records.reason;
import static io.jamwatch.web.Records.risk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardServerTest {

  private static final long T0 = 1_700_000_000_000L;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private DashboardView view;
  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    view = new DashboardView(DashboardConfig.defaults());
    view.onRisk(risk("L01-S01", "L01", T0, 0.12f, false));
    view.onRisk(risk("L01-S02", "L01", T0, 0.91f, false));
    view.onRisk(risk("L02/S 1", "L02", T0, 0.40f, true));
    view.onAlert(raised("L01-S02", "L01", T0, 0.91f, List.of(reason("vibration_rms", 0.42f))));
    server = DashboardServer.start(view, "127.0.0.1", 0, 2);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsLoopbackByDefault() {
    assertEquals("127.0.0.1", DashboardConfig.defaults().bind());
    assertEquals("127.0.0.1", server.uri().getHost());
  }

  @Test
  void servesThePageAndItsAssetsFromTheJar() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertTrue(page.body().contains("<script src=\"app.js\""));
    HttpResponse<String> js = get("/app.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.body().contains("EventSource"));
    assertEquals(200, get("/app.css").statusCode());
  }

  @Test
  void listsLinesWithTheirDeviceTiles() throws Exception {
    HttpResponse<String> r = get("/api/lines");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    JsonNode lines = json.readTree(r.body());
    assertEquals(2, lines.size());
    assertEquals("L01", lines.get(0).get("lineId").asText());
    JsonNode s2 = lines.get(0).get("devices").get(1);
    assertEquals("L01-S02", s2.get("deviceId").asText());
    assertEquals(0.91, s2.get("score").asDouble(), 1e-6);
    assertTrue(s2.get("alertOpen").asBoolean());
    assertTrue(lines.get(1).get("devices").get(0).get("warming").asBoolean());
  }

  @Test
  void listsDevicesAndAlerts() throws Exception {
    JsonNode devices = json.readTree(get("/api/devices").body());
    assertEquals(3, devices.size());
    JsonNode alerts = json.readTree(get("/api/alerts").body());
    assertEquals(1, alerts.get("open").size());
    JsonNode a = alerts.get("open").get(0);
    assertEquals("L01-S02", a.get("deviceId").asText());
    assertEquals(T0, a.get("raisedAt").asLong());
    assertEquals("vibration_rms", a.get("reasons").get(0).get("group").asText());
    assertEquals(0, alerts.get("cleared").size());
  }

  @Test
  void servesOneDeviceHistoryByUrlEncodedIdAnd404ForAnUnknownOne() throws Exception {
    HttpResponse<String> r = get("/api/devices/L02%2FS%201/history");
    assertEquals(200, r.statusCode());
    JsonNode h = json.readTree(r.body());
    assertEquals("L02/S 1", h.get("device").get("deviceId").asText());
    assertEquals(T0, h.get("risk").get("t").get(0).asLong());
    assertEquals(0.40, h.get("risk").get("v").get(0).asDouble(), 1e-6);
    assertEquals(T0 - 3_600_000L, h.get("windowStart").asLong());
    HttpResponse<String> missing = get("/api/devices/nope/history");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("nope"));
    assertEquals(404, get("/api/nothing").statusCode());
  }

  @Test
  void servesAddedTextRoutesAndTheDetectorStatusOnlyWhenGiven() throws Exception {
    assertEquals(204, get("/api/detector").statusCode());
    assertEquals(404, get("/metrics").statusCode());
    server.serve("/metrics", "text/plain; version=0.0.4", () -> "jamwatch_events_total 42.0\n");
    server.detectorStatus(() -> "{\"state\":\"RUNNING\"}");
    HttpResponse<String> m = get("/metrics");
    assertEquals(200, m.statusCode());
    assertEquals("jamwatch_events_total 42.0\n", m.body());
    HttpResponse<String> d = get("/api/detector");
    assertEquals(200, d.statusCode());
    assertEquals("RUNNING", json.readTree(d.body()).get("state").asText());
    assertEquals(405, http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
  void refusesEveryMethodButGet(String method) throws Exception {
    for (String path : List.of("/", "/api/alerts", "/api/devices/L01-S01/history")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path))
          .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, r.statusCode(), method + " " + path);
      assertEquals("GET", r.headers().firstValue("Allow").orElseThrow());
    }
    assertEquals(3, view.devices().size(), "nothing changed");
  }

  @Test
  void streamsASnapshotAtOnceAndAgainWhenTheViewChanges() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/stream")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      JsonNode first = nextSnapshot(in);
      assertEquals(0.12, first.get("lines").get(0).get("devices").get(0).get("score").asDouble(), 1e-6);
      view.onRisk(risk("L01-S01", "L01", T0 + 1000, 0.77f, false));
      JsonNode second = nextSnapshot(in);
      assertTrue(second.get("version").asLong() > first.get("version").asLong());
      assertEquals(0.77, second.get("lines").get(0).get("devices").get(0).get("score").asDouble(), 1e-6);
      assertEquals(1, second.get("alerts").get("open").size());
    }
  }

  @Test
  void refusesLiveClientsBeyondTheLimit() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(server.uri().resolve("/api/stream")).build();
    HttpResponse<InputStream> a = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> b = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<String> c = http.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, a.statusCode());
    assertEquals(200, b.statusCode());
    assertEquals(503, c.statusCode());
    a.body().close();
    b.body().close();
  }

  private JsonNode nextSnapshot(BufferedReader in) throws Exception {
    String line;
    boolean isSnapshot = false;
    while ((line = in.readLine()) != null) {
      if (line.equals("event: snapshot")) isSnapshot = true;
      else if (isSnapshot && line.startsWith("data: ")) return json.readTree(line.substring(6));
    }
    throw new AssertionError("stream ended before a snapshot");
  }
}
