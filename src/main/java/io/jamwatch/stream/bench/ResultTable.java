package io.jamwatch.stream.bench;

import io.jamwatch.stream.bench.HarnessSettings.Topology;
import io.jamwatch.stream.bench.StreamHarness.Latency;
import io.jamwatch.stream.bench.StreamHarness.Result;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/** The harness's results as a markdown section for BENCHMARKS.md and as CSV. */
final class ResultTable {
  static final String RUNS_CSV_HEADER =
      "topology,guarantee,devices,repeat,events,seconds,events_per_s,stream_cpu_us_per_event,jvm_cpu_us_per_event,broker_cpu_us_per_event,sweep_slice_max_ms,sweep_slice_max_cpu_ms,sweep_cpu_us_per_event,model_runtime,sweep_visit_max_cpu_ms,sweep_write_max_cpu_ms,sweep_slices,sweep_slices_over_10ms_cpu\n";

  private ResultTable() {}

  static String runsCsvRow(Result r) {
    RunMeter.Window w = r.window();
    StreamHarness.Sweep sw = r.sweep();
    return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.3f,%.1f,%.2f,%.2f,%.2f,%.2f,%.2f,%.3f,%s,%.2f,%.2f,%d,%d%n", r.topology().key(),
        r.guarantee(), r.devices(), r.repeat(), w.events(), w.seconds(), w.eventsPerSecond(), w.streamCpuMicrosPerEvent(),
        w.jvmCpuMicrosPerEvent(), w.brokerCpuMicrosPerEvent(), r.sweepMaxMillis(), r.sweepMaxCpuMillis(),
        r.sweepCpuMicrosPerEvent(), r.runtime(), sw.maxVisitCpuMillis(), sw.maxWriteCpuMillis(), sw.sliceCount(),
        sw.slicesOver10msCpu());
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  /** The largest of a figure over runs, ignoring the runs that do not have it (NaN); NaN if none has. */
  private static double maxOf(List<Result> runs, java.util.function.ToDoubleFunction<Result> figure) {
    return runs.stream().mapToDouble(figure).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
  }

  /** One row per population, guarantee and topology. */
  record Row(int devices, String guarantee, Topology topology, int runs, double minRate, double medianRate,
      double streamCpu, double jvmCpu, double brokerCpu, double sweepMax, double sweepMaxCpu, double sweepCpu,
      double sweepVisitMaxCpu, double sweepWriteMaxCpu, long sweepSlices, long sweepSlicesOver10msCpu) {}

  static List<Row> rows(List<Result> results) {
    return results.stream()
        .map(r -> List.of(r.devices(), r.guarantee(), r.topology()))
        .distinct()
        .map(k -> {
          List<Result> g = results.stream()
              .filter(r -> r.devices() == (int) k.get(0) && r.guarantee().equals(k.get(1)) && r.topology() == k.get(2))
              .toList();
          double[] rate = g.stream().mapToDouble(r -> r.window().eventsPerSecond()).toArray();
          return new Row((int) k.get(0), (String) k.get(1), (Topology) k.get(2), g.size(), min(rate), median(rate),
              median(g.stream().mapToDouble(r -> r.window().streamCpuMicrosPerEvent()).toArray()),
              median(g.stream().mapToDouble(r -> r.window().jvmCpuMicrosPerEvent()).toArray()),
              median(g.stream().mapToDouble(r -> r.window().brokerCpuMicrosPerEvent()).toArray()),
              maxOf(g, Result::sweepMaxMillis),
              maxOf(g, Result::sweepMaxCpuMillis),
              median(g.stream().mapToDouble(Result::sweepCpuMicrosPerEvent).filter(x -> !Double.isNaN(x)).toArray()),
              maxOf(g, r -> r.sweep().maxVisitCpuMillis()),
              maxOf(g, r -> r.sweep().maxWriteCpuMillis()),
              g.stream().mapToLong(r -> r.sweep().sliceCount()).sum(),
              g.stream().mapToLong(r -> r.sweep().slicesOver10msCpu()).sum());
        })
        .toList();
  }

  static String summaryCsv(List<Result> results) {
    StringBuilder b = new StringBuilder(
        "devices,guarantee,topology,runs,min_events_per_s,median_events_per_s,stream_cpu_us_per_event,jvm_cpu_us_per_event,broker_cpu_us_per_event,sweep_slice_max_ms,sweep_slice_max_cpu_ms\n");
    for (Row r : rows(results)) {
      b.append(String.format(Locale.ROOT, "%d,%s,%s,%d,%.1f,%.1f,%.2f,%.2f,%.2f,%.2f,%.2f%n", r.devices(), r.guarantee(),
          r.topology().key(), r.runs(), r.minRate(), r.medianRate(), r.streamCpu(), r.jvmCpu(), r.brokerCpu(), r.sweepMax(),
          r.sweepMaxCpu()));
    }
    return b.toString();
  }

