package io.jamwatch.stream.bench;

import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.stream.AvroSerde;
import io.jamwatch.stream.Detector;
import io.jamwatch.stream.ReloadingModelProvider;
import io.jamwatch.stream.StreamConfig;
import io.jamwatch.stream.StreamMetrics;
import io.jamwatch.stream.bench.HarnessSettings.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The end-to-end stream benchmark ({@code jamwatch bench stream}), built to be fair:
 *
 * <ul>
 *   <li>the broker runs in its own JVM ({@link BrokerProcess}), so only the stream thread and its
 *       clients share this one;
 *   <li>the input is produced to the topic before any timed run (the producer is not measured),
 *       once per device population, and every run reads the same records;
 *   <li>a warm-up run of every topology and guarantee comes first, unrecorded (JIT, RocksDB,
 *       page cache);
 *   <li>runs are interleaved (repeat, population, guarantee, then the topologies in an order
 *       rotated per repeat) and repeated; the table gives min and median events/s, and the median
 *       CPU time of the stream thread per event beside it (the figure the machine's load disturbs
 *       least), plus this JVM's and the broker's CPU per event;
 *   <li>jamwatch is compared with a raw pass-through and with a baseline doing the same Avro and
 *       store work without the model ({@link ReferenceTopologies}).
 * </ul>
 *
 * Then, at half of jamwatch's measured exactly-once capacity (largest population), a paced
 * producer stamps events as it sends them and the latency from event time to the committed score
 * is read (p50 / p99 / max). Results: {@code results.md} (paste into BENCHMARKS.md), {@code
 * summary.csv} and {@code runs.csv} in the output folder.
 */
public final class StreamHarness {
  private final HarnessSettings settings;
  private final PrintStream console;
  private final Path work;
  private BrokerProcess broker;
  private Path model;
  private int runs;

  /**
   * One measured run. {@code runtime}: what stepped jamwatch's model in this run (the opened model's
   * own {@code ModelRuntime} key), empty for raw and baseline, which step none.
   */
  public record Result(Topology topology, String guarantee, int devices, int repeat, RunMeter.Window window,
      Sweep sweep, String runtime) {
    public double sweepMaxMillis() {
      return sweep.maxWallMillis();
    }

    public double sweepMaxCpuMillis() {
      return sweep.maxCpuMillis();
    }

    public double sweepCpuMicrosPerEvent() {
      return sweep.cpuMicrosPerEvent();
    }
  }

  /**
   * jamwatch's state sweep over one run: its longest slice (wall and stream-thread CPU), the slices
   * (how many, how many over 10 ms of CPU, the most CPU one spent visiting and one spent writing, the
   * total) and the run's events, which the total CPU is spread over. {@link #NONE} for raw and
   * baseline, which sweep nothing (every figure NaN).
   */
  public record Sweep(double maxWallMillis, double maxCpuMillis, StreamMetrics.SweepSlices slices, long events) {
    public static final Sweep NONE = new Sweep(Double.NaN, Double.NaN, null, 0);

    static Sweep of(StreamMetrics m, long events) {
      return new Sweep(m.sweepSliceMaxMillis(), m.sweepSliceMaxCpuMillis(), m.sweepSlices(), events);
    }

    /** The sweep's stream-thread CPU over the whole run (its events and the time to drain them), per event. */
    public double cpuMicrosPerEvent() {
      return slices == null ? Double.NaN : slices.totalCpuMillis() * 1000.0 / Math.max(1, events);
    }

    public double maxVisitCpuMillis() {
      return slices == null ? Double.NaN : slices.maxVisitCpuMillis();
    }

    public double maxWriteCpuMillis() {
      return slices == null ? Double.NaN : slices.maxWriteCpuMillis();
    }

    public long slicesOver10msCpu() {
      return slices == null ? 0 : slices.over10msCpu();
    }

    public long sliceCount() {
      return slices == null ? 0 : slices.slices();
    }
  }

  /**
   * The latency run's result at {@code rate} events/s ({@code load}: that rate as a fraction of the
   * run's measured median capacity): {@code total} is event time to the score read by a
   * read_committed consumer, split at the broker's append of the score (its LogAppendTime) into
   * {@code toAppend} (feed linger, the stream's fetch, processing, the stream's producer) and
   * {@code toVisible} (waiting for the transaction to commit, the commit, the markers, the reader's
   * fetch).
   */
  public record Latency(Topology topology, int devices, double rate, double load, double achievedRate, long samples,
      Spread total, Spread toAppend, Spread toVisible, String commitInterval) {
    public double p50() {
      return total.p50();
    }

    public double p99() {
      return total.p99();
    }

    public double max() {
      return total.max();
    }
  }

