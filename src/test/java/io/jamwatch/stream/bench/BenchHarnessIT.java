package io.jamwatch.stream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harnesses run end to end on a tiny configuration: a broker in a child JVM, the three
 * topologies, the latency run; the scale run's fill, restore and scale-out. No assertion on speed:
 * only that every part ran, measured something and wrote its files.
 */
class BenchHarnessIT {
  @TempDir static Path shared;
  @TempDir Path dir;
  private static BrokerProcess broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = BrokerProcess.start(shared.resolve("broker"), 512);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void streamHarnessRunsTheThreeTopologiesAndTheLatencyRun() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    HarnessSettings s = HarnessSettings.builder()
        .events(2_000).warmupEvents(0).repeats(1).devices(List.of(40))
        .guarantees(List.of("eos")).latencySeconds(2).partitions(2)
        .set("state.store", "memory") // any jamwatch key passes through
        .set("model.runtime", "java") // and the model is stepped as it says
        .out(dir.resolve("stream")).brokerHeapMb(512).build();
    StreamHarness.Report r = new StreamHarness(s, new PrintStream(console, true, StandardCharsets.UTF_8)).run(broker);

    assertEquals(Set.of(HarnessSettings.Topology.values()),
        r.results().stream().map(StreamHarness.Result::topology).collect(Collectors.toSet()));
    for (StreamHarness.Result x : r.results()) {
      assertEquals(StreamsConfig.EXACTLY_ONCE_V2, x.guarantee());
      assertTrue(x.window().events() >= 1_800, x.toString());
      assertTrue(x.window().eventsPerSecond() > 0, "events/s measured: " + x);
      // The stream thread is found by name (its CPU over a 2,000-event window can read 0 ns on a
      // kernel that accounts CPU in 10 ms ticks, so the count is checked, not the CPU).
      assertEquals(1, x.window().streamThreads(), "stream thread found: " + x);
      assertTrue(x.window().streamCpuNanos() >= 0, "stream thread CPU read: " + x);
      assertEquals(x.topology() == HarnessSettings.Topology.JAMWATCH ? "java" : "", x.runtime(), "runtime: " + x);
      assertEquals(x.topology() == HarnessSettings.Topology.JAMWATCH, !Double.isNaN(x.sweepCpuMicrosPerEvent()),
          "the sweep's CPU is jamwatch's only: " + x);
    }
    // One latency run per topology, at the same rate: raw's output is the event itself, the others' a score.
    assertEquals(List.of(HarnessSettings.Topology.values()),
        r.latencies().stream().map(StreamHarness.Latency::topology).toList(), "latency runs: " + r.latencies());
    for (StreamHarness.Latency l : r.latencies()) {
      assertTrue(l.samples() > 0, "latency run timed outputs: " + l);
      assertEquals(r.latencies().get(0).rate(), l.rate(), "same rate for every topology: " + l);
      // The split is at the broker's append time, not the event's own (which would read 0 ms before
      // the append, every time: the feed lingers 5 ms).
      assertTrue(l.toAppend().max() > 0 && l.toVisible().p50() >= 0, "latency split: " + l);
    }
    assertTrue(r.markdown().contains("| jamwatch | ") && r.markdown().contains("| raw | "), r.markdown());
    assertTrue(r.markdown().contains("| 40 | exactly_once_v2 | jamwatch |"), r.markdown());
    assertEquals(4, Files.readAllLines(dir.resolve("stream/runs.csv")).size(), "header + 3 runs");
    assertTrue(Files.exists(dir.resolve("stream/results.md")) && Files.exists(dir.resolve("stream/summary.csv")));
    assertTrue(Files.size(broker.log()) > 0, "the broker logs to its file");
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("[3/3]"), "progress lines");
  }

  @Test
  void scaleHarnessFillsRestoresAndScalesOut() throws Exception {
    ScaleHarness.Settings s = new ScaleHarness.Settings(300, 2, 100, 1_000, 2, java.util.Map.of(), null,
        dir.resolve("scale"), 512);
    ScaleHarness.Report r = new ScaleHarness(s, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(broker);
    assertEquals(300, r.devices());
    assertTrue(r.logicalBytesPerDevice() > 100 && r.diskBytesPerDevice() > 0, r.toString());
    assertTrue(r.restoredRecords() >= 300, "restored from the changelog: " + r);
    assertTrue(r.oneInstance() > 0 && r.twoInstances() > 0, r.toString());
    assertTrue(Files.readString(dir.resolve("scale/results.md")).contains("restore"));
  }
}
