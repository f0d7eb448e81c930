package io.jamwatch.stream.bench;

import io.jamwatch.stream.Detector;
import io.jamwatch.stream.JamwatchTopology;
import io.jamwatch.stream.ReloadingModelProvider;
import io.jamwatch.stream.StreamConfig;
import io.jamwatch.stream.StreamMetrics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The scale benchmark ({@code jamwatch bench scale}): a large device population in one jamwatch
 * instance (one stream thread) against a broker in its own JVM.
 *
 * <ol>
 *   <li>{@code devices} scanners, {@code eventsPerDevice} events each, pre-produced: events/s while
 *       the store grows, stream-thread CPU per event, the longest sweep slice;
 *   <li>the store's logical size (UTF-8 key + stored value, read back through an interactive
 *       query) and the state directory's size on disk after a clean close, per device;
 *   <li>restore: the state directory wiped, a new instance with the same application id restores
 *       from the changelog; time from start to RUNNING and the restore listener's own time;
 *   <li>scale-out: one instance vs two (same JVM, one stream thread each, same application id) over
 *       the same pre-produced input, with the CPU of this JVM and of the broker, to show what
 *       limits the second instance on this machine.
 * </ol>
 */
public final class ScaleHarness {
  private final Settings s;
  private final PrintStream console;
  private final Path work;
  private BrokerProcess broker;
  private Path model;

  /** What the scale harness runs; {@code streamSettings} as in {@link HarnessSettings}. */
  public record Settings(int devices, int eventsPerDevice, int scaleOutDevices, long scaleOutEvents, int partitions,
      Map<String, String> streamSettings, Path model, Path out, int brokerHeapMb) {
    public Settings {
      if (devices < 1 || eventsPerDevice < 1) throw new IllegalArgumentException("devices and events per device must be >= 1");
      if (scaleOutEvents < 0 || scaleOutDevices < 1) throw new IllegalArgumentException("scale-out events must be >= 0 and devices >= 1");
      if (partitions < 2) throw new IllegalArgumentException("partitions must be >= 2 (two instances share them)");
      streamSettings = Map.copyOf(streamSettings);
    }
  }

  public ScaleHarness(Settings settings, PrintStream console) {
    this.s = settings;
    this.console = console;
    this.work = settings.out().resolve("work");
  }

  /** What the scale run measured, and its markdown section. */
  public record Report(long devices, double eventsPerSecond, double sweepSliceMaxMillis, double logicalBytesPerDevice,
      double diskBytesPerDevice, long restoredRecords, double restoreSeconds, double oneInstance, double twoInstances,
      String markdown) {}

  /** Runs everything against a broker of its own (a child JVM) and writes the results. */
  public Report run() throws Exception {
    return BrokerProcess.around(work, s.brokerHeapMb(), console, "bench scale", this::run);
  }

  /** Runs everything against {@code b} (whose topics it adds to) and writes the results. */
  public Report run(BrokerProcess b) throws Exception {
    long started = System.currentTimeMillis();
    String loadBefore = MachineInfo.loadAverage();
    Files.createDirectories(work);
    model = s.model() != null ? s.model() : BenchCorpus.randomModel(work);
    StringBuilder md = new StringBuilder();
    try {
      broker = b;
      long n = (long) s.devices() * s.eventsPerDevice();
      String input = "scale-in";
      b.createTopics(List.of(input), s.partitions());
      StreamHarness.produce(b.bootstrapServers(), input, BenchCorpus.of(s.devices(), n), n, console);

      // 1-2: fill the store, measure, size it
      String app = "scale-fill";
      Path state = work.resolve("state-" + app);
      StreamConfig cfg = config(app, input, state);
      StreamMetrics metrics = new StreamMetrics();
      RunMeter.Window fill;
      long storeBytes;
      long storeEntries;
      try (Detector d = new Detector(cfg, new ReloadingModelProvider(model, cfg.runtime()), metrics)) {
        d.start();
        fill = RunMeter.await(() -> (long) (metrics.eventsTotal() + metrics.deadLettersTotal()), n, app, b::cpuNanos,
            console, String.format(Locale.ROOT, "jamwatch eos %,d devices", s.devices()));
        long[] size = logicalSize(d.streams());
        storeEntries = size[0];
        storeBytes = size[1];
        // Leave the group on close, as a node being replaced would: otherwise the restarted
        // instance waits session.timeout.ms for this member to expire, and that is not restore time.
        d.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(60)));
      }
      long diskBytes = StreamHarness.sizeOf(state);
      long sstBytes = sstSize(state);
      console.printf(Locale.ROOT, "  store: %,d devices, %,d B logical, state dir %,d B (%,d B in SST files)%n",
          storeEntries, storeBytes, diskBytes, sstBytes);

