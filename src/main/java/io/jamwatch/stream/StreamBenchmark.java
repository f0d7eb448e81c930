package io.jamwatch.stream;

import io.jamwatch.avro.DeviceState;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * End-to-end harness (not a test): events/s through a real (in-JVM KRaft) broker for the jamwatch
 * topology and for a pass-through topology doing the same RocksDB get + put of a same-size value
 * per event, side by side in one run, under exactly_once_v2 and at_least_once; p50/p99
 * event-to-score latency at a steady input rate; bytes per device in the store. Prints a Markdown
 * section for BENCHMARKS.md.
 *
 * <p>Run: {@code java -Xss16m -cp target/jamwatch.jar io.jamwatch.stream.StreamBenchmark
 * [events] [model.onnx|-] [ort|java]} (the third: the model runtime, default ort).
 */
public final class StreamBenchmark {
  private static final String INPUT = "bench-events";

  private final EmbeddedBroker broker;
  private final Path work;
  private final ModelRuntime runtime;
  private int runs;

  private StreamBenchmark(EmbeddedBroker broker, Path work, ModelRuntime runtime) {
    this.broker = broker;
    this.work = work;
    this.runtime = runtime;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path work = Files.createTempDirectory("jamwatch-bench");
    List<ScannerEvent> events = new ArrayList<>(n);
    Iterator<ScannerEvent> sim =
        new Simulator(SimConfig.defaults().withShape(8, 8, Double.POSITIVE_INFINITY, 7)).events();
    while (events.size() < n) {
      events.add(sim.next());
    }
    Path model = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : randomModel(work, events);
    ModelRuntime runtime = args.length > 2 ? ModelRuntime.parse(args[2]) : ModelRuntime.ORT;
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      StreamBenchmark b = new StreamBenchmark(broker, work, runtime);
      b.report(events, model);
    }
  }

  /** A GRU (H = 64) with random weights and a spec fitted on the events: speed does not depend on the weights. */
  static Path randomModel(Path dir, List<ScannerEvent> events) {
    FeatureSpec spec = FeatureSpec.fit(events.subList(0, Math.min(20_000, events.size())).iterator());
    NetworkWeights w =
        NetworkWeights.random(CellType.GRU, spec.size(), 64, 1, true, true, false, new SplittableRandom(1));
    Path out = dir.resolve("bench-gru64.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, null), out);
    return out;
  }

  private void report(List<ScannerEvent> events, Path model) throws Exception {
    broker.createTopics(List.of(INPUT), 2);
    produceAll(events);
    int n = events.size();
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT,
        "%d simulated events (8 lines x 8 scanners), 2 partitions, 1 stream thread, model %s;%n"
            + "events/s = events processed by the running topology (its own counter), from 10%% to 100%% of the input.%n%n",
        n, model.getFileName()));
    md.append("| topology | guarantee | events/s | ratio jamwatch / pass-through |\n|---|---|---:|---:|\n");
    int valueSize = 0;
    for (String g : new String[] {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE}) {
      double[] bytesPerDevice = new double[1];
      double jw = jamwatchThroughput(model, g, n, bytesPerDevice);
      if (valueSize == 0) {
        valueSize = (int) Math.round(bytesPerDevice[0]);
        System.err.printf("bytes per device (key + Avro DeviceState): %.1f%n", bytesPerDevice[0]);
      }
      double pt = passThroughThroughput(g, n, valueSize);
      md.append(String.format(Locale.ROOT, "| jamwatch (%s step) | %s | %,.0f | %.2f |%n", runtime.key(), g, jw, jw / pt));
      md.append(String.format(Locale.ROOT, "| pass-through get+put %d B | %s | %,.0f | |%n", valueSize, g, pt));
    }
    md.append(String.format(Locale.ROOT, "%nBytes per device in the store (key + Avro single-object DeviceState value): %d%n%n", valueSize));
    md.append("| guarantee | input rate | p50 event-to-score | p99 event-to-score |\n|---|---:|---:|---:|\n");
    for (String g : new String[] {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE}) {
      double[] p = latency(model, g, events, 2_000, 20);
      md.append(String.format(Locale.ROOT, "| %s | 2,000 ev/s | %.0f ms | %.0f ms |%n", g, p[0], p[1]));
    }
    System.out.println();
    System.out.println(md);
  }

  private void produceAll(List<ScannerEvent> events) {
    AvroSerde<ScannerEvent> serde = new AvroSerde<>(ScannerEvent.getClassSchema());
    try (KafkaProducer<String, byte[]> p = rawProducer()) {
      for (ScannerEvent e : events) {
        p.send(new ProducerRecord<>(INPUT, null, e.getEventTime().toEpochMilli(), e.getDeviceId(), serde.encode(e)));
      }
      p.flush();
    }
  }

  private KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new ByteArraySerializer());
  }

  private StreamConfig config(String guarantee, String input) {
    String run = "bench-" + (++runs);
    StreamConfig.TopicNames t = new StreamConfig.TopicNames(input, run + "-scores", run + "-alerts", run + "-dlq");
    broker.createTopics(List.of(t.scores(), t.alerts(), t.deadLetters()), 2);
    return StreamConfig.defaults()
        .withTopics(t)
        .withKafka(
            Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", run,
                "processing.guarantee", guarantee,
                "state.dir", work.resolve(run).toString()));
  }

  private double jamwatchThroughput(Path model, String guarantee, int n, double[] bytesPerDevice) throws Exception {
    StreamConfig cfg = config(guarantee, INPUT).withModelPath(model).withRuntime(runtime);
    StreamMetrics metrics = new StreamMetrics();
    try (Detector d = new Detector(cfg, new ReloadingModelProvider(model, runtime), metrics)) {
      d.start();
      double rate = awaitProcessed(() -> (long) (metrics.eventsTotal() + metrics.deadLettersTotal()), n);
      bytesPerDevice[0] = bytesPerDevice(d.streams());
      System.err.printf("jamwatch %s: %.0f events/s%n", guarantee, rate);
      return rate;
    }
  }

  private double passThroughThroughput(String guarantee, int n, int valueSize) throws Exception {
    StreamConfig cfg = config(guarantee, INPUT);
    Topology t = new Topology();
    t.addSource("src", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), INPUT);
    AtomicLong processed = new AtomicLong();
    t.addProcessor("pass", () -> new PassThrough(valueSize, processed), "src");
    t.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("pass-state"), Serdes.String(), Serdes.ByteArray()),
        "pass");
    t.addSink("out", cfg.topics().scores(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "pass");
    try (KafkaStreams s = new KafkaStreams(t, cfg.streamsProperties())) {
      s.start();
      double rate = awaitProcessed(processed::get, n);
      System.err.printf("pass-through %s: %.0f events/s%n", guarantee, rate);
      s.close(Duration.ofSeconds(30));
      return rate;
    }
  }

  /** Reads the state, writes a same-size value back, forwards a same-size record: what jamwatch does minus the model. */
  private static final class PassThrough implements Processor<String, byte[], String, byte[]> {
    private final int size;
    private final AtomicLong processed;
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<String, byte[]> ctx;

    PassThrough(int size, AtomicLong processed) {
      this.size = size;
      this.processed = processed;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      ctx = context;
      store = context.getStateStore("pass-state");
    }

    @Override
    public void process(Record<String, byte[]> r) {
      byte[] old = store.get(r.key());
      byte[] v = old == null ? new byte[size] : Arrays.copyOf(old, size);
      v[0]++;
      store.put(r.key(), v);
      ctx.forward(r.withValue(Arrays.copyOf(r.value(), Math.min(r.value().length, 120))));
      processed.incrementAndGet();
    }
  }

  /**
   * Events/s processed by the running topology between 10 % and 100 % of {@code n} (sampled every
   * 10 ms from the topology's own counter, so at-least-once, whose offsets commit only every 30 s,
   * is measured the same way as exactly-once).
   */
  private static double awaitProcessed(LongSupplier processed, int n) throws InterruptedException {
    long t10 = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      long done = processed.getAsLong();
      long now = System.nanoTime();
      if (t10 == 0 && done >= n / 10) {
        t10 = now;
      }
      if (done >= n) {
        return 0.9 * n / ((now - t10) / 1e9);
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("did not process " + n + " events in 10 minutes");
  }

  private static double bytesPerDevice(KafkaStreams streams) {
    AvroSerde<DeviceState> serde = new AvroSerde<>(DeviceState.getClassSchema());
    ReadOnlyKeyValueStore<String, DeviceState> store =
        streams.store(StoreQueryParameters.fromNameAndType(JamwatchTopology.STORE, QueryableStoreTypes.keyValueStore()));
    long bytes = 0;
    long devices = 0;
    try (KeyValueIterator<String, DeviceState> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, DeviceState> kv = it.next();
        bytes += kv.key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + serde.encode(kv.value).length;
        devices++;
      }
    }
    return devices == 0 ? 0 : (double) bytes / devices;
  }

  /** p50 and p99 (ms) of wall-clock receive time minus event time, events stamped at send. */
  private double[] latency(Path model, String guarantee, List<ScannerEvent> events, int rate, int seconds)
      throws Exception {
    String input = "lat-" + (runs + 1);
    broker.createTopics(List.of(input), 2);
    StreamConfig cfg = config(guarantee, input).withModelPath(model).withRuntime(runtime);
    List<Long> lat = new ArrayList<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    try (Detector d = new Detector(cfg, new ReloadingModelProvider(model, runtime), new StreamMetrics());
        KafkaConsumer<String, JamRiskScore> c = scoreConsumer(cfg.topics().scores())) {
      d.start();
      while (d.state() != KafkaStreams.State.RUNNING) {
        Thread.sleep(50);
      }
      Thread producer =
          new Thread(
              () -> {
                AvroSerde<ScannerEvent> serde = new AvroSerde<>(ScannerEvent.getClassSchema());
                try (KafkaProducer<String, byte[]> p = rawProducer()) {
                  long start = System.nanoTime();
                  for (int i = 0; i < rate * seconds; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) {
                      Thread.onSpinWait();
                    }
                    ScannerEvent e = events.get(i % events.size());
                    long now = System.currentTimeMillis();
                    // fresh ids and times: each device's events stay in order and are never duplicates
                    ScannerEvent s = ScannerEvent.newBuilder(e).setEventTime(Instant.ofEpochMilli(now))
                        .setEventId("lat-" + i).build();
                    p.send(new ProducerRecord<>(input, null, now, s.getDeviceId(), serde.encode(s)));
                  }
                }
                sending.set(false);
              },
              "latency-feed");
      producer.start();
      long warmupEnd = System.currentTimeMillis() + 3_000;
      long quietSince = System.nanoTime();
      while (sending.get() || System.nanoTime() - quietSince < 3_000_000_000L) {
        for (ConsumerRecord<String, JamRiskScore> r : c.poll(Duration.ofMillis(50))) {
          long now = System.currentTimeMillis();
          long t = r.value().getEventTime().toEpochMilli();
          if (t >= warmupEnd) {
            lat.add(now - t);
          }
          quietSince = System.nanoTime();
        }
      }
      producer.join();
    }
    long[] a = lat.stream().mapToLong(Long::longValue).sorted().toArray();
    System.err.printf("latency %s: %d samples%n", guarantee, a.length);
    if (a.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {a[(int) (a.length * 0.50)], a[Math.min(a.length - 1, (int) (a.length * 0.99))]};
  }

  private KafkaConsumer<String, JamRiskScore> scoreConsumer(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "lat-reader-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, JamRiskScore> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new AvroSerde<JamRiskScore>(JamRiskScore.getClassSchema()).deserializer());
    c.subscribe(List.of(topic));
    return c;
  }
}