  /** Median, 99th percentile and maximum of some milliseconds (NaN when there are none). */
  public record Spread(double p50, double p99, double max) {
    static Spread of(List<Long> millis) {
      long[] a = millis.stream().mapToLong(Long::longValue).sorted().toArray();
      if (a.length == 0) return new Spread(Double.NaN, Double.NaN, Double.NaN);
      return new Spread(a[(int) (a.length * 0.50)], a[Math.min(a.length - 1, (int) (a.length * 0.99))], a[a.length - 1]);
    }

    String text() {
      return String.format(Locale.ROOT, "p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms", p50, p99, max);
    }
  }

  public StreamHarness(HarnessSettings settings, PrintStream console) {
    this.settings = settings;
    this.console = console;
    this.work = settings.out().resolve("work");
  }

  /**
   * Everything one harness run measured, and its markdown section; {@code latencies}: one latency run
   * per topology at the same rate, in the order they ran.
   */
  public record Report(List<Result> results, List<Latency> latencies, String markdown) {}

  /** Runs everything against a broker of its own (a child JVM) and writes the results. */
  public Report run() throws Exception {
    return BrokerProcess.around(work, settings.brokerHeapMb(), console, "bench stream", this::run);
  }

  /** Runs everything against {@code b} (whose topics it adds to) and writes the results. */
  public Report run(BrokerProcess b) throws Exception {
    long started = System.currentTimeMillis();
    String loadBefore = MachineInfo.loadAverage();
    Files.createDirectories(work);
    model = settings.model() != null ? settings.model() : BenchCorpus.randomModel(work);
    List<Result> results = new ArrayList<>();
    List<Latency> latencies = new ArrayList<>();
    try (ScoringModel baselineModel = ScoringModel.load(model)) {
      broker = b;
      console.printf("broker pid %d at %s%n", b.pid(), b.bootstrapServers());
      int largest = settings.devices().stream().max(Integer::compare).orElseThrow();
      for (int d : settings.devices()) {
        produce(input(d), BenchCorpus.of(d, settings.events()), settings.events());
      }
      if (settings.warmupEvents() > 0) {
        produce("warm-up", BenchCorpus.of(largest, settings.warmupEvents()), settings.warmupEvents());
        for (String g : settings.guarantees()) {
          for (Topology t : settings.topologies()) {
            measure(t, g, "warm-up", largest, settings.warmupEvents(), 0, baselineModel);
          }
        }
      }
      int total = settings.repeats() * settings.devices().size() * settings.guarantees().size() * settings.topologies().size();
      Path runsCsv = settings.out().resolve("runs.csv");
      Files.writeString(runsCsv, ResultTable.RUNS_CSV_HEADER);
      for (int rep = 1; rep <= settings.repeats(); rep++) {
        for (int d : settings.devices()) {
          for (String g : settings.guarantees()) {
            List<Topology> order = rotated(settings.topologies(), rep - 1);
            for (Topology t : order) {
              console.printf(Locale.ROOT, "[%d/%d] %s, %s, %,d devices, repeat %d%n", results.size() + 1, total, t.key(), g, d, rep);
              Result r = measure(t, g, input(d), d, settings.events(), rep, baselineModel);
              results.add(r);
              Files.writeString(runsCsv, ResultTable.runsCsvRow(r), java.nio.file.StandardOpenOption.APPEND);
              console.printf(Locale.ROOT, "  -> %,.0f events/s, stream thread %.1f us/event%n",
                  r.window().eventsPerSecond(), r.window().streamCpuMicrosPerEvent());
            }
          }
        }
      }
      if (settings.latencySeconds() > 0 && settings.topologies().contains(Topology.JAMWATCH)
          && settings.guarantees().contains(StreamsConfig.EXACTLY_ONCE_V2)) {
        double capacity = ResultTable.median(results.stream()
            .filter(r -> r.topology() == Topology.JAMWATCH && r.devices() == largest
                && r.guarantee().equals(StreamsConfig.EXACTLY_ONCE_V2))
            .mapToDouble(r -> r.window().eventsPerSecond()).toArray());
        double rate = settings.latencyRate() > 0 ? settings.latencyRate() : Math.max(10, capacity * settings.latencyLoad());
        // Every topology at jamwatch's rate: what the raw pass-through and the baseline show is the
        // latency of Kafka Streams' exactly-once commit on this broker, before any of jamwatch's work.
        for (Topology t : settings.topologies()) {
          latencies.add(latency(t, largest, rate, capacity, settings.latencySeconds(), baselineModel));
        }
      }
    } finally {
      broker = null;
    }
    String md = ResultTable.markdown(settings, results, latencies, started, loadBefore, MachineInfo.loadAverage());
    Files.writeString(settings.out().resolve("results.md"), md);
    Files.writeString(settings.out().resolve("summary.csv"), ResultTable.summaryCsv(results));
    deleteRecursively(work.resolve("state"));
    return new Report(List.copyOf(results), List.copyOf(latencies), md);
  }

