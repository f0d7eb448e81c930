package io.jamwatch.stream.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What {@link StreamHarness} runs, checked when built; defaults in {@link #builder()}. {@code
 * streamSettings} are jamwatch config keys (as in a {@code run} config file: {@code
 * state.store=memory}, {@code model.runtime=...}, {@code kafka.commit.interval.ms=...}) applied to
 * every run of every topology, so any setting can be benched; the harness sets the topics, the
 * application id, the guarantee and the state dir itself.
 */
public record HarnessSettings(
    long events,
    long warmupEvents,
    int repeats,
    List<Integer> devices,
    List<String> guarantees,
    List<Topology> topologies,
    int partitions,
    Map<String, String> streamSettings,
    Path model,
    int latencySeconds,
    double latencyLoad,
    double latencyRate,
    Path out,
    int brokerHeapMb) {

  /** The topologies measured side by side (see {@link ReferenceTopologies}). */
  public enum Topology {
    RAW, BASELINE, JAMWATCH;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Topology parse(String s) {
      for (Topology t : values()) {
        if (t.key().equals(s.trim().toLowerCase(Locale.ROOT))) return t;
      }
      throw new IllegalArgumentException("unknown topology '" + s + "'; one of raw, baseline, jamwatch");
    }
  }

  public HarnessSettings {
    if (events < 10) throw new IllegalArgumentException("events must be >= 10, got " + events);
    if (warmupEvents < 0) throw new IllegalArgumentException("warm-up events must be >= 0");
    if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1");
    if (devices.isEmpty() || devices.stream().anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("device populations must be >= 1, got " + devices);
    }
    for (String g : guarantees) {
      if (!g.equals(StreamsConfig.EXACTLY_ONCE_V2) && !g.equals(StreamsConfig.AT_LEAST_ONCE)) {
        throw new IllegalArgumentException("guarantee '" + g + "' is not exactly_once_v2 or at_least_once");
      }
    }
    if (guarantees.isEmpty() || topologies.isEmpty()) {
      throw new IllegalArgumentException("at least one guarantee and one topology");
    }
    if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1");
    if (latencySeconds < 0) throw new IllegalArgumentException("latency seconds must be >= 0");
    if (!(latencyLoad > 0 && latencyLoad <= 1)) {
      throw new IllegalArgumentException("latency load must be in (0, 1] of the measured capacity, got " + latencyLoad);
    }
    if (!(latencyRate >= 0) || Double.isInfinite(latencyRate)) {
      throw new IllegalArgumentException("latency rate must be >= 0 events/s (0: --latency-load of the capacity), got " + latencyRate);
    }
    if (brokerHeapMb < 256) throw new IllegalArgumentException("broker heap must be >= 256 MB");
    Objects.requireNonNull(out, "out");
    devices = List.copyOf(devices);
    guarantees = List.copyOf(guarantees);
    topologies = List.copyOf(topologies);
    streamSettings = Collections.unmodifiableMap(new LinkedHashMap<>(streamSettings));
  }

  /** Reads a guarantee's short name: {@code eos} / {@code exactly_once_v2}, {@code alo} / {@code at_least_once}. */
  public static String guarantee(String s) {
    String g = s.trim().toLowerCase(Locale.ROOT);
    if (g.equals("eos") || g.equals(StreamsConfig.EXACTLY_ONCE_V2)) return StreamsConfig.EXACTLY_ONCE_V2;
    if (g.equals("alo") || g.equals(StreamsConfig.AT_LEAST_ONCE)) return StreamsConfig.AT_LEAST_ONCE;
    throw new IllegalArgumentException("unknown guarantee '" + s + "'; eos (exactly_once_v2) or alo (at_least_once)");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: 1M events a run, 200k warm-up, 3 repeats, 64 and 100,000 devices, both guarantees, the three topologies, 2 partitions, 30 s latency run at half capacity. */
  public static final class Builder {
    private long events = 1_000_000;
    private long warmupEvents = 200_000;
    private int repeats = 3;
    private List<Integer> devices = List.of(64, 100_000);
    private List<String> guarantees = List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);
    private List<Topology> topologies = List.of(Topology.RAW, Topology.BASELINE, Topology.JAMWATCH);
    private int partitions = 2;
    private final Map<String, String> streamSettings = new LinkedHashMap<>();
    private Path model;
    private int latencySeconds = 30;
    private double latencyLoad = 0.5;
    private double latencyRate = 0;
    private Path out = Path.of("runs/bench-stream");
    private int brokerHeapMb = 2048;

    public Builder events(long n) { this.events = n; return this; }
    public Builder warmupEvents(long n) { this.warmupEvents = n; return this; }
    public Builder repeats(int n) { this.repeats = n; return this; }
    public Builder devices(List<Integer> d) { this.devices = new ArrayList<>(d); return this; }
    public Builder guarantees(List<String> g) { this.guarantees = g.stream().map(HarnessSettings::guarantee).toList(); return this; }
    public Builder topologies(List<Topology> t) { this.topologies = new ArrayList<>(t); return this; }
    public Builder partitions(int p) { this.partitions = p; return this; }
    public Builder set(String key, String value) { this.streamSettings.put(key, value); return this; }
    public Builder model(Path m) { this.model = m; return this; }
    public Builder latencySeconds(int s) { this.latencySeconds = s; return this; }
    /** The latency run's rate as a fraction of jamwatch's measured exactly-once capacity (default 0.5). */
    public Builder latencyLoad(double f) { this.latencyLoad = f; return this; }
    /** A fixed rate for the latency run (events/s), so two settings are compared at the same load; 0 (default): {@link #latencyLoad}. */
    public Builder latencyRate(double r) { this.latencyRate = r; return this; }
    public Builder out(Path o) { this.out = o; return this; }
    public Builder brokerHeapMb(int mb) { this.brokerHeapMb = mb; return this; }

    public HarnessSettings build() {
      return new HarnessSettings(events, warmupEvents, repeats, devices, guarantees, topologies, partitions,
          streamSettings, model, latencySeconds, latencyLoad, latencyRate, out, brokerHeapMb);
    }
  }
}
