package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SweepSliceMetricsTest {
  private static final long MS = 1_000_000L;

  @Test
  void aSlicesCpuIsAtMostItsWallTimePartByPart() {
    StreamMetrics m = new StreamMetrics();
    // the thread CPU clock caught up by 10 ms during the visit: 15 ms of "CPU" in 5 ms of wall time
    m.swept(5 * MS, 4 * MS, 15 * MS, 14 * MS, 100);
    StreamMetrics.SweepSlices s = m.sweepSlices();
    assertEquals(4.0, s.maxVisitCpuMillis(), 1e-9);
    assertEquals(1.0, s.maxWriteCpuMillis(), 1e-9);
    assertEquals(5.0, s.totalCpuMillis(), 1e-9);
    assertEquals(5.0, m.sweepSliceMaxCpuMillis(), 1e-9);
    assertEquals(0, s.over10msCpu());
  }

  @Test
  void aSliceThatReallyUsesOver10msIsCounted() {
    StreamMetrics m = new StreamMetrics();
    m.swept(30 * MS, 20 * MS, 12 * MS, 9 * MS, 100); // descheduled for part of it: CPU below wall
    m.swept(2 * MS, 1 * MS, 2 * MS, 1 * MS, 10);
    StreamMetrics.SweepSlices s = m.sweepSlices();
    assertEquals(2, s.slices());
    assertEquals(1, s.over10msCpu());
    assertEquals(9.0, s.maxVisitCpuMillis(), 1e-9);
    assertEquals(3.0, s.maxWriteCpuMillis(), 1e-9);
    assertEquals(14.0, s.totalCpuMillis(), 1e-9);
    assertEquals(30.0, m.sweepSliceMaxMillis(), 1e-9);
  }
}
