package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sweep visits the store a few devices per punctuation (here 3 or 2, so a cycle spans several
 * ticks), and over a full cycle still evicts by TTL, raises STALE once per silent device of a
 * running line, and publishes the gauges; on both store kinds. TopologyTestDriver runs one
 * punctuation per {@code advanceWallClockTime}, so each advance is one slice.
 */
class IncrementalSweepTest {
  private static final long T0 = TestEvents.T0;

  @TempDir Path dir;

  private TopologyTestDriver driver;
  private ReloadingModelProvider models;
  private StreamMetrics metrics;
  private TestInputTopic<String, ScannerEvent> events;
  private TestOutputTopic<String, JamAlert> alerts;
  private KeyValueStore<String, byte[]> store;

  private void start(StreamConfig.DeviceStatePolicy state) {
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1);
    StreamConfig config = StreamConfig.defaults().withState(state).withModelPath(model);
    models = new ReloadingModelProvider(model);
    metrics = new StreamMetrics();
    Properties p = config.streamsProperties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(DeadLetters.METRICS_CONFIG, metrics);
    driver = new TopologyTestDriver(JamwatchTopology.build(config, models, metrics), p, Instant.ofEpochMilli(T0));
    JamwatchTopics t = JamwatchTopics.of(config.topics());
    events = driver.createInputTopic(t.events().name(), new StringSerializer(), t.events().valueSerde().serializer());
    alerts = driver.createOutputTopic(t.alerts().name(), new StringDeserializer(), t.alerts().valueSerde().deserializer());
    store = driver.getKeyValueStore(JamwatchTopology.STORE);
  }

  @AfterEach
  void close() {
    if (driver != null) driver.close();
    if (models != null) models.close();
  }

  private void pipe(String device, String line, long t, String id) {
    ScannerEvent e = TestEvents.withSpeed(device, line, t, id, 2f);
    events.pipeInput(e.getDeviceId(), e, e.getEventTime());
  }

  private long devicesInStore() {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private void tick(Duration d) {
    driver.advanceWallClockTime(d);
  }

  @ParameterizedTest
  @EnumSource(StreamConfig.StoreKind.class)
  void evictsByTtlAndPublishesGaugesOverACycleOfSlices(StreamConfig.StoreKind kind) {
    start(new StreamConfig.DeviceStatePolicy(600_000, 3_600_000L, 16, 1_000, 0, 30_000).withStore(kind).withSweep(3, 1_000));
    long t = T0;
    for (int i = 0; i < 10; i++) pipe("D" + i, "L1", t += 10, "a" + i);
    Duration slice = Duration.ofMillis(100);
    for (int s = 1; s <= 3; s++) {
      tick(slice);
      assertEquals(0, metrics.devicesHeld(), "no gauge from a partial cycle (slice " + s + ")");
    }
    tick(slice);
    assertEquals(10, metrics.devicesHeld(), "10 devices over a cycle of 4 slices of <= 3");
    assertEquals(10.0, metrics.sweptDevicesTotal());

    tick(Duration.ofMinutes(30)); // next cycle, first slice: D0..D2
    for (int i = 0; i < 5; i++) pipe("D" + i, "L1", t += 10, "b" + i); // D0..D4 seen again
    for (int s = 0; s < 3; s++) tick(slice);
    assertEquals(10, metrics.devicesHeld());

    tick(Duration.ofMinutes(31)); // D5..D9 unseen for 61 min: D0..D2 visited, nothing evicted
    assertEquals(10, devicesInStore());
    tick(slice); // D3, D4, D5
    assertEquals(9, devicesInStore());
    assertNull(store.get("D5"));
    tick(slice); // D6..D8
    assertEquals(6, devicesInStore());
    assertEquals(10, metrics.devicesHeld(), "gauge still the previous cycle's");
    tick(slice); // D9, end of cycle
    assertEquals(5, devicesInStore());
    for (int i = 0; i < 5; i++) assertNotNull(store.get("D" + i));
    assertEquals(5, metrics.devicesHeld());
    assertEquals(5.0, metrics.evictionsTotal());
    assertTrue(metrics.sweepSliceMaxMillis() > 0);
    StreamMetrics.SweepSlices slices = metrics.sweepSlices();
    assertTrue(slices.slices() >= 10, "4 slices a cycle, 3 cycles: " + slices);
    assertTrue(slices.maxVisitCpuMillis() >= 0 && slices.maxWriteCpuMillis() >= 0, slices.toString());
  }

  @ParameterizedTest
  @EnumSource(StreamConfig.StoreKind.class)
  void raisesStaleOncePerSilentDeviceOfARunningLineAcrossSlices(StreamConfig.StoreKind kind) {
    start(new StreamConfig.DeviceStatePolicy(600_000, 86_400_000L, 16, 1_000, 60_000, 30_000).withStore(kind).withSweep(2, 1_000));
    long t = T0;
    for (String d : List.of("A", "B", "C", "D", "E")) pipe(d, "L1", t += 10, d + "0");
    pipe("Z", "L2", t += 10, "z0"); // alone on its line
    // B keeps running for 2 min of wall clock; every 10 s is one slice of 2 devices (a cycle: 3 slices).
    for (int i = 1; i <= 12; i++) {
      tick(Duration.ofSeconds(10));
      pipe("B", "L1", t += 10_000, "b" + i);
    }
    Set<String> stale = new TreeSet<>();
    for (JamAlert a : alerts.readValuesToList()) {
      if (a.getKind() == AlertKind.STALE) {
        assertTrue(stale.add(a.getDeviceId()), "STALE raised once per silence: " + a.getDeviceId());
      }
    }
    assertEquals(Set.of("A", "C", "D", "E"), stale, "the silent devices of the running line, not Z nor B");
    for (String d : stale) assertTrue(StoredState.of(store.get(d)).getStaleAlerted());
    assertEquals(6, metrics.devicesHeld());
  }

  @ParameterizedTest
  @EnumSource(StreamConfig.StoreKind.class)
  void aSliceMakesAtMostItsShareOfWritesAndTheNextTicksGoOn(StreamConfig.StoreKind kind) {
    // 300 devices fall silent at once on a running line; the slices' batch and time budget would
    // take them all in one slice, but its writes (STALE alerts) come after the budget: at most
    // MAX_SWEEP_WRITES per slice, and the following ticks finish the cycle.
    int silentDevices = 300, cap = ScoringProcessor.MAX_SWEEP_WRITES;
    // stale after 60 s of silence; the line counts as running for 10 min after its last device was seen
    start(new StreamConfig.DeviceStatePolicy(600_000, 86_400_000L, 16, 60_000, 60_000, 600_000).withStore(kind).withSweep(20_000, 60_000));
    long t = T0;
    for (int i = 0; i < silentDevices; i++) pipe(String.format("S%03d", i), "L1", t += 1, "s" + i);
    tick(Duration.ofSeconds(1)); // the first cycle: nobody silent yet
    assertEquals(0, alerts.readValuesToList().size());
    List<Integer> perTick = new java.util.ArrayList<>();
    Set<String> stale = new TreeSet<>();
    for (int k = 0; k < 8 && stale.size() < silentDevices; k++) {
      tick(k == 0 ? Duration.ofSeconds(90) : Duration.ofMillis(100)); // the next cycle, then its further slices
      List<JamAlert> got = alerts.readValuesToList();
      perTick.add(got.size());
      for (JamAlert a : got) {
        assertEquals(AlertKind.STALE, a.getKind());
        assertTrue(stale.add(a.getDeviceId()), "once each: " + a.getDeviceId());
      }
    }
    assertEquals(silentDevices, stale.size(), "every silent device, over the ticks " + perTick);
    assertTrue(perTick.stream().allMatch(n -> n <= cap), "at most " + cap + " writes a slice: " + perTick);
    assertEquals(List.of(cap, cap, silentDevices - 2 * cap), perTick, "full slices, then the rest");
  }
}