      // 3: restore after a wiped state directory
      StreamHarness.deleteRecursively(state);
      console.println("restore: state directory wiped, restarting with the same application id");
      AtomicLong restored = new AtomicLong();
      AtomicLong restoreNanos = new AtomicLong();
      long t0 = System.nanoTime();
      double toRunning;
      try (Detector d = new Detector(cfg, new ReloadingModelProvider(model, cfg.runtime()), new StreamMetrics())) {
        d.streams().setGlobalStateRestoreListener(new StateRestoreListener() {
          private final Map<TopicPartition, Long> starts = new java.util.concurrent.ConcurrentHashMap<>();

          @Override
          public void onRestoreStart(TopicPartition tp, String store, long startOffset, long endOffset) {
            starts.put(tp, System.nanoTime());
          }

          @Override
          public void onBatchRestored(TopicPartition tp, String store, long batchEndOffset, long numRestored) {
            restored.addAndGet(numRestored);
          }

          @Override
          public void onRestoreEnd(TopicPartition tp, String store, long totalRestored) {
            Long st = starts.get(tp);
            if (st != null) restoreNanos.addAndGet(System.nanoTime() - st);
          }
        });
        d.start();
        long lastPrint = System.nanoTime();
        while (d.state() != KafkaStreams.State.RUNNING) {
          if (d.state() == KafkaStreams.State.ERROR || System.nanoTime() - t0 > Duration.ofMinutes(15).toNanos()) {
            throw new IllegalStateException("restore did not reach RUNNING: " + d.state());
          }
          Thread.sleep(20);
          if (System.nanoTime() - lastPrint > 5_000_000_000L) {
            console.printf(Locale.ROOT, "  restoring: %,d records%n", restored.get());
            lastPrint = System.nanoTime();
          }
        }
        toRunning = (System.nanoTime() - t0) / 1e9;
      }
      console.printf(Locale.ROOT, "  restored %,d records, RUNNING after %.1f s%n", restored.get(), toRunning);
      StreamHarness.deleteRecursively(state);
      b.deleteTopicsStartingWith(app + "-");

      md.append(String.format(Locale.ROOT,
          "Measured %s UTC on %s; load average %s at the start, %s at the end. Broker in its own JVM, %d partitions, "
              + "jamwatch exactly_once_v2, one stream thread; settings %s.%n%n",
          java.time.Instant.ofEpochMilli(started).toString().substring(0, 16).replace('T', ' '), MachineInfo.describe(),
          loadBefore, MachineInfo.loadAverage(), s.partitions(), s.streamSettings().isEmpty() ? "defaults" : s.streamSettings()));
      md.append("| measure | value |\n|---|---:|\n");
      md.append(String.format(Locale.ROOT, "| devices in one instance | %,d |%n", storeEntries));
      md.append(String.format(Locale.ROOT, "| events (%d per device), events/s over 10-100 %% | %,d, %,.0f |%n", s.eventsPerDevice(), n, fill.eventsPerSecond()));
      md.append(String.format(Locale.ROOT, "| stream-thread CPU per event | %.1f us |%n", fill.streamCpuMicrosPerEvent()));
      md.append(String.format(Locale.ROOT, "| longest sweep slice: wall (stream-thread CPU) | %.1f ms (%.1f ms) |%n",
          metrics.sweepSliceMaxMillis(), metrics.sweepSliceMaxCpuMillis()));
      StreamMetrics.SweepSlices slices = metrics.sweepSlices();
      md.append(String.format(Locale.ROOT, "| sweep slices over 10 ms of CPU; most CPU a slice spent visiting, writing | %,d of %,d; %.1f ms, %.1f ms |%n",
          slices.over10msCpu(), slices.slices(), slices.maxVisitCpuMillis(), slices.maxWriteCpuMillis()));
      md.append(String.format(Locale.ROOT, "| store, logical (key + value) per device | %.0f B |%n", (double) storeBytes / Math.max(1, storeEntries)));
      md.append(String.format(Locale.ROOT, "| state directory on disk per device (all files / SST only) | %.0f B / %.0f B |%n",
          (double) diskBytes / Math.max(1, storeEntries), (double) sstBytes / Math.max(1, storeEntries)));
      md.append(String.format(Locale.ROOT, "| restore after a wiped state dir: start to RUNNING (restore listener) | %.1f s (%.1f s, %,d records) |%n",
          toRunning, restoreNanos.get() / 1e9, restored.get()));