  private static Row find(List<Row> rows, int devices, String g, Topology t) {
    return rows.stream().filter(r -> r.devices() == devices && r.guarantee().equals(g) && r.topology() == t).findFirst().orElse(null);
  }

  static String markdown(HarnessSettings s, List<Result> results, List<Latency> latencies, long startedMillis, String loadBefore, String loadAfter) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Measured %s to %s on %s; load average (1/5/15 min) %s at the start, %s at the end.%n",
        Instant.ofEpochMilli(startedMillis).toString().substring(0, 16).replace('T', ' '),
        Instant.now().toString().substring(11, 16), MachineInfo.describe(), loadBefore, loadAfter));
    b.append(String.format(Locale.ROOT,
        "Broker in its own JVM; %,d events a run (pre-produced), %,d warm-up events per topology and guarantee, %d repeat(s) interleaved, "
            + "%d partitions, 1 stream thread; settings %s. Events/s over 10 %%-100 %% of the input; CPU in microseconds per event "
            + "(stream thread by ThreadMXBean; whole harness JVM; broker process).%n%n",
        s.events(), s.warmupEvents(), s.repeats(), s.partitions(), s.streamSettings().isEmpty() ? "defaults" : s.streamSettings()));
    b.append("| devices | guarantee | topology | events/s min | events/s median | stream-thread CPU us/event | JVM CPU us/event | broker CPU us/event | jamwatch / baseline | jamwatch / raw |\n");
    b.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Row> rows = rows(results);
    for (Row r : rows) {
      String vsBase = "";
      String vsRaw = "";
      if (r.topology() == Topology.JAMWATCH) {
        Row base = find(rows, r.devices(), r.guarantee(), Topology.BASELINE);
        Row raw = find(rows, r.devices(), r.guarantee(), Topology.RAW);
        vsBase = base == null ? "" : String.format(Locale.ROOT, "%.2f", r.medianRate() / base.medianRate());
        vsRaw = raw == null ? "" : String.format(Locale.ROOT, "%.2f", r.medianRate() / raw.medianRate());
      }
      b.append(String.format(Locale.ROOT, "| %,d | %s | %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %s | %s |%n", r.devices(),
          r.guarantee(), r.topology().key(), r.minRate(), r.medianRate(), r.streamCpu(), r.jvmCpu(), r.brokerCpu(), vsBase, vsRaw));
    }
    rows.stream().filter(r -> r.topology() == Topology.JAMWATCH && !Double.isNaN(r.sweepMax())).forEach(r ->
        b.append(String.format(Locale.ROOT,
            "%nLongest sweep slice, jamwatch, %,d devices, %s: %.1f ms wall, %.1f ms of stream-thread CPU (the most one slice spent "
                + "visiting: %.1f ms, writing: %.1f ms; %,d of %,d slices over 10 ms of CPU); the sweep's CPU over a run: %.2f us per event (median).",
            r.devices(), r.guarantee(), r.sweepMax(), r.sweepMaxCpu(), r.sweepVisitMaxCpu(), r.sweepWriteMaxCpu(),
            r.sweepSlicesOver10msCpu(), r.sweepSlices(), r.sweepCpu())));
    b.append('\n');
    if (!latencies.isEmpty()) {
      Latency l0 = latencies.get(0);
      b.append(String.format(Locale.ROOT,
          "%nEvent-to-output latency under exactly_once_v2, %,d devices, each topology paced at %,.0f events/s (%.2f of jamwatch's median "
              + "capacity), commit.interval.ms %s; after one unpaced event per device; feed linger.ms %d, read_committed probe with "
              + "fetch.max.wait.ms %d. Split at the broker's append of the output (LogAppendTime): event to appended, appended to read (the commit).%n%n",
          l0.devices(), l0.rate(), l0.load(), l0.commitInterval(), StreamHarness.FEED_LINGER_MS, StreamHarness.PROBE_FETCH_WAIT_MS));
      b.append("| topology | achieved events/s | outputs timed | p50 ms | p99 ms | max ms | event to appended p50 / p99 | appended to read p50 / p99 |\n");
      b.append("|---|---:|---:|---:|---:|---:|---|---|\n");
      for (Latency l : latencies) {
        b.append(String.format(Locale.ROOT, "| %s | %,.0f | %,d | %.0f | %.0f | %.0f | %.0f / %.0f | %.0f / %.0f |%n", l.topology().key(),
            l.achievedRate(), l.samples(), l.p50(), l.p99(), l.max(), l.toAppend().p50(), l.toAppend().p99(), l.toVisible().p50(),
            l.toVisible().p99()));
      }
    }
    return b.toString();
  }


}
