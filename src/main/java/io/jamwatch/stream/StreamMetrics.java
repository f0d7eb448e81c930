package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.ScoringModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The detector's Micrometer meters, exposed in Prometheus format by {@link #scrape()}:
 * {@code jamwatch_events_total} (rate = events/s), {@code jamwatch_step_seconds} (histogram of one
 * ScoringModel step), {@code jamwatch_dead_letters_total{reason}}, {@code
 * jamwatch_state_resets_total{cause}}, {@code jamwatch_evictions_total}, {@code
 * jamwatch_alerts_total{kind}}, {@code jamwatch_alert_outcomes_total{outcome}} (jam_followed,
 * no_jam: what followed each RAISED within the horizon) with the gauge {@code
 * jamwatch_alert_precision} (share of jam_followed over the last 100 outcomes), {@code jamwatch_score_percent} (histogram of published scores in
 * percent, buckets 10 .. 100), {@code jamwatch_explain_seconds} (one alert explanation), and the gauges {@code jamwatch_devices_held} and {@code
 * jamwatch_open_alerts} (recounted from the store by each task's wall-clock sweep).
 */
public final class StreamMetrics {

  /** Why a device's recurrent state restarted from the initial state. */
  public enum ResetCause {
    /** The stored state was written by another model (model swap). */
    MODEL_SWAP,
    /** The device was silent longer than the configured gap (event time). */
    SILENCE_GAP,
    /** The stored state has a version this code does not know. */
    UNKNOWN_VERSION
  }

  private final MeterRegistry registry;
  private final Counter events;
  private final Timer step;
  private final Counter evictions;
  private final Timer sweepSlices;
  private final Counter sweptDevices;
  private final java.util.concurrent.atomic.AtomicLong sweepSliceMaxNanos = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong sweepSliceMaxCpuNanos = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong sweepVisitMaxCpuNanos = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong sweepWriteMaxCpuNanos = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong sweepCpuTotalNanos = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong sweepSlicesOver10msCpu = new java.util.concurrent.atomic.AtomicLong();
  private final Timer explain;
  private final DistributionSummary scores;
  private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);
  private final Map<ResetCause, Counter> resets = new EnumMap<>(ResetCause.class);
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
  private final Counter jamFollowed;
  private final Counter noJam;
  /** The last {@link #PRECISION_WINDOW} outcomes (true = jam followed), a ring. */
  private final boolean[] recentOutcomes = new boolean[PRECISION_WINDOW];
  private int outcomeCount;
  /** Outcomes in the rolling precision gauge. */
  public static final int PRECISION_WINDOW = 100;
  /** Per task: {devices held, open alerts}, written by the task's sweep. */
  private final Map<String, long[]> perTask = new ConcurrentHashMap<>();
  /** The running topology's read cache (null: none), read by the two read-cache gauges. */
  private final java.util.concurrent.atomic.AtomicReference<CachedDeviceStore.Budget> readCache =
      new java.util.concurrent.atomic.AtomicReference<>();

  public StreamMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public StreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    events = Counter.builder("jamwatch_events").description("Events scored").register(registry);
    step =
        Timer.builder("jamwatch_step")
            .description("One DeviceScorer.apply (admission, encode, ONNX Runtime step, head, alert policy), sampled: 1 in " + STEP_SAMPLE + " events")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
    explain =
        Timer.builder("jamwatch_explain")
            .description("Occlusion explanation of one raised alert (one step per feature group)")
            .register(registry);
    // Fixed buckets so dashboards can draw the distribution of risk. Micrometer buckets summary
    // values at whole units (0.15 would count as <= 1), so scores are recorded in percent.
    scores =
        DistributionSummary.builder("jamwatch_score")
            .description("Scores published on the risk topic, in percent")
            .baseUnit("percent")
            .scale(100)
            .serviceLevelObjectives(10, 20, 30, 40, 50, 60, 70, 80, 90, 100)
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(100.0)
            .register(registry);
    sweepSlices =
        Timer.builder("jamwatch_sweep_slice")
            .description("One slice of the TTL/STALE/gauge sweep (bounded by state.sweep-batch and state.sweep-budget)")
            .register(registry);
    sweptDevices =
        Counter.builder("jamwatch_swept_devices").description("Device states visited by the sweep").register(registry);
    evictions =
        Counter.builder("jamwatch_evictions").description("Devices evicted by TTL").register(registry);
    for (RejectReason r : RejectReason.values()) {
      deadLetters.put(
          r, Counter.builder("jamwatch_dead_letters").tag("reason", r.name()).register(registry));
    }
    for (ResetCause c : ResetCause.values()) {
      resets.put(c, Counter.builder("jamwatch_state_resets").tag("cause", c.name()).register(registry));
    }
    Gauge.builder("jamwatch_devices_held", this, m -> m.devicesHeld()).register(registry);
    Gauge.builder("jamwatch_open_alerts", this, m -> m.openAlerts()).register(registry);
    Gauge.builder("jamwatch_read_cache_bytes", this, m -> m.readCacheBytes())
        .description("Heap held by the read cache over the RocksDB device store (state.read-cache-mb)").register(registry);
    Gauge.builder("jamwatch_read_cache_limit_bytes", this, m -> m.readCacheLimitBytes())
        .description("The read cache's budget (0: none)").register(registry);
    jamFollowed = Counter.builder("jamwatch_alert_outcomes").tag("outcome", "jam_followed")
        .description("Outcomes of raised alerts: a jam followed within the horizon, or none").register(registry);
    noJam = Counter.builder("jamwatch_alert_outcomes").tag("outcome", "no_jam")
        .description("Outcomes of raised alerts: a jam followed within the horizon, or none").register(registry);
    Gauge.builder("jamwatch_alert_precision", this, m -> m.rollingPrecision())
        .description("Share of the last " + PRECISION_WINDOW + " alert outcomes where a jam followed (NaN before the first)")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition, or empty when the registry is not a Prometheus one. */
  public String scrape() {
    return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
  }

  /**
   * One in this many events has its apply timed into {@code jamwatch_step}: a histogram timer per
   * event costs more than it tells, a counter per event costs nothing measurable.
   */
  public static final int STEP_SAMPLE = 64;

  /** One more event scored (a plain counter). */
  void event() {
    events.increment();
  }

  /** A sampled event's apply time (every {@link #STEP_SAMPLE}th event). */
  void stepped(long nanos) {
    step.record(nanos, TimeUnit.NANOSECONDS);
  }

  void scored(float score) {
    scores.record(score);
  }

  void explained(long nanos) {
    explain.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Explanations computed so far (one per raised alert). */
  public long explanations() {
    return explain.count();
  }

  void deadLetter(RejectReason r) {
    deadLetters.get(r).increment();
  }

  void reset(ResetCause c) {
    resets.get(c).increment();
  }

  void evicted() {
    evictions.increment();
  }

  /** One resolved alert outcome. */
  void outcome(boolean jam) {
    (jam ? jamFollowed : noJam).increment();
    synchronized (recentOutcomes) {
      recentOutcomes[outcomeCount % PRECISION_WINDOW] = jam;
      outcomeCount++;
    }
  }

  /** Share of jam-followed among the last {@link #PRECISION_WINDOW} outcomes; NaN before the first. */
  public double rollingPrecision() {
    synchronized (recentOutcomes) {
      int n = Math.min(outcomeCount, PRECISION_WINDOW);
      if (n == 0) {
        return Double.NaN;
      }
      int hits = 0;
      for (int i = 0; i < n; i++) {
        if (recentOutcomes[i]) hits++;
      }
      return (double) hits / n;
    }
  }

  /** Outcomes counted so far of one kind. */
  public double outcomesTotal(boolean jam) {
    return (jam ? jamFollowed : noJam).count();
  }

  void alert(String kind) {
    alerts
        .computeIfAbsent(kind, k -> Counter.builder("jamwatch_alerts").tag("kind", k).register(registry))
        .increment();
  }

  /**
   * One slice of the state sweep: its wall and stream-thread CPU time, the wall and CPU time of its
   * visiting (the rest is its writes: evictions and STALE alerts), and how many devices it visited.
   *
   * <p>Each part's CPU is taken as at most its wall time. One thread cannot use more CPU than the
   * time that passed, but the thread CPU clock of some VMs is charged in lumps: on the 2-core VM of
   * BENCHMARKS.md it ran up to 28 ms ahead of the wall clock over a fraction of a millisecond, while
   * a spin loop did nothing else. Such a lump is CPU spent before the slice (its events), not the
   * sweep's, and counted as the sweep's it made slices read over 10 ms of CPU that had taken 0.1 ms
   * of wall time.
   */
  void swept(long wallNanos, long visitWallNanos, long cpuNanos, long visitCpuNanos, int devices) {
    long visit = Math.max(0, Math.min(visitCpuNanos, visitWallNanos));
    long write = Math.max(0, Math.min(cpuNanos - visitCpuNanos, wallNanos - visitWallNanos));
    long cpu = visit + write;
    sweepSlices.record(wallNanos, TimeUnit.NANOSECONDS);
    sweptDevices.increment(devices);
    sweepSliceMaxNanos.accumulateAndGet(wallNanos, Math::max);
    sweepSliceMaxCpuNanos.accumulateAndGet(cpu, Math::max);
    sweepVisitMaxCpuNanos.accumulateAndGet(visit, Math::max);
    sweepWriteMaxCpuNanos.accumulateAndGet(write, Math::max);
    sweepCpuTotalNanos.addAndGet(cpu);
    if (cpu > 10_000_000L) sweepSlicesOver10msCpu.incrementAndGet();
  }

  /**
   * The sweep's slices since start: how many, how many used over 10 ms of stream-thread CPU, the
   * most CPU one slice spent visiting and (apart) writing, and the stream-thread CPU of all of them,
   * in ms.
   */
  public record SweepSlices(long slices, long over10msCpu, double maxVisitCpuMillis, double maxWriteCpuMillis,
      double totalCpuMillis) {}

  public SweepSlices sweepSlices() {
    return new SweepSlices(sweepSlices.count(), sweepSlicesOver10msCpu.get(), sweepVisitMaxCpuNanos.get() / 1e6,
        sweepWriteMaxCpuNanos.get() / 1e6, sweepCpuTotalNanos.get() / 1e6);
  }

  /** Longest sweep slice since start (ms of wall time: includes the thread being descheduled on a busy machine). */
  public double sweepSliceMaxMillis() {
    return sweepSliceMaxNanos.get() / 1e6;
  }

  /** Most stream-thread CPU time one sweep slice used since start (ms). */
  public double sweepSliceMaxCpuMillis() {
    return sweepSliceMaxCpuNanos.get() / 1e6;
  }

  public double sweptDevicesTotal() {
    return sweptDevices.count();
  }

  void taskCounts(String task, long devices, long openAlerts) {
    perTask.put(task, new long[] {devices, openAlerts});
  }

  void taskClosed(String task) {
    perTask.remove(task);
  }

  public double eventsTotal() {
    return events.count();
  }

  public double deadLettersTotal() {
    return deadLetters.values().stream().mapToDouble(Counter::count).sum();
  }

  public double deadLetters(RejectReason r) {
    return deadLetters.get(r).count();
  }

  public double resets(ResetCause c) {
    return resets.get(c).count();
  }

  public double evictionsTotal() {
    return evictions.count();
  }

  public double alertsTotal(String kind) {
    Counter c = alerts.get(kind);
    return c == null ? 0 : c.count();
  }

  /** The topology being built (or run) holds this read cache; null when it has none. */
  public void readCache(CachedDeviceStore.Budget budget) {
    readCache.set(budget);
  }

  public long readCacheBytes() {
    CachedDeviceStore.Budget b = readCache.get();
    return b == null ? 0 : b.used();
  }

  public long readCacheLimitBytes() {
    CachedDeviceStore.Budget b = readCache.get();
    return b == null ? 0 : b.bytes();
  }

  public long devicesHeld() {
    return perTask.values().stream().mapToLong(a -> a[0]).sum();
  }

  public long openAlerts() {
    return perTask.values().stream().mapToLong(a -> a[1]).sum();
  }

  /** Mean and 99th-percentile step latency in microseconds, from the histogram. */
  public double stepMeanMicros() {
    return step.mean(TimeUnit.MICROSECONDS);
  }
}