  static String input(int devices) {
    return "in-" + devices;
  }

  static <T> List<T> rotated(List<T> l, int by) {
    List<T> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) out.add(l.get((i + by) % l.size()));
    return out;
  }

  /** Produces events 0..n-1 of the corpus to {@code topic} (created with the configured partitions). */
  void produce(String topic, BenchCorpus corpus, long n) {
    broker.createTopics(List.of(topic), settings.partitions());
    produce(broker.bootstrapServers(), topic, corpus, n, console);
  }

  static void produce(String bootstrap, String topic, BenchCorpus corpus, long n, PrintStream console) {
    AvroSerde<ScannerEvent> serde = new AvroSerde<>(ScannerEvent.getClassSchema());
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> p = producer(bootstrap, 20)) {
      for (long i = 0; i < n; i++) {
        ScannerEvent e = corpus.event(i);
        p.send(new ProducerRecord<>(topic, null, e.getEventTime().toEpochMilli(), e.getDeviceId(), serde.encode(e)));
        if ((i + 1) % Math.max(1, n / 10) == 0) {
          console.printf(Locale.ROOT, "  producing %s: %,d of %,d events%n", topic, i + 1, n);
        }
      }
      p.flush();
    }
    console.printf(Locale.ROOT, "  produced %,d events (%,d devices) to %s in %.1f s%n", n, corpus.devices(), topic,
        (System.nanoTime() - t0) / 1e9);
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap, int lingerMs) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs),
            ProducerConfig.BATCH_SIZE_CONFIG, "262144",
            ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** The jamwatch config of one run: the user's settings, then the run's own topics, ids and guarantee. */
  static StreamConfig config(Map<String, String> user, String bootstrap, String runId, String input, String guarantee,
      Path model, Path stateDir) {
    Properties p = new Properties();
    p.putAll(user);
    p.put("topic.events", input);
    p.put("topic.scores", runId + "-scores");
    p.put("topic.alerts", runId + "-alerts");
    p.put("topic.dlq", runId + "-dlq");
    p.put("model.path", model.toString());
    p.put("http.port", "0");
    p.put("kafka.bootstrap.servers", bootstrap);
    p.put("kafka.application.id", runId);
    p.put("kafka.client.id", runId);
    p.put("kafka.processing.guarantee", guarantee);
    p.put("kafka.state.dir", stateDir.toString());
    p.putIfAbsent("kafka.auto.offset.reset", "earliest");
    return StreamConfig.fromProperties(p);
  }

  private Result measure(Topology t, String guarantee, String input, int devices, long n, int rep, ScoringModel baselineModel)
      throws Exception {
    String id = "r" + (++runs) + "-" + t.key();
    StreamConfig cfg = config(settings.streamSettings(), broker.bootstrapServers(), id, input, guarantee, model,
        work.resolve("state").resolve(id));
    broker.createTopics(List.of(cfg.topics().scores(), cfg.topics().alerts(), cfg.topics().deadLetters()), settings.partitions());
    String label = t.key() + " " + (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) ? "eos" : "alo") + " "
        + devices + " devices" + (rep == 0 ? " (warm-up)" : "");
    StreamMetrics metrics = new StreamMetrics();
    RunMeter.Window w;
    String runtime = "";
    try (Started s = start(t, cfg, baselineModel, metrics)) {
      w = RunMeter.await(s::processed, n, id, broker::cpuNanos, console, label);
      runtime = s.runtime();
    } finally {
      broker.deleteTopicsStartingWith(id + "-");
      deleteRecursively(work.resolve("state").resolve(id));
    }
    return new Result(t, guarantee, devices, rep, w, t == Topology.JAMWATCH ? Sweep.of(metrics, n) : Sweep.NONE, runtime);
  }

  /** A started topology: jamwatch's Detector or a reference topology. */
  private interface Started extends AutoCloseable {
    KafkaStreams.State state();

    /** Events taken off the input so far (jamwatch: scored or dead-lettered). */
    long processed();

    /** The model runtime in use (jamwatch's only; "" for the reference topologies). */
    String runtime();

    @Override
    void close();
  }

  /** Starts topology {@code t} for {@code cfg}; jamwatch's metrics go to {@code metrics}. */
  private Started start(Topology t, StreamConfig cfg, ScoringModel baselineModel, StreamMetrics metrics) {
    if (t == Topology.JAMWATCH) {
      Detector d = new Detector(cfg, new ReloadingModelProvider(model, cfg.runtime()), metrics);
      d.start();
      return new Started() {
        public KafkaStreams.State state() { return d.state(); }
        public long processed() { return (long) (metrics.eventsTotal() + metrics.deadLettersTotal()); }
        public String runtime() { return d.models().current().runtime().key(); }
        public void close() { d.close(); }
      };
    }
    LongAdder processed = new LongAdder();
    KafkaStreams s = new KafkaStreams(t == Topology.RAW ? ReferenceTopologies.raw(cfg, processed)
        : ReferenceTopologies.baseline(cfg, baselineModel, processed), cfg.streamsProperties());
    s.start();
    return new Started() {
      public KafkaStreams.State state() { return s.state(); }
      public long processed() { return processed.sum(); }
      public String runtime() { return ""; }
      public void close() { s.close(Duration.ofSeconds(60)); }
    };
  }

  /**
   * Topology {@code t} under exactly_once_v2 fed at {@code rate} events/s for {@code seconds} by a paced
   * producer (linger {@value #FEED_LINGER_MS} ms) that stamps each event with the wall clock as it sends it; a read_committed
   * consumer takes receive time minus event time. One unpaced event per device comes first (the
   * store then knows every device); the first 5 s (or fifth) of the paced phase are dropped.
   */
  private Latency latency(Topology topology, int devices, double rate, double capacity, int seconds, ScoringModel baselineModel)
      throws Exception {
    double load = rate / capacity;
    String id = "r" + (++runs) + "-latency-" + topology.key();
    String input = id + "-in";
    broker.createTopics(List.of(input), settings.partitions());
    StreamConfig cfg = config(settings.streamSettings(), broker.bootstrapServers(), id, input,
        StreamsConfig.EXACTLY_ONCE_V2, model, work.resolve("state").resolve(id));
    broker.createTopics(List.of(cfg.topics().alerts(), cfg.topics().deadLetters()), settings.partitions());
    // The broker stamps each score as it appends it (before the transaction commits), which splits
    // the latency into event -> score appended and appended -> visible to a read_committed reader.
    broker.createTopics(List.of(cfg.topics().scores()), settings.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
    console.printf(Locale.ROOT, "latency: %s eos, %,d devices, %,.0f events/s (%.2f of jamwatch's measured capacity) for %d s%n",
        topology.key(), devices, rate, load, seconds);
    // The raw pass-through forwards the event itself; the others a JamRiskScore carrying its event time.
    java.util.function.ToLongFunction<byte[]> eventTime;
    if (topology == Topology.RAW) {
      AvroSerde<ScannerEvent> events = new AvroSerde<>(ScannerEvent.getClassSchema());
      eventTime = v -> events.decode(v).getEventTime().toEpochMilli();
    } else {
      AvroSerde<JamRiskScore> scores = new AvroSerde<>(JamRiskScore.getClassSchema());
      eventTime = v -> scores.decode(v).getEventTime().toEpochMilli();
    }
    BenchCorpus corpus = BenchCorpus.of(devices, 0);
    List<Long> lat = new ArrayList<>();
    List<Long> toAppend = new ArrayList<>();
    List<Long> toVisible = new ArrayList<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    long[] sent = new long[1];
    AtomicLong filled = new AtomicLong(Long.MAX_VALUE); // wall clock when the fill's scores were all read
    AtomicLong read = new AtomicLong(); // scores the probe has read
    double[] sendSeconds = new double[1];
    try (Started d = start(topology, cfg, baselineModel, new StreamMetrics());
        KafkaConsumer<String, byte[]> c = scoreConsumer(cfg.topics().scores())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (d.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(50));
      }
      Thread feed = new Thread(() -> {
        AvroSerde<ScannerEvent> serde = new AvroSerde<>(ScannerEvent.getClassSchema());
        try (KafkaProducer<String, byte[]> p = producer(broker.bootstrapServers(), FEED_LINGER_MS)) {
          // First one event per device, unpaced, so that the paced phase meets a store that knows
          // every device, as a running line's stream does (else, at 100,000 devices and a few
          // thousand events/s, nearly every timed event would be its device's first).
          for (long i = 0; i < devices; i++) {
            long now = System.currentTimeMillis();
            ScannerEvent e = corpus.event(i, now);
            p.send(new ProducerRecord<>(input, null, now, e.getDeviceId(), serde.encode(e)));
          }
          p.flush();
          // ... and wait until their scores are read, so that no backlog of the fill is timed
          long fillDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
          while (read.get() < devices && System.nanoTime() < fillDeadline) {
            LockSupport.parkNanos(10_000_000L);
          }
          filled.set(System.currentTimeMillis());
          long start = System.nanoTime();
          long total = (long) (rate * seconds);
          for (long i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            // Sleep, not spin, until the event is due: a spinning feed would take one of the
            // machine's cores from the stream thread and the broker it is meant to measure. A
            // late wake-up sends the events now due at once (the schedule, not the sleeps, sets the rate).
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            long now = System.currentTimeMillis();
            ScannerEvent e = corpus.event(devices + i, now);
            p.send(new ProducerRecord<>(input, null, now, e.getDeviceId(), serde.encode(e)));
            sent[0] = i + 1;
          }
          sendSeconds[0] = (System.nanoTime() - start) / 1e9;
        } finally {
          sending.set(false);
        }
      }, "latency-feed");
      long settle = Math.min(5_000, seconds * 200L);
      feed.start();
      long quietSince = System.nanoTime();
      long lastPrint = System.nanoTime();
      while (sending.get() || System.nanoTime() - quietSince < 3_000_000_000L) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          read.incrementAndGet();
          long t = eventTime.applyAsLong(r.value());
          if (t - settle >= filled.get()) {
            lat.add(now - t);
            toAppend.add(r.timestamp() - t);
            toVisible.add(now - r.timestamp());
          }
          quietSince = System.nanoTime();
        }
        if (System.nanoTime() - lastPrint > 5_000_000_000L) {
          console.printf(Locale.ROOT, "  latency: %,d events sent, %,d scores timed%n", sent[0], lat.size());
          lastPrint = System.nanoTime();
        }
      }
      feed.join();
    } finally {
      broker.deleteTopicsStartingWith(id + "-");
    }
    String commit = settings.streamSettings().getOrDefault("kafka.commit.interval.ms", "100 (exactly_once_v2 default)");
    return new Latency(topology, devices, rate, load, sent[0] / Math.max(1e-9, sendSeconds[0]), lat.size(),
        Spread.of(lat), Spread.of(toAppend), Spread.of(toVisible), commit);
  }

  static final int PROBE_FETCH_WAIT_MS = 10;
  /**
   * The paced feed's linger: as a gateway batches its scanners' events, so the broker is not sent
   * one request per event (with linger 0 the broker's request handling took the stream thread's
   * core at half capacity). Counted in the latency: events are stamped before the linger.
   */
  static final int FEED_LINGER_MS = 5;

  private KafkaConsumer<String, byte[]> scoreConsumer(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // The probe's own long poll must not add to what it measures: the broker answers a fetch at
    // once when committed data is there, else after at most this (the client default is 500 ms).
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(PROBE_FETCH_WAIT_MS));
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Bytes under {@code dir}. */
  static long sizeOf(Path dir) throws IOException {
    if (!Files.exists(dir)) return 0;
    try (var s = Files.walk(dir)) {
      long sum = 0;
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        try {
          sum += Files.size(p);
        } catch (java.nio.file.NoSuchFileException gone) {
          // RocksDB removed a file meanwhile
        }
      }
      return sum;
    }
  }

}
