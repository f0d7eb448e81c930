package io.jamwatch.stream.bench;

import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.DeviceRecord;
import io.jamwatch.scoring.IdHash;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.stream.CachedDeviceStore;
import io.jamwatch.stream.DeviceStateCodec;
import io.jamwatch.stream.JamwatchTopics;
import io.jamwatch.stream.JamwatchTopology;
import io.jamwatch.stream.StreamConfig;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The two topologies jamwatch is measured against, on the same topics and Streams settings:
 *
 * <ul>
 *   <li>{@link #raw}: bytes in, the same bytes out; no decode, no store (what Kafka Streams and the
 *       broker cost at all);
 *   <li>{@link #baseline}: jamwatch minus the model and the detector. The same source deserializer
 *       (the configured input format), the same device-state store (kind, serde, changelog:
 *       {@link JamwatchTopology#deviceStore}, read through the same {@link CachedDeviceStore}) with a get, a decode of the stored state, a state of
 *       the same size encoded and put back (the model's arrays, the alert state, the recent eventIds
 *       through {@link DeviceStateCodec}), and the same JamRiskScore encoded on the same sink, with
 *       a constant score. The ratio jamwatch / baseline is the cost of stepping and deciding.
 * </ul>
 *
 * When the stored form of the device state changes, the baseline follows through {@link
 * DeviceStateCodec} and {@link JamwatchTopology#deviceStore}: it must keep doing exactly the
 * store work of {@code ScoringProcessor}, minus the step.
 */
public final class ReferenceTopologies {
  static final String SINK = "scores-sink";
  private static final float CONSTANT_SCORE = 0.5f;

  private ReferenceTopologies() {}

  public static Topology raw(StreamConfig config, LongAdder processed) {
    Topology t = new Topology();
    t.addSource("src", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), config.topics().events());
    t.addProcessor("pass", () -> new Processor<String, byte[], String, byte[]>() {
      private ProcessorContext<String, byte[]> ctx;

      @Override
      public void init(ProcessorContext<String, byte[]> context) {
        ctx = context;
      }

      @Override
      public void process(Record<String, byte[]> r) {
        ctx.forward(r);
        processed.increment();
      }
    }, "src");
    t.addSink(SINK, config.topics().scores(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "pass");
    return t;
  }

  public static Topology baseline(StreamConfig config, ScoringModel model, LongAdder processed) {
    JamwatchTopics topics = JamwatchTopics.of(config);
    Topology t = new Topology();
    t.addSource("src", topics.events().keySerde().deserializer(), topics.events().valueSerde().deserializer(),
        topics.events().name());
    CachedDeviceStore.Budget readCache = JamwatchTopology.readCache(config);
    t.addProcessor("baseline", () -> new Baseline(config, model, processed, readCache), "src");
    t.addStateStore(JamwatchTopology.deviceStore(config), "baseline");
    t.addSink(SINK, topics.scores().name(), topics.scores().keySerde().serializer(),
        topics.scores().valueSerde().serializer(), "baseline");
    return t;
  }

  /**
   * The same work around the model as jamwatch's processor, without the model: the input decode
   * (the source's deserializer), the state get + {@link DeviceStateCodec} decode + encode + put at
   * the same size (the memory arrays of the same model), the eventId hash kept as jamwatch keeps it,
   * and the output encode of a reused JamRiskScore with a constant score.
   */
  private static final class Baseline implements Processor<String, ScannerEvent, String, JamRiskScore> {
    private final ScoringModel model;
    private final LongAdder processed;
    private final int keep;
    private final long fingerprint;
    private DeviceRecord device;
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<String, JamRiskScore> ctx;
    private final JamRiskScore out = new JamRiskScore();
    private final CachedDeviceStore.Budget readCache;

    Baseline(StreamConfig config, ScoringModel model, LongAdder processed, CachedDeviceStore.Budget readCache) {
      this.readCache = readCache;
      this.model = model;
      this.processed = processed;
      this.keep = StreamConfig.eventPolicy(config.input(), config.state()).recentEventIds();
      this.fingerprint = IdHash.modelFingerprint(model.modelId());
    }

    @Override
    public void init(ProcessorContext<String, JamRiskScore> context) {
      ctx = context;
      store = CachedDeviceStore.over(context.getStateStore(JamwatchTopology.STORE), readCache);
      device = new DeviceRecord(model.newMemory());
    }

    @Override
    public void process(Record<String, ScannerEvent> r) {
      ScannerEvent e = r.value();
      String id = e.getDeviceId();
      long t = e.getEventTime().toEpochMilli();
      DeviceStateCodec.decode(DeviceStateCodec.upgrade(store.get(id)), device, fingerprint);
      if (!device.readable) {
        device.clear();
      }
      if (e.getEventId() != null) device.remember(IdHash.of(e.getEventId()), keep);
      device.modelFingerprint = fingerprint;
      device.readable = true;
      device.memory.lastEventTime = t;
      device.memory.eventCount++;
      device.lastScore = CONSTANT_SCORE;
      device.lastSeenWallClock = ctx.currentSystemTimeMs();
      store.put(id, DeviceStateCodec.encode(device, e.getLineId()));
      out.setDeviceId(id);
      out.setLineId(e.getLineId());
      out.setEventTime(e.getEventTime());
      out.setEventId(e.getEventId());
      out.setModelId(model.modelId());
      out.setScore(CONSTANT_SCORE);
      out.setWarming(false);
      out.setEventCount(device.memory.eventCount);
      ctx.forward(new Record<>(id, out, t), SINK);
      processed.increment();
    }

    @Override
    public void close() {
      CachedDeviceStore.release(store);
    }
  }
}
