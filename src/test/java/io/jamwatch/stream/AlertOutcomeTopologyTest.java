package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.Simulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert outcomes on a simulated log, through the real topology (TopologyTestDriver), the bundled
 * model on ONNX Runtime and the simulator's ground truth (what jams.csv holds).
 */
class AlertOutcomeTopologyTest {
  @TempDir Path dir;

  /**
   * The bundled model as it is, and with the other alert signal (its ladder or its primary score):
   * either way each RAISED claims a horizon and its one outcome is judged on that claim.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void everyRaisedAlertGetsExactlyOneOutcomeMatchingTheSimulatedJams(boolean otherSignal) throws Exception {
    Path model = Path.of("models/default.onnx");
    if (otherSignal) {
      byte[] b = java.nio.file.Files.readAllBytes(model);
      boolean ladder = io.jamwatch.scoring.ScoringModel.readMetadata(b, "default").alertOnLadder();
      model = dir.resolve("other-signal.onnx");
      java.nio.file.Files.write(model, io.jamwatch.scoring.ScoringModel.withAlertSignal(b, !ladder));
    }
    Simulator sim = new Simulator(SimConfig.defaults().withShape(2, 4, 2, 4242).withJamRates(0.3, 0.3, 1.5, 0.1).withoutFaults());
    List<ScannerEvent> log = new ArrayList<>();
    for (Iterator<ScannerEvent> it = sim.events(); it.hasNext(); ) {
      log.add(it.next());
    }
    // The ground truth as the simulate command writes it: jams.csv beside the log.
    JamTruth.write(dir, sim.truth());
    List<JamTruth> truth = JamTruth.read(dir);
    assertTrue(truth.size() >= 3, "the log holds jams: " + truth.size());
    // A sensitive policy, so the log gives alerts both followed by jams and not.
    StreamConfig cfg = StreamConfig.defaults().withModelPath(model)
        .withAlert(new AlertPolicy(0.2f, 0.1f, 1, 0, 30_000));
    long end = log.get(log.size() - 1).getEventTime().toEpochMilli();
    Map<String, Long> lastEvent = new HashMap<>();
    Map<String, List<Long>> jamEvents = new HashMap<>();
    List<JamAlert> out = new ArrayList<>();
    long horizon;
    java.util.Set<Long> claimable = new java.util.HashSet<>();
    Map<String, Long> claims = new HashMap<>();
    boolean ladder;
    StreamMetrics metrics = new StreamMetrics();
    try (ReloadingModelProvider models = new ReloadingModelProvider(cfg.modelPath())) {
      horizon = models.current().metadata().horizonSeconds() * 1000;
      ladder = models.current().metadata().alertOnLadder();
      claimable.add(horizon);
      // a ladder model's alerts may claim any rung; a primary-score model's only its primary horizon
      if (ladder) for (long h : models.current().metadata().extraHorizonSeconds()) claimable.add(h * 1000);
      Properties p = cfg.streamsProperties();
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
      p.put(DeadLetters.METRICS_CONFIG, metrics);
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
      try (TopologyTestDriver driver = new TopologyTestDriver(JamwatchTopology.build(cfg, models, metrics), p,
          Instant.ofEpochMilli(end + 1000))) {
        JamwatchTopics t = JamwatchTopics.of(cfg.topics());
        TestInputTopic<String, ScannerEvent> in =
            driver.createInputTopic(t.events().name(), new StringSerializer(), t.events().valueSerde().serializer());
        TestOutputTopic<String, JamAlert> alerts =
            driver.createOutputTopic(t.alerts().name(), new StringDeserializer(), t.alerts().valueSerde().deserializer());
        for (ScannerEvent e : log) {
          in.pipeInput(e.getDeviceId(), e, e.getEventTime());
          lastEvent.put(e.getDeviceId(), e.getEventTime().toEpochMilli());
          if (e.getType() == EventType.JAM) {
            jamEvents.computeIfAbsent(e.getDeviceId(), d -> new ArrayList<>()).add(e.getEventTime().toEpochMilli());
          }
        }
        out.addAll(alerts.readValuesToList());
        // Outcomes still pending are in the store, in order.
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(JamwatchTopology.STORE);
        Map<String, List<Long>> pending = new HashMap<>();
        store.all().forEachRemaining(kv -> pending.put(kv.key, StoredState.of(kv.value).getPendingOutcomes()));

        Map<String, List<Long>> truthJams = new HashMap<>();
        for (JamTruth j : truth) {
          truthJams.computeIfAbsent(j.deviceId(), d -> new ArrayList<>()).add(j.jamTime());
        }
        assertEquals(truthJams, jamEvents, "jams.csv and the JAM events agree");

        Map<String, Integer> outcomesPerRaise = new HashMap<>();
        int raised = 0;
        int followed = 0;
        int none = 0;
        for (JamAlert a : out) {
          String key = a.getDeviceId() + "@" + a.getRaisedAt().toEpochMilli();
          if (a.getKind() == AlertKind.RAISED) {
            raised++;
            // the horizon it fired on is one the model has (its primary one or a rung of its ladder)
            assertTrue(claimable.contains(a.getHorizonMillis()), key + " claims " + a.getHorizonMillis() + " ms");
            claims.put(key, a.getHorizonMillis());
            outcomesPerRaise.putIfAbsent(key, 0);
          } else if (a.getKind() == AlertKind.OUTCOME) {
            assertNotNull(a.getOutcome());
            assertTrue(outcomesPerRaise.containsKey(key), "an outcome follows its RAISED: " + key);
            outcomesPerRaise.merge(key, 1, Integer::sum);
            long r = a.getRaisedAt().toEpochMilli();
            long claim = claims.get(key); // judged on the horizon its RAISED claimed
            Long jam = truthJams.getOrDefault(a.getDeviceId(), List.of()).stream()
                .filter(j -> j > r && j <= r + claim).findFirst().orElse(null);
            assertEquals(jam != null, a.getOutcome().getJamFollowed(), key);
            assertEquals(jam == null ? -1L : jam - r, a.getOutcome().getLeadMillis(), key);
            assertEquals(claim, a.getOutcome().getHorizonMillis(), key);
            if (jam != null) followed++; else none++;
          }
        }
        assertTrue(raised >= 5 && followed >= 1 && none >= 1,
            "raised " + raised + ", jam followed " + followed + ", no jam " + none);
        if (ladder) {
          assertTrue(claims.values().stream().anyMatch(c -> c > horizon),
              "a ladder model's alerts claim longer horizons too: " + new java.util.TreeSet<>(claims.values()));
        } else {
          assertTrue(claims.values().stream().allMatch(c -> c == horizon), "claims " + new java.util.TreeSet<>(claims.values()));
        }
        for (Map.Entry<String, Integer> e : outcomesPerRaise.entrySet()) {
          String device = e.getKey().substring(0, e.getKey().indexOf('@'));
          long r = Long.parseLong(e.getKey().substring(e.getKey().indexOf('@') + 1));
          boolean open = pending.getOrDefault(device, List.of()).contains(r);
          if (open) {
            // Still waiting: the device's events have not passed the horizon, and no jam came.
            assertEquals(0, e.getValue(), e.getKey());
            assertTrue(lastEvent.get(device) - r <= claims.get(e.getKey()), e.getKey());
          } else {
            assertEquals(1, e.getValue(), "exactly one outcome for " + e.getKey());
          }
        }
        assertEquals(followed, metrics.outcomesTotal(true), 0);
        assertEquals(none, metrics.outcomesTotal(false), 0);
        assertTrue(metrics.scrape().contains("jamwatch_alert_outcomes_total{outcome=\"jam_followed\"}"));
        assertTrue(metrics.scrape().contains("jamwatch_alert_precision"));
      }
    }
  }
}
