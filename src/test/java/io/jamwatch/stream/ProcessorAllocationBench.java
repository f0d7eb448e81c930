package io.jamwatch.stream;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A benchmark, not a test: heap bytes allocated per event on the processing thread (ThreadMXBean)
 * and wall time per event, for events pushed through the real topology in a TopologyTestDriver
 * (real RocksDB store, real ORT, real Avro serdes; inputs pre-encoded so their encoding is not
 * counted). A pass-through topology on the same driver measures the driver's own cost per record,
 * to be subtracted. Run it on two builds side by side:
 *
 * <pre>
 *   mvn -B -q -o test-compile && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -Xss16m -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.jamwatch.stream.ProcessorAllocationBench [events] [rounds]
 * </pre>
 */
public final class ProcessorAllocationBench {
  private static final int DEVICES = 64;

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("jamwatch-alloc");
    FeatureSpec spec = TestModels.spec();
    String[] kinds = {"gru64-risk", "lstm64-risk", "gru64-forecast"};
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    StreamConfig base = StreamConfig.defaults();
    JamwatchTopics topics = JamwatchTopics.of(base.topics());
    SplittableRandom rng = new SplittableRandom(5);
    int total = 2 * events;
    for (int i = 0; i < total; i++) {
      int d = i % DEVICES;
      String dev = String.format("L%02d-S%03d", d % 4, d);
      long t = TestEvents.T0 + (i / DEVICES) * 1000L + d;
      ScannerEvent e = TestEvents.event(dev, dev.substring(0, 3), t, dev + "#" + i, rng);
      keys.add(dev.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      values.add(topics.events().valueSerde().serializer().serialize(topics.events().name(), e));
      times.add(t);
    }
    System.out.printf(Locale.ROOT, "%-16s %12s %12s%n", "topology", "B/event", "ns/event");
    for (int r = 0; r < rounds; r++) {
      run("pass-through", passThrough(topics), dir.resolve("pt" + r), topics, keys, values, times, events);
      for (String k : kinds) {
        Path model = model(dir, k, spec);
        try (ReloadingModelProvider models = new ReloadingModelProvider(model)) {
          StreamConfig cfg = base.withModelPath(model);
          run(k, JamwatchTopology.build(cfg, models, new StreamMetrics()), dir.resolve(k + r), topics, keys, values, times,
              events);
        }
      }
    }
  }

  static Topology passThrough(JamwatchTopics topics) {
    Topology t = new Topology();
    t.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.events().name());
    t.addSink("out", topics.scores().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "in");
    return t;
  }

  static Path model(Path dir, String kind, FeatureSpec spec) {
    boolean lstm = kind.startsWith("lstm");
    boolean forecast = kind.endsWith("forecast");
    CellType cell = lstm ? CellType.LSTM : CellType.GRU;
    NetworkWeights w = NetworkWeights.random(cell, spec.size(), 64, 1, !lstm, !forecast, forecast, new SplittableRandom(3));
    ModelMetadata m = ModelMetadata.describe(w, spec, forecast ? new ForecastSurprise.Stats(-1f, 1f, 10, 100) : null);
    if (forecast) m = m.withScoreHead(ModelMetadata.Head.FORECAST);
    Path out = dir.resolve(kind + ".onnx");
    OnnxExporter.export(w, m.withWarmupEvents(3), out);
    return out;
  }

  static void run(String name, Topology topology, Path state, JamwatchTopics topics, List<byte[]> keys,
      List<byte[]> values, List<Long> times, int events) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "alloc-bench");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, p, Instant.ofEpochMilli(TestEvents.T0))) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(topics.events().name(), new ByteArraySerializer(), new ByteArraySerializer());
      int chunk = 5_000;
      long bytes = 0;
      long nanos = 0;
      for (int i = 0; i < keys.size(); i += chunk) {
        boolean measured = i >= keys.size() - events; // the first half warms up
        long a0 = mx.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        for (int j = i; j < Math.min(keys.size(), i + chunk); j++) {
          in.pipeInput(keys.get(j), values.get(j), times.get(j));
        }
        long t1 = System.nanoTime();
        long a1 = mx.getThreadAllocatedBytes(tid);
        if (measured) {
          bytes += a1 - a0;
          nanos += t1 - t0;
        }
        // Drop the captured output outside the measured window (the driver queues it).
        for (String topic : driver.producedTopicNames()) {
          driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
              .readRecordsToList();
        }
      }
      System.out.printf(Locale.ROOT, "%-16s %12.1f %12.0f%n", name, (double) bytes / events, (double) nanos / events);
    }
  }
}
