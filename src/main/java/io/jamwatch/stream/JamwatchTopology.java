package io.jamwatch.stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector's topology, built from config alone (the Streams properties live apart, in {@link
 * StreamConfig#streamsProperties()}), so a test builds the very same topology:
 *
 * <pre>
 *  scanner-events ──► [events-source] ──► [score] ──► [jam-risk-sink]   ──► jam-risk
 *  (key deviceId)                          │   ▲   └─► [jam-alerts-sink] ──► jam-alerts
 *                                          ▼   │
 *                                   device-state (RocksDB or in-memory, changelogged; DeviceStateCodec bytes)
 *  undecodable / rejected events ──(exception handlers)──► scanner-events-dlq
 * </pre>
 *
 * <p>The wire formats are the config's: the source's value deserializer is the input format's
 * (jamwatch Avro, or JSON / registry Avro mapped by ingest/), the sinks' serializers the output
 * format's; the processor sees ScannerEvents and emits records whatever the formats.
 */
public final class JamwatchTopology {
  public static final String STORE = "device-state";
  static final String SOURCE = "events-source";
  static final String PROCESSOR = "score";
  static final String SCORES_SINK = "jam-risk-sink";
  static final String ALERTS_SINK = "jam-alerts-sink";

  private JamwatchTopology() {}

  public static Topology build(StreamConfig config, ModelProvider models) {
    return build(config, models, new StreamMetrics());
  }

  public static Topology build(StreamConfig config, ModelProvider models, StreamMetrics metrics) {
    JamwatchTopics topics = JamwatchTopics.of(config);
    StoreBuilder<?> store = deviceStore(config);
    CachedDeviceStore.Budget readCache = readCache(config);
    metrics.readCache(readCache);
    Topology t = new Topology();
    t.addSource(
        SOURCE,
        topics.events().keySerde().deserializer(),
        topics.events().valueSerde().deserializer(),
        topics.events().name());
    t.addProcessor(PROCESSOR, () -> new ScoringProcessor(config, models, metrics, readCache), SOURCE);
    t.addStateStore(store, PROCESSOR);
    t.addSink(
        SCORES_SINK,
        topics.scores().name(),
        topics.scores().keySerde().serializer(),
        topics.scores().valueSerde().serializer(),
        PROCESSOR);
    t.addSink(
        ALERTS_SINK,
        topics.alerts().name(),
        topics.alerts().keySerde().serializer(),
        topics.alerts().valueSerde().serializer(),
        PROCESSOR);
    return t;
  }

  /**
   * The read cache all tasks of one topology share ({@code state.read-cache-mb}), or null: none on
   * the heap store, whose get is a hash-map lookup already.
   */
  public static CachedDeviceStore.Budget readCache(StreamConfig config) {
    StreamConfig.DeviceStatePolicy s = config.state();
    return s.store() == StreamConfig.StoreKind.MEMORY ? null : new CachedDeviceStore.Budget((long) s.readCacheMegabytes() << 20);
  }

  /**
   * The device-state store of {@code config.state().store()}: RocksDB (tuned by {@link
   * DeviceStoreRocksConfig}) or an in-memory store ({@link HeapStore}: O(1) get and put; a sweep slice costs
   * O(its entries), not O(devices) as with Kafka's in-memory store); changelogged either way, so a restarted or moved
   * task restores it from Kafka. Public for the benchmark's baseline, which must do the very same
   * store work.
   */
  public static StoreBuilder<KeyValueStore<String, byte[]>> deviceStore(StreamConfig config) {
    KeyValueBytesStoreSupplier supplier =
        config.state().store() == StreamConfig.StoreKind.MEMORY
            ? HeapStore.supplier(STORE)
            : Stores.persistentKeyValueStore(STORE);
    return Stores.keyValueStoreBuilder(
            supplier, Serdes.String(), Serdes.ByteArray()) // DeviceStateCodec's compact layout
        .withLoggingEnabled(java.util.Map.of());
  }
}
