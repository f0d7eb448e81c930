package io.jamwatch.web;

import static io.jamwatch.web.Records.event;
import static io.jamwatch.web.Records.raised;
import static io.jamwatch.web.Records.reason;
import static io.jamwatch.web.Records.risk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard against a real in-JVM KRaft broker, records in the stream's wire format. */
class DashboardKafkaTest {

  private static TestBroker broker;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void showsCommittedScoresAlertsAndReadingsFromTheTopicsAndSkipsAbortedAndUndecodableOnes() throws Exception {
    long now = System.currentTimeMillis();
    try (KafkaProducer<String, byte[]> p = broker.producer("dash-test-tx")) {
      p.initTransactions();
      p.beginTransaction();
      for (int i = 0; i < 10; i++) {
        long t = now - 10_000 + i * 1000L;
        send(p, "jam-risk", "L01-S01", t, risk("L01-S01", "L01", t, 0.05f * i, i < 3));
        send(p, "scanner-events", "L01-S01", t, event("L01-S01", "L01", t, Map.of("gap_ms", 100f + i)));
        send(p, "jam-risk", "L02-S01", t, risk("L02-S01", "L02", t, 0.1f, false));
      }
      send(p, "jam-alerts", "L01-S01", now - 2000,
          raised("L01-S01", "L01", now - 2000, 0.45f, List.of(reason("vibration_rms", 0.3f))));
      p.commitTransaction();

      p.beginTransaction();
      send(p, "jam-risk", "L03-S01", now, risk("L03-S01", "L03", now, 0.99f, false));
      p.flush();
      p.abortTransaction();

      p.beginTransaction();
      p.send(new ProducerRecord<>("jam-risk", null, now, "L04-S01", new byte[] {1, 2, 3}));
      send(p, "jam-risk", "L02-S02", now, risk("L02-S02", "L02", now, 0.5f, false));
      p.commitTransaction();
    }

    DashboardConfig config = DashboardConfig.defaults().withBootstrap(broker.bootstrap()).withServer("127.0.0.1", 0)
        .withHistory(java.time.Duration.ofHours(1), 3600); // one-second buckets: every point of the test stays apart
    try (Dashboard dashboard = Dashboard.start(config)) {
      JsonNode lines = await(dashboard, "/api/lines", n -> n.size() == 2 && n.get(1).get("devices").size() == 2
          // the topics are read in parallel: wait until the alert and the last score are in too
          && n.get(0).get("devices").get(0).get("alertOpen").asBoolean()
          && Math.abs(n.get(0).get("devices").get(0).get("score").asDouble() - 0.45) < 1e-6);
      assertEquals("L01", lines.get(0).get("lineId").asText());
      JsonNode s1 = lines.get(0).get("devices").get(0);
      assertEquals(0.45, s1.get("score").asDouble(), 1e-6);
      assertTrue(s1.get("alertOpen").asBoolean());
      assertEquals(List.of("L01-S01", "L02-S01", "L02-S02"),
          dashboard.view().devices().stream().map(DashboardView.Tile::deviceId).toList(),
          "the aborted L03 score and the undecodable L04 value are not shown");

      JsonNode alerts = await(dashboard, "/api/alerts", n -> n.get("open").size() == 1);
      assertEquals("vibration_rms", alerts.get("open").get(0).get("reasons").get(0).get("group").asText());

      JsonNode h = await(dashboard, "/api/devices/L01-S01/history",
          n -> n.get("readings").has("gap_ms") && n.get("readings").get("gap_ms").get("v").size() == 10);
      assertEquals(10, h.get("risk").get("v").size());
      assertEquals(109.0, h.get("readings").get("gap_ms").get("v").get(9).asDouble(), 1e-6);
      assertEquals(1, dashboard.feed().undecodable());
    }
  }

  @Test
  void readsJsonScoresAlertsAndMappedJsonEvents() throws Exception {
    long now = System.currentTimeMillis();
    io.jamwatch.ingest.EventMapping gateway = io.jamwatch.ingest.EventMapping.builder()
        .deviceId("/scanner").lineId("/line").eventTime("/ts").type("/kind").typeValues("scan:PACKAGE_SCANNED")
        .eventId(null).readings("*").build();
    io.jamwatch.ingest.JsonEventEncoder events = new io.jamwatch.ingest.JsonEventEncoder(gateway);
    io.jamwatch.stream.JsonRecordSerde<io.jamwatch.avro.JamRiskScore> risk =
        new io.jamwatch.stream.JsonRecordSerde<>(io.jamwatch.avro.JamRiskScore.getClassSchema());
    io.jamwatch.stream.JsonRecordSerde<io.jamwatch.avro.JamAlert> alerts =
        new io.jamwatch.stream.JsonRecordSerde<>(io.jamwatch.avro.JamAlert.getClassSchema());
    try (KafkaProducer<String, byte[]> p = broker.producer("dash-json-tx")) {
      p.initTransactions();
      p.beginTransaction();
      for (int i = 0; i < 5; i++) {
        long t = now - 5_000 + i * 1000L;
        p.send(new ProducerRecord<>("json-risk", null, t, "L07-S01", risk.encode(risk("L07-S01", "L07", t, 0.1f * i, false))));
        io.jamwatch.avro.ScannerEvent e = event("L07-S01", "L07", t, Map.of("gap_ms", 200f + i));
        e.setEventId(null);
        p.send(new ProducerRecord<>("json-events", null, t, "L07-S01", events.encode(e)));
      }
      p.send(new ProducerRecord<>("json-alerts", null, now - 1000, "L07-S01",
          alerts.encode(raised("L07-S01", "L07", now - 1000, 0.4f, List.of(reason("gap_ms", 0.2f))))));
      p.commitTransaction();
    }
    DashboardConfig config = DashboardConfig.defaults().withBootstrap(broker.bootstrap()).withServer("127.0.0.1", 0)
        .withTopics("json-risk", "json-alerts", "json-events").withHistory(java.time.Duration.ofHours(1), 3600);
    try (Dashboard dashboard = Dashboard.start(config, new io.jamwatch.ingest.JsonEventDecoder(gateway))) {
      await(dashboard, "/api/alerts", n -> n.get("open").size() == 1);
      JsonNode h = await(dashboard, "/api/devices/L07-S01/history",
          n -> n.get("readings").has("gap_ms") && n.get("readings").get("gap_ms").get("v").size() == 5
              && n.get("risk").get("v").size() == 5);
      assertEquals(204.0, h.get("readings").get("gap_ms").get("v").get(4).asDouble(), 1e-6);
      assertEquals(0, dashboard.feed().undecodable());
    }
  }

  private JsonNode await(Dashboard d, String path, Predicate<JsonNode> ready) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        last = json.readTree(r.body());
        if (ready.test(last)) return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("dashboard never showed the expected " + path + "; last: " + last);
  }

  private static void send(KafkaProducer<String, byte[]> p, String topic, String key, long ts, SpecificRecord value) {
    TestBroker.send(p, topic, key, ts, value);
  }
}
