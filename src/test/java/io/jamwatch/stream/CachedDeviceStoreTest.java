package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.model.CellType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read cache over the real RocksDB device store (TopologyTestDriver, Kafka Streams' own store
 * layers and RocksDB): writes reach the store before the cache, the budget bounds what it holds and
 * is shared and given back, and the stream scores, alerts and stores exactly the same with the
 * cache as without it.
 */
class CachedDeviceStoreTest {
  @TempDir Path dir;

  /** The device store as a task's processor sees it, in a topology that does nothing else. */
  private TopologyTestDriver storeOnly(String state) {
    StreamConfig config = StreamConfig.defaults();
    Topology t = new Topology();
    t.addSource("src", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
    t.addProcessor("noop", () -> new Processor<String, String, Void, Void>() {
      @Override
      public void process(Record<String, String> r) {}
    }, "src");
    t.addStateStore(JamwatchTopology.deviceStore(config), "noop");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cache-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(state).toString());
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, DeviceStoreRocksConfig.class.getName());
    return new TopologyTestDriver(t, p);
  }

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  private static long cost(String key, int valueBytes) {
    return CachedDeviceStore.ENTRY_OVERHEAD + 2L * key.length() + valueBytes;
  }

  @Test
  void writesReachTheStoreFirstAndReadsComeFromTheHeapOnceSeen() {
    try (TopologyTestDriver d = storeOnly("a")) {
      KeyValueStore<String, byte[]> rocks = d.getKeyValueStore(JamwatchTopology.STORE);
      CachedDeviceStore.Budget budget = new CachedDeviceStore.Budget(1 << 20);
      CachedDeviceStore cache = (CachedDeviceStore) CachedDeviceStore.over(rocks, budget);

      byte[] v1 = bytes(300, 1);
      cache.put("D1", v1);
      assertArrayEquals(v1, rocks.get("D1"), "the store has the write");
      assertArrayEquals(v1, cache.get("D1"), "served from the heap");
      v1[0] = 42;
      assertEquals(1, cache.get("D1")[0], "the cache holds its own copy");
      cache.get("D1")[1] = 42;
      assertEquals(1, cache.get("D1")[1], "and hands out copies");
      assertEquals(cost("D1", 300), budget.used());

      rocks.put("D2", bytes(200, 2)); // written before this cache saw the device (a restored state)
      assertArrayEquals(bytes(200, 2), cache.get("D2"));
      assertEquals(2, cache.cachedDevices(), "a read admits the device");
      assertNull(cache.get("D3"));
      assertEquals(2, cache.cachedDevices(), "nothing is cached for an absent device");

      byte[] v2 = bytes(320, 3);
      cache.put("D1", v2);
      assertArrayEquals(v2, cache.get("D1"));
      assertArrayEquals(v2, rocks.get("D1"));
      assertEquals(cost("D1", 320) + cost("D2", 200), budget.used(), "a rewrite is charged its new size only");

      assertArrayEquals(v2, cache.delete("D1"));
      assertNull(rocks.get("D1"));
      assertNull(cache.get("D1"));
      assertEquals(cost("D2", 200), budget.used(), "a delete gives its share back");

      cache.putAll(List.of(KeyValue.pair("D4", bytes(10, 4)), KeyValue.pair("D2", null)));
      assertNull(rocks.get("D2"), "a null value in putAll deletes");
      assertNull(cache.get("D2"));
      assertArrayEquals(bytes(10, 4), rocks.get("D4"));
      assertEquals(cost("D4", 10), budget.used());

      List<String> scanned = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> it = cache.all()) {
        it.forEachRemaining(kv -> scanned.add(kv.key));
      }
      assertEquals(List.of("D4"), scanned, "scans are the store's");

      CachedDeviceStore.release(cache);
      assertEquals(0, budget.used(), "closing the task gives everything back");
      assertEquals(0, cache.cachedDevices());
      assertArrayEquals(bytes(10, 4), cache.get("D4"), "still readable: the store is the truth");
    }
  }

  @Test
  void admitsDevicesUntilTheSharedBudgetIsSpentAndServesTheRestFromTheStore() {
    try (TopologyTestDriver d = storeOnly("b")) {
      KeyValueStore<String, byte[]> rocks = d.getKeyValueStore(JamwatchTopology.STORE);
      CachedDeviceStore.Budget budget = new CachedDeviceStore.Budget(2 * cost("D0", 400) + 10);
      CachedDeviceStore a = (CachedDeviceStore) CachedDeviceStore.over(rocks, budget);
      CachedDeviceStore b = (CachedDeviceStore) CachedDeviceStore.over(rocks, budget);

      a.put("D0", bytes(400, 0));
      b.put("D1", bytes(400, 1));
      a.put("D2", bytes(400, 2)); // over the budget: written, not cached
      assertEquals(1, a.cachedDevices());
      assertEquals(1, b.cachedDevices(), "two tasks share one budget");
      assertArrayEquals(bytes(400, 2), a.get("D2"), "served by the store");
      assertEquals(1, a.cachedDevices());

      a.put("D0", bytes(500, 9)); // grows past the budget: dropped from the heap, still right
      assertEquals(0, a.cachedDevices());
      assertArrayEquals(bytes(500, 9), a.get("D0"));
      assertEquals(0, a.cachedDevices(), "D0 at 500 B no longer fits beside D1");

      b.delete("D1");
      assertArrayEquals(bytes(400, 2), a.get("D2"));
      assertEquals(1, a.cachedDevices(), "D1's share, given back, admits D2");
      assertEquals(cost("D2", 400), budget.used());
      CachedDeviceStore.release(a);
      CachedDeviceStore.release(b);
      assertEquals(0, budget.used());
    }
  }

  @Test
  void noBudgetMeansTheStoreItselfAndANegativeOneIsRefused() {
    try (TopologyTestDriver d = storeOnly("c")) {
      KeyValueStore<String, byte[]> rocks = d.getKeyValueStore(JamwatchTopology.STORE);
      assertSame(rocks, CachedDeviceStore.over(rocks, null));
      assertSame(rocks, CachedDeviceStore.over(rocks, new CachedDeviceStore.Budget(0)));
    }
    assertThrows(IllegalArgumentException.class, () -> new CachedDeviceStore.Budget(-1));
  }

  /** Everything the stream publishes and keeps, for one run of {@code events} with ticks of the wall clock between them. */
  private record Run(List<JamRiskScore> scores, List<JamAlert> alerts, List<KeyValue<String, byte[]>> stored,
      long maxCachedBytes, long limitBytes, long cachedBytesAfterClose) {}

  private Run run(int readCacheMegabytes, List<ScannerEvent> events, String state) {
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 3);
    // A short TTL and a short STALE window, so the sweep evicts and alerts between events.
    StreamConfig config = StreamConfig.defaults().withModelPath(model).withState(
        new StreamConfig.DeviceStatePolicy(60_000, 600_000L, 16, 1_000, 120_000, 300_000).withSweep(7, 1_000)
            .withReadCache(readCacheMegabytes));
    Properties p = config.streamsProperties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(state).toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    StreamMetrics metrics = new StreamMetrics();
    Run run;
    try (ReloadingModelProvider models = new ReloadingModelProvider(model);
        TopologyTestDriver d = new TopologyTestDriver(JamwatchTopology.build(config, models, metrics), p,
            Instant.ofEpochMilli(TestEvents.T0))) {
      JamwatchTopics t = JamwatchTopics.of(config.topics());
      TestInputTopic<String, ScannerEvent> in =
          d.createInputTopic(t.events().name(), new StringSerializer(), t.events().valueSerde().serializer());
      var scores = d.createOutputTopic(t.scores().name(), new StringDeserializer(), t.scores().valueSerde().deserializer());
      var alerts = d.createOutputTopic(t.alerts().name(), new StringDeserializer(), t.alerts().valueSerde().deserializer());
      long last = TestEvents.T0;
      long maxCached = 0;
      for (ScannerEvent e : events) {
        long now = e.getEventTime().toEpochMilli();
        if (now > last) d.advanceWallClockTime(Duration.ofMillis(now - last)); // wall clock follows event time
        last = now;
        in.pipeInput(e.getDeviceId(), e, e.getEventTime());
        maxCached = Math.max(maxCached, metrics.readCacheBytes());
      }
      for (int i = 0; i < 40; i++) d.advanceWallClockTime(Duration.ofSeconds(30)); // sweeps after the last event
      List<KeyValue<String, byte[]>> stored = new ArrayList<>();
      KeyValueStore<String, byte[]> store = d.getKeyValueStore(JamwatchTopology.STORE);
      try (KeyValueIterator<String, byte[]> it = store.all()) {
        it.forEachRemaining(stored::add);
      }
      run = new Run(scores.readValuesToList(), alerts.readValuesToList(), stored,
          maxCached, metrics.readCacheLimitBytes(), -1);
    }
    return new Run(run.scores(), run.alerts(), run.stored(), run.maxCachedBytes(), run.limitBytes(), metrics.readCacheBytes());
  }

  /** Equal lists, or a message naming the first record that differs (not both lists whole). */
  private static <T> void assertSameRecords(String what, List<T> expected, List<T> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + " #" + i + " differs");
    }
    assertEquals(expected.size(), actual.size(), what + ": count");
  }

  @Test
  void theStreamScoresAlertsAndStoresTheSameWithTheCacheAsWithout() {
    // 30 devices on 3 lines; some fall silent for a while (STALE alerts, silence restarts), some
    // past the TTL (evicted, then back as new devices), some for good, a few events come twice
    // (duplicate eventIds).
    SplittableRandom rng = new SplittableRandom(11);
    List<ScannerEvent> events = new ArrayList<>();
    long t = TestEvents.T0;
    for (int step = 0; step < 240; step++) {
      for (int dev = 0; dev < 30; dev++) {
        boolean gone = dev % 10 == 9 && step > 60; // silent for good: evicted after the TTL
        boolean paused = dev % 10 == 4 && step > 100 && step < 160; // silent a while, then back
        boolean away = dev % 10 == 7 && step > 30 && step < 200; // evicted after the TTL, then back as new
        if (gone || paused || away || rng.nextInt(4) == 0) continue;
        t += 200 + rng.nextInt(300);
        String id = "e" + step + "-" + dev;
        ScannerEvent e = TestEvents.event("D" + dev, "L" + (dev % 3), t, id, rng);
        events.add(e);
        if (rng.nextInt(50) == 0) events.add(e); // redelivered: a duplicate eventId
      }
    }
    Run without = run(0, events, "off");
    Run with = run(64, events, "on");
    assertTrue(without.scores().size() > 3_000, "scored " + without.scores().size());
    assertTrue(without.alerts().stream().anyMatch(a -> a.getKind() == io.jamwatch.avro.AlertKind.STALE),
        "the scenario raises STALE alerts");
    assertTrue(without.stored().size() < 30, "the scenario evicts devices: " + without.stored().size() + " kept");
    assertEquals(0, without.limitBytes());
    assertEquals(0, without.maxCachedBytes());
    assertEquals(64L << 20, with.limitBytes(), "the gauge shows the budget");
    assertTrue(with.maxCachedBytes() > 20 * CachedDeviceStore.ENTRY_OVERHEAD,
        "the gauge shows the devices held: " + with.maxCachedBytes());
    assertEquals(0, with.cachedBytesAfterClose(), "closing the task gave the budget back");
    assertSameRecords("scores", without.scores(), with.scores());
    assertSameRecords("alerts", without.alerts(), with.alerts());
    assertEquals(without.stored().size(), with.stored().size());
    for (int i = 0; i < without.stored().size(); i++) {
      assertEquals(without.stored().get(i).key, with.stored().get(i).key);
      assertArrayEquals(without.stored().get(i).value, with.stored().get(i).value, without.stored().get(i).key);
    }
  }
}