      // 4: one instance vs two
      double[] one = {Double.NaN, Double.NaN, Double.NaN};
      double[] two = one;
      if (s.scaleOutEvents() > 0) {
        String in2 = "scale-out-in";
        b.createTopics(List.of(in2), s.partitions());
        StreamHarness.produce(b.bootstrapServers(), in2, BenchCorpus.of(s.scaleOutDevices(), s.scaleOutEvents()), s.scaleOutEvents(), console);
        one = instances(1, in2);
        two = instances(2, in2);
        md.append(String.format(Locale.ROOT, "| one instance vs two, %,d devices, %,d events: events/s | %,.0f vs %,.0f (%.2fx) |%n",
            s.scaleOutDevices(), s.scaleOutEvents(), one[0], two[0], two[0] / one[0]));
        md.append(String.format(Locale.ROOT, "| cores busy over the window, one vs two instances (this JVM + broker) | %.2f + %.2f vs %.2f + %.2f |%n",
            one[1], one[2], two[1], two[2]));
      }
      Files.writeString(s.out().resolve("results.md"), md.toString());
      return new Report(storeEntries, fill.eventsPerSecond(), metrics.sweepSliceMaxMillis(),
          (double) storeBytes / Math.max(1, storeEntries), (double) diskBytes / Math.max(1, storeEntries), restored.get(),
          toRunning, one[0], two[0], md.toString());
    } finally {
      broker = null;
    }
  }

  private StreamConfig config(String app, String input, Path state) {
    broker.createTopics(List.of(app + "-scores", app + "-alerts", app + "-dlq"), s.partitions());
    return StreamHarness.config(s.streamSettings(), broker.bootstrapServers(), app, input, StreamsConfig.EXACTLY_ONCE_V2,
        model, state);
  }

  /** events/s of {@code k} instances together, and the cores this JVM and the broker kept busy meanwhile. */
  private double[] instances(int k, String input) throws Exception {
    String app = "scale-x" + k;
    console.printf("scale-out: %d instance(s) of one stream thread%n", k);
    Detector[] ds = new Detector[k];
    StreamMetrics[] ms = new StreamMetrics[k];
    try {
      for (int i = 0; i < k; i++) {
        Map<String, String> user = new LinkedHashMap<>(s.streamSettings());
        StreamConfig c = StreamHarness.config(user, broker.bootstrapServers(), app, input, StreamsConfig.EXACTLY_ONCE_V2,
            model, work.resolve("state-" + app + "-" + i));
        if (i == 0) broker.createTopics(List.of(app + "-scores", app + "-alerts", app + "-dlq"), s.partitions());
        // one client id per instance: the meter finds both instances' stream threads by the common prefix
        c = c.withKafka(Map.of("client.id", app + "-" + i));
        ms[i] = new StreamMetrics();
        ds[i] = new Detector(c, new ReloadingModelProvider(model, c.runtime()), ms[i]);
      }
      for (Detector d : ds) d.start();
      RunMeter.Window w = RunMeter.await(() -> {
        long sum = 0;
        for (StreamMetrics m : ms) sum += (long) (m.eventsTotal() + m.deadLettersTotal());
        return sum;
      }, s.scaleOutEvents(), app, broker::cpuNanos, console, k + " instance(s)");
      return new double[] {w.eventsPerSecond(), w.jvmCpuNanos() / 1e9 / w.seconds(), w.brokerCpuNanos() / 1e9 / w.seconds()};
    } finally {
      for (Detector d : ds) {
        if (d != null) d.close();
      }
      broker.deleteTopicsStartingWith(app + "-");
      for (int i = 0; i < k; i++) StreamHarness.deleteRecursively(work.resolve("state-" + app + "-" + i));
    }
  }

  /** Entries and bytes (UTF-8 key + stored value) of the device store, read through an interactive query. */
  private static long[] logicalSize(KafkaStreams streams) {
    ReadOnlyKeyValueStore<String, byte[]> store =
        streams.store(StoreQueryParameters.fromNameAndType(JamwatchTopology.STORE, QueryableStoreTypes.keyValueStore()));
    long bytes = 0;
    long n = 0;
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        bytes += kv.key.getBytes(StandardCharsets.UTF_8).length + kv.value.length; // DeviceStateCodec bytes as stored
        n++;
      }
    }
    return new long[] {n, bytes};
  }

  private static long sstSize(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) return 0;
    try (var st = Files.walk(dir)) {
      long sum = 0;
      for (Path p : st.filter(p -> p.toString().endsWith(".sst")).toList()) sum += Files.size(p);
      return sum;
    }
  }
}
