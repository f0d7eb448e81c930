package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.AlertPolicy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.RecordedLogReader;
import io.jamwatch.logs.RecordedLogWriter;
import io.jamwatch.model.CellType;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.ScoringModel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScoringTopologyTest {
  private static final long T0 = TestEvents.T0;

  @TempDir Path dir;

  private TopologyTestDriver driver;
  private ReloadingModelProvider models;
  private StreamMetrics metrics;
  private StreamConfig config;
  private TestInputTopic<String, ScannerEvent> events;
  private TestInputTopic<String, byte[]> rawEvents;
  private TestOutputTopic<String, JamRiskScore> scores;
  private TestOutputTopic<String, JamAlert> alerts;
  private TestOutputTopic<byte[], DeadLetter> deadLetters;
  private KeyValueStore<String, byte[]> stored;

  private void start(Path model, StreamConfig cfg) {
    config = cfg.withModelPath(model);
    models = new ReloadingModelProvider(model, config.runtime());
    metrics = new StreamMetrics();
    Properties p = config.streamsProperties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    p.put(DeadLetters.METRICS_CONFIG, metrics);
    // TopologyTestDriver has no real transactions, and under exactly_once_v2 it drops the dead
    // letters sent by the deserialization handler; the real-broker tests run exactly_once_v2.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver =
        new TopologyTestDriver(JamwatchTopology.build(config, models, metrics), p, Instant.ofEpochMilli(T0));
    JamwatchTopics t = JamwatchTopics.of(config.topics());
    events =
        driver.createInputTopic(
            t.events().name(), new StringSerializer(), t.events().valueSerde().serializer());
    rawEvents = driver.createInputTopic(t.events().name(), new StringSerializer(), new ByteArraySerializer());
    scores =
        driver.createOutputTopic(
            t.scores().name(), new StringDeserializer(), t.scores().valueSerde().deserializer());
    alerts =
        driver.createOutputTopic(
            t.alerts().name(), new StringDeserializer(), t.alerts().valueSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            t.deadLetters().name(), new ByteArrayDeserializer(), t.deadLetters().valueSerde().deserializer());
    stored = driver.getKeyValueStore(JamwatchTopology.STORE);
  }

  private void start(Path model) {
    start(model, StreamConfig.defaults());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    if (models != null) {
      models.close();
    }
  }

  private void pipe(ScannerEvent e) {
    events.pipeInput(e.getDeviceId(), e, e.getEventTime());
  }

  private static byte[] floats(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private StoredState state(String device) {
    return StoredState.of(stored.get(device));
  }

  @Test
  void stepsStateOncePerEvent() {
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1);
    start(model);
    List<ScannerEvent> in = TestEvents.lines(1, 1, 6, 1000, 3);
    try (ScoringModel offline = ScoringModel.load(model)) {
      DeviceMemory mem = offline.newMemory();
      for (int i = 0; i < in.size(); i++) {
        pipe(in.get(i));
        offline.score(in.get(i), mem);
        StoredState s = state(in.get(i).getDeviceId());
        assertEquals(i + 1, s.getEventCount(), "one step per event");
        assertArrayEquals(floats(DeviceStateMapper.write(mem.h)), floats(s.tail(4 * mem.h.length)), "h after event " + i);
        assertEquals(offline.modelId().substring(0, 16), s.getModelId(), "the model fingerprint is the id's prefix");
      }
    }
    assertEquals(6, scores.getQueueSize());
    assertEquals(6.0, metrics.eventsTotal());
  }

  static Stream<Arguments> cellsAndRuntimes() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (ModelRuntime r : ModelRuntime.values()) {
      for (StreamConfig.StoreKind store : StreamConfig.StoreKind.values()) {
        b.add(Arguments.of(CellType.GRU, r, store));
        b.add(Arguments.of(CellType.LSTM, r, store));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} runtime={1} store={2}")
  @MethodSource("cellsAndRuntimes")
  void replayedLogGivesSameScoresAsOfflineSteppingBitForBit(CellType cell, ModelRuntime runtime, StreamConfig.StoreKind store)
      throws Exception {
    boolean forecast = cell == CellType.LSTM; // one risk-head and one forecast-head model
    Path model = TestModels.random(dir, "m.onnx", cell, forecast, 11);
    Path logDir = dir.resolve("log");
    java.nio.file.Files.createDirectories(logDir);
    try (RecordedLogWriter w = new RecordedLogWriter(logDir.resolve("part-0.avro"))) {
      for (ScannerEvent e : TestEvents.lines(3, 3, 40, 700, 5)) {
        w.write(e);
      }
    }
    StreamConfig base = StreamConfig.defaults().withRuntime(runtime);
    start(model, base.withState(base.state().withStore(store)));
    assertEquals(runtime, models.current().runtime());
    List<ScannerEvent> replayed = new ArrayList<>();
    try (RecordedLogReader.EventStream log = RecordedLogReader.open(logDir)) {
      while (log.hasNext()) {
        ScannerEvent e = log.next();
        pipe(e);
        replayed.add(e);
      }
    }
    // the reference: the offline scorer behind `jamwatch score`, on the same events
    Map<String, Float> offlineScores = OfflineScores.of(model, runtime, replayed);
    List<TestRecord<String, JamRiskScore>> out = scores.readRecordsToList();
    assertEquals(360, out.size());
    for (TestRecord<String, JamRiskScore> r : out) {
      float expected = offlineScores.get(r.value().getEventId());
      assertEquals(
          Float.floatToRawIntBits(expected), Float.floatToRawIntBits(r.value().getScore()),
          "score of " + r.value().getEventId());
      assertEquals(r.value().getEventTime().toEpochMilli(), r.timestamp(), "record time = event time");
    }
    assertTrue(out.get(0).value().getWarming(), "first event of a device is warming");
    assertFalse(out.get(out.size() - 1).value().getWarming());
    if (runtime != ModelRuntime.ORT) {
      // and the other runtime's scores stay within 1e-5 of ONNX Runtime's
      Map<String, Float> ort = OfflineScores.of(model, ModelRuntime.ORT, replayed);
      float worst = 0;
      int differ = 0;
      for (Map.Entry<String, Float> e : offlineScores.entrySet()) {
        float o = ort.get(e.getKey());
        worst = Math.max(worst, Math.abs(o - e.getValue()));
        if (Float.floatToRawIntBits(o) != Float.floatToRawIntBits(e.getValue())) differ++;
      }
      System.out.printf("%s %s vs ort: max |score difference| %.3g, %d of %d scores differ in bits%n",
          cell, runtime.key(), worst, differ, offlineScores.size());
      assertTrue(worst <= 1e-5f, runtime.key() + " vs ort: " + worst);
    }
  }

  private DeadLetter onlyDeadLetter(RejectReason reason) {
    List<TestRecord<byte[], DeadLetter>> dl = deadLetters.readRecordsToList();
    assertEquals(1, dl.size(), "one dead letter");
    DeadLetter d = dl.get(0).value();
    assertEquals(reason.name(), d.getReason(), d.getMessage());
    assertEquals(config.topics().events(), d.getTopic());
    assertEquals(1.0, metrics.deadLetters(reason));
    return d;
  }

  private void assertStateUnchanged(String device, long count) {
    StoredState s = state(device);
    assertEquals(count, s == null ? 0 : s.getEventCount(), "state untouched by the rejected event");
  }

  @Test
  void routesUndecodableBytesToDeadLetterTopicWithOriginalBytesAndOffset() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    pipe(TestEvents.lines(1, 1, 1, 1000, 1).get(0));
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    rawEvents.pipeInput("L00-S00", garbage);
    DeadLetter d = onlyDeadLetter(RejectReason.BAD_HEADER);
    assertArrayEquals(garbage, floats(d.getValue()));
    assertArrayEquals("L00-S00".getBytes(StandardCharsets.UTF_8), floats(d.getKey()));
    assertEquals(1L, d.getOffset());
    assertEquals(0, d.getPartition());
    assertStateUnchanged("L00-S00", 1);
    // the stream keeps going
    pipe(TestEvents.lines(1, 1, 2, 1000, 1).get(1));
    assertStateUnchanged("L00-S00", 2);
  }

  @Test
  void routesRecordOfAnotherSchemaToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    JamRiskScore foreign =
        JamRiskScore.newBuilder()
            .setDeviceId("L00-S00").setLineId("L00").setEventTime(Instant.ofEpochMilli(T0))
            .setModelId("x").setScore(0.5f).build();
    byte[] bytes = new AvroSerde<JamRiskScore>(JamRiskScore.getClassSchema()).encode(foreign);
    rawEvents.pipeInput("L00-S00", bytes);
    onlyDeadLetter(RejectReason.UNKNOWN_SCHEMA);
    assertEquals(0, scores.getQueueSize());
  }

  @Test
  void routesTruncatedEventToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    byte[] ok =
        new AvroSerde<ScannerEvent>(ScannerEvent.getClassSchema())
            .encode(TestEvents.lines(1, 1, 1, 1000, 1).get(0));
    rawEvents.pipeInput("L00-S00", java.util.Arrays.copyOf(ok, 14));
    onlyDeadLetter(RejectReason.DESERIALIZATION);
  }

  @Test
  void routesNonFiniteReadingToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    pipe(TestEvents.withSpeed("D1", "L1", T0, "a", 2f));
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 10, "b", Float.NaN));
    DeadLetter d = onlyDeadLetter(RejectReason.NON_FINITE_READING);
    assertTrue(d.getMessage().contains(TestEvents.SPEED), d.getMessage());
    assertEquals("D1", d.getDeviceId());
    assertNotNull(d.getValue());
    assertStateUnchanged("D1", 1);
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 20, "c", Float.POSITIVE_INFINITY));
    assertEquals(2.0, metrics.deadLetters(RejectReason.NON_FINITE_READING));
  }

  @Test
  void routesUnknownEventTypeToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    pipe(TestEvents.event("D1", "L1", T0, "a", EventType.UNKNOWN, Map.of()));
    onlyDeadLetter(RejectReason.UNKNOWN_EVENT_TYPE);
    assertStateUnchanged("D1", 0);
  }

  @Test
  void routesAbsurdTimestampsToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    pipe(TestEvents.withSpeed("D1", "L1", 5_000, "epoch", 2f));
    onlyDeadLetter(RejectReason.ABSURD_TIMESTAMP);
    pipe(TestEvents.withSpeed("D1", "L1", T0 + Duration.ofDays(30).toMillis(), "future", 2f));
    assertEquals(2.0, metrics.deadLetters(RejectReason.ABSURD_TIMESTAMP));
    assertStateUnchanged("D1", 0);
  }

  @Test
  void routesKeyThatIsNotTheDeviceToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    ScannerEvent e = TestEvents.withSpeed("D1", "L1", T0, "a", 2f);
    events.pipeInput("D2", e, e.getEventTime());
    onlyDeadLetter(RejectReason.KEY_MISMATCH);
    assertStateUnchanged("D1", 0);
    assertStateUnchanged("D2", 0);
  }

  @Test
  void routesDuplicateEventIdToDeadLetterTopicAndAppliesItOnce() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    ScannerEvent a = TestEvents.withSpeed("D1", "L1", T0, "a", 2f);
    pipe(a);
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 100, "b", 2.1f));
    StoredState before = state("D1");
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 200, "a", 2f)); // same id, later time: still a duplicate
    onlyDeadLetter(RejectReason.DUPLICATE);
    assertEquals(before, state("D1"), "state untouched");
    assertEquals(2, scores.getQueueSize());
  }

  @Test
  void routesOutOfOrderEventToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 1000, "a", 2f));
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 500, "b", 2f));
    onlyDeadLetter(RejectReason.OUT_OF_ORDER);
    assertStateUnchanged("D1", 1);
    assertEquals(T0 + 1000, state("D1").getLastEventTime().toEpochMilli());
  }

  @Test
  void routesTombstoneToDeadLetterTopic() {
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1));
    rawEvents.pipeInput("D1", (byte[]) null);
    onlyDeadLetter(RejectReason.NULL_VALUE);
  }

  @Test
  void restartsDeviceSilentLongerThanGapFromInitialState() {
    StreamConfig cfg =
        StreamConfig.defaults()
            .withState(new StreamConfig.DeviceStatePolicy(60_000, 86_400_000L, 16, 5_000, 0, 30_000));
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1);
    start(model, cfg);
    pipe(TestEvents.withSpeed("D1", "L1", T0, "a", 2f));
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 60_000, "b", 2f)); // exactly the gap: kept
    assertEquals(2, state("D1").getEventCount());
    ScannerEvent late = TestEvents.withSpeed("D1", "L1", T0 + 120_001, "c", 2f);
    pipe(late);
    assertEquals(1, state("D1").getEventCount(), "restarted from the initial state");
    assertEquals(1.0, metrics.resets(StreamMetrics.ResetCause.SILENCE_GAP));
    try (ScoringModel offline = ScoringModel.load(model)) {
      float fresh = offline.score(late, offline.newMemory());
      List<JamRiskScore> s = scores.readValuesToList();
      assertEquals(Float.floatToRawIntBits(fresh), Float.floatToRawIntBits(s.get(2).getScore()));
      assertTrue(s.get(2).getWarming());
    }
  }

  @Test
  void continuesAStateWrittenInThePreviousAvroFormBitForBit() {
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1);
    start(model);
    List<ScannerEvent> in = TestEvents.lines(1, 1, 12, 1000, 3);
    try (ScoringModel offline = ScoringModel.load(model)) {
      // The first 8 events as the previous release stored them: an Avro version-2 DeviceState.
      DeviceMemory mem = offline.newMemory();
      List<String> ids = new ArrayList<>();
      for (ScannerEvent e : in.subList(0, 8)) {
        offline.score(e, mem);
        ids.add(e.getEventId());
      }
      io.jamwatch.avro.DeviceState old = new DeviceStateMapper().toState(
          offline.modelId(), "L00", mem, new io.jamwatch.scoring.AlertState(), 0.5f, T0, ids);
      String device = in.get(0).getDeviceId();
      stored.put(device, new AvroSerde<io.jamwatch.avro.DeviceState>(io.jamwatch.avro.DeviceState.getClassSchema()).encode(old));

      pipe(in.get(3)); // a duplicate by its eventId string, recognised through the migrated hashes
      assertEquals(1.0, metrics.deadLetters(io.jamwatch.scoring.RejectReason.DUPLICATE));
      for (ScannerEvent e : in.subList(8, 12)) {
        pipe(e);
        float want = offline.score(e, mem);
        JamRiskScore got = scores.readValue();
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got.getScore()), "continued, not reset");
      }
      assertEquals(12, state(device).getEventCount());
      assertTrue(DeviceStateCodec.isCompact(stored.get(device)), "rewritten in the compact form");
      assertEquals(0.0, metrics.resets(StreamMetrics.ResetCause.UNKNOWN_VERSION));
    }
  }

  @Test
  void resetsStateWrittenByAnotherModelAndCountsIt() {
    Path first = TestModels.random(dir, "a.onnx", CellType.GRU, false, 1);
    Path second = TestModels.random(dir, "b.onnx", CellType.GRU, false, 2);
    start(first);
    for (int i = 0; i < 4; i++) {
      pipe(TestEvents.withSpeed("D1", "L1", T0 + i * 100, "e" + i, 2f));
    }
    String oldId = state("D1").getModelId();
    assertEquals(4, state("D1").getEventCount());
    models.reload(second); // no topology rebuild
    pipe(TestEvents.withSpeed("D1", "L1", T0 + 1000, "e9", 2f));
    StoredState s = state("D1");
    assertNotEquals(oldId, s.getModelId());
    assertEquals(1, s.getEventCount());
    assertEquals(1.0, metrics.resets(StreamMetrics.ResetCause.MODEL_SWAP));
    JamRiskScore last = scores.readValuesToList().get(4);
    assertEquals(s.getModelId(), last.getModelId().substring(0, 16), "the state's fingerprint is the new model's");
    assertTrue(last.getWarming());
  }

  @Test
  void bothStoresGiveTheSameAlertsAndExplanations() {
    // The heap store hands the processor its stored arrays; RocksDB hands out copies. A raise's
    // occlusion explanation re-steps from the state before the event, so both stores must give
    // the same alerts, reasons and all.
    Path model = TestModels.random(dir, "r.onnx", CellType.GRU, false, 5);
    List<List<JamAlert>> raised = new ArrayList<>();
    for (StreamConfig.StoreKind store : StreamConfig.StoreKind.values()) {
      // every score is above 0.01: each device raises at its 20th event above, after its recent ids filled
      StreamConfig cfg = StreamConfig.defaults().withAlert(new AlertPolicy(0.01f, 0.005f, 20, 0, 3_600_000L));
      start(model, cfg.withState(cfg.state().withStore(store)));
      for (ScannerEvent e : TestEvents.lines(1, 3, 30, 700, 9)) pipe(e);
      raised.add(alerts.readValuesToList().stream().filter(a -> a.getKind() == AlertKind.RAISED).toList());
      close();
      driver = null;
      models = null;
    }
    assertEquals(3, raised.get(0).size(), "each device raises once: " + raised.get(0));
    assertTrue(raised.get(0).stream().anyMatch(a -> !a.getReasons().isEmpty()), "explained: " + raised.get(0));
    assertEquals(raised.get(0), raised.get(1));
  }

  @ParameterizedTest(name = "store={0}")
  @org.junit.jupiter.params.provider.EnumSource(StreamConfig.StoreKind.class)
  void raisesAndClearsAlertWithHysteresisPeakAndDuration(StreamConfig.StoreKind store) {
    StreamConfig cfg = StreamConfig.defaults().withAlert(new AlertPolicy(0.9f, 0.3f, 2, 0, 60_000));
    cfg = cfg.withState(cfg.state().withStore(store));
    start(TestModels.steerable(dir, "steer.onnx", 1), cfg);
    float high = 2.4f; // ~ +4 std: score ~ 1
    float mid = TestModels.speedMean(); // 0 std: score 0.5, between the thresholds
    float low = 1.6f; // score ~ 0
    long t = T0;
    pipe(TestEvents.withSpeed("D1", "L1", t += 1000, "w", mid)); // warming
    pipe(TestEvents.withSpeed("D1", "L1", t += 1000, "h1", high));
    assertTrue(alerts.isEmpty(), "one event above is not enough");
    pipe(TestEvents.withSpeed("D1", "L1", t += 1000, "h2", high));
    JamAlert raised = alerts.readValue();
    assertEquals(AlertKind.RAISED, raised.getKind());
    assertEquals(t, raised.getRaisedAt().toEpochMilli());
    // Occlusion reasons: only the belt speed moves the steerable model.
    assertEquals(TestEvents.SPEED, raised.getReasons().get(0).getGroup());
    assertEquals(1, raised.getReasons().size());
    assertEquals(1, metrics.explanations());
    long raisedAt = t;
    pipe(TestEvents.withSpeed("D1", "L1", t += 1000, "m1", mid));
    assertTrue(alerts.isEmpty(), "between clear and raise thresholds: stays open");
    assertTrue(state("D1").getAlertOpen());
    pipe(TestEvents.withSpeed("D1", "L1", t += 1000, "l1", low));
    JamAlert cleared = alerts.readValue();
    assertEquals(AlertKind.CLEARED, cleared.getKind());
    assertEquals(t - raisedAt, cleared.getDurationMillis());
    assertTrue(cleared.getPeakScore() > 0.99f, "peak " + cleared.getPeakScore());
    assertFalse(state("D1").getAlertOpen());
    // cooldown of 60 s: a new run above does not raise before it has passed
    for (int i = 0; i < 5; i++) {
      pipe(TestEvents.withSpeed("D1", "L1", t += 1000, "c" + i, high));
    }
    assertTrue(alerts.isEmpty(), "cooldown");
    pipe(TestEvents.withSpeed("D1", "L1", t += 60_000, "after", high));
    assertEquals(AlertKind.RAISED, alerts.readValue().getKind());
    assertEquals(2.0, metrics.alertsTotal("RAISED"));
  }

  @Test
  void raisesStaleWhenScannerSilentWhileItsLineRuns() {
    StreamConfig cfg =
        StreamConfig.defaults()
            .withState(new StreamConfig.DeviceStatePolicy(600_000, 86_400_000L, 16, 1_000, 60_000, 30_000));
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1), cfg);
    long t = T0;
    pipe(TestEvents.withSpeed("A", "L1", t += 10, "a0", 2f));
    pipe(TestEvents.withSpeed("B", "L1", t += 10, "b0", 2f));
    pipe(TestEvents.withSpeed("C", "L2", t += 10, "c0", 2f)); // alone on its line
    for (int i = 1; i <= 7; i++) { // B keeps going for 70 s (wall clock), A and C fall silent
      driver.advanceWallClockTime(Duration.ofSeconds(10));
      pipe(TestEvents.withSpeed("B", "L1", t += 10_000, "b" + i, 2f));
    }
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    List<JamAlert> a = stale();
    assertEquals(1, a.size(), "only A: C's whole line is silent, B is running");
    assertEquals(AlertKind.STALE, a.get(0).getKind());
    assertEquals("A", a.get(0).getDeviceId());
    assertTrue(state("A").getStaleAlerted());
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertTrue(stale().isEmpty(), "STALE is raised once per silence");
    pipe(TestEvents.withSpeed("A", "L1", t += 10, "a1", 2f));
    assertFalse(state("A").getStaleAlerted(), "seen again");
  }

  private List<JamAlert> stale() {
    return alerts.readValuesToList().stream().filter(a -> a.getKind() == AlertKind.STALE).toList();
  }

  @Test
  void evictsAStateStoredInThePreviousAvroFormClosingItsOpenAlert() {
    StreamConfig cfg =
        StreamConfig.defaults()
            .withState(new StreamConfig.DeviceStatePolicy(600_000, 3_600_000L, 16, 1_000, 0, 30_000));
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1);
    start(model, cfg);
    try (ScoringModel m = ScoringModel.load(model)) {
      io.jamwatch.scoring.AlertState open = new io.jamwatch.scoring.AlertState();
      open.open = true;
      open.raisedAt = T0 - 5_000;
      open.peak = 0.9f;
      io.jamwatch.avro.DeviceState old = new DeviceStateMapper().toState(
          m.modelId(), "L7", m.newMemory(), open, 0.8f, T0, List.of("x1"));
      stored.put("OLD", new AvroSerde<io.jamwatch.avro.DeviceState>(io.jamwatch.avro.DeviceState.getClassSchema()).encode(old));
      driver.advanceWallClockTime(Duration.ofMinutes(61));
      assertNull(state("OLD"), "evicted after an hour unseen");
      JamAlert cleared = alerts.readValuesToList().get(0);
      assertEquals(AlertKind.CLEARED, cleared.getKind());
      assertEquals("L7", cleared.getLineId());
      assertEquals(m.modelId(), cleared.getModelId(), "the fingerprint of the current model gives its full id");
      assertEquals(0.9f, cleared.getPeakScore());
    }
  }

  @Test
  void evictsDevicesNotSeenForTtlAndCountsThem() {
    StreamConfig cfg =
        StreamConfig.defaults()
            .withState(new StreamConfig.DeviceStatePolicy(600_000, 3_600_000L, 16, 1_000, 0, 30_000));
    start(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1), cfg);
    pipe(TestEvents.withSpeed("A", "L1", T0, "a0", 2f));
    pipe(TestEvents.withSpeed("B", "L1", T0 + 1, "b0", 2f));
    driver.advanceWallClockTime(Duration.ofMinutes(30));
    assertEquals(2, metrics.devicesHeld());
    pipe(TestEvents.withSpeed("B", "L1", T0 + 1_800_000, "b1", 2f));
    driver.advanceWallClockTime(Duration.ofMinutes(31));
    assertNull(state("A"), "A evicted after an hour unseen");
    assertNotNull(state("B"));
    assertEquals(1.0, metrics.evictionsTotal());
    assertEquals(1, metrics.devicesHeld());
  }

  @Test
  void countsOpenAlertsInGauge() {
    StreamConfig cfg = StreamConfig.defaults().withAlert(new AlertPolicy(0.9f, 0.3f, 1, 0, 0));
    start(TestModels.steerable(dir, "steer.onnx", 0), cfg);
    pipe(TestEvents.withSpeed("A", "L1", T0, "a", 2.4f));
    pipe(TestEvents.withSpeed("B", "L1", T0, "b", 2.4f));
    pipe(TestEvents.withSpeed("C", "L1", T0, "c", 1.6f));
    driver.advanceWallClockTime(Duration.ofSeconds(6));
    assertEquals(2, metrics.openAlerts());
    assertEquals(3, metrics.devicesHeld());
    String prom = metrics.scrape();
    assertTrue(prom.contains("jamwatch_open_alerts 2.0"), prom);
  }
}
