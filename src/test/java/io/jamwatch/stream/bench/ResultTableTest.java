package io.jamwatch.stream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.stream.StreamMetrics;
import io.jamwatch.stream.bench.HarnessSettings.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private static final RunMeter.Window WINDOW = new RunMeter.Window(900, 0.01, 9_000_000L, 12_000_000L, 4_000_000L, 1);

  private static StreamHarness.Result jamwatch(int repeat, double visit, double write, long slices, long over) {
    StreamMetrics.SweepSlices s = new StreamMetrics.SweepSlices(slices, over, visit, write, 2.0);
    return new StreamHarness.Result(Topology.JAMWATCH, "exactly_once_v2", 100, repeat, WINDOW,
        new StreamHarness.Sweep(visit + write + 1, visit + write, s, 1000), "java");
  }

  @Test
  void theSweepsSplitReachesTheRunsRowAndTheSummaryLine() {
    StreamHarness.Result r = jamwatch(1, 4.5, 6.25, 40, 1);
    String row = ResultTable.runsCsvRow(r);
    assertEquals(ResultTable.RUNS_CSV_HEADER.split(",").length, row.split(",").length, row);
    assertTrue(row.endsWith(",java,4.50,6.25,40,1\n"), row);
    assertEquals(2.0, r.sweepCpuMicrosPerEvent(), 1e-12, "2 ms of sweep CPU over 1,000 events");

    // two repeats: the most one slice spent visiting and writing over both, the slices summed
    List<StreamHarness.Result> both = List.of(r, jamwatch(2, 5.5, 1.0, 60, 0));
    ResultTable.Row summary = ResultTable.rows(both).get(0);
    assertEquals(5.5, summary.sweepVisitMaxCpu());
    assertEquals(6.25, summary.sweepWriteMaxCpu());
    assertEquals(100, summary.sweepSlices());
    assertEquals(1, summary.sweepSlicesOver10msCpu());
  }

  @Test
  void topologiesThatSweepNothingReportNoSweep() {
    StreamHarness.Result r = new StreamHarness.Result(Topology.BASELINE, "exactly_once_v2", 100, 1, WINDOW,
        StreamHarness.Sweep.NONE, "");
    assertTrue(Double.isNaN(r.sweepCpuMicrosPerEvent()) && Double.isNaN(r.sweepMaxCpuMillis()), r.toString());
    assertTrue(ResultTable.runsCsvRow(r).endsWith(",,NaN,NaN,0,0\n"), ResultTable.runsCsvRow(r));
  }
}
