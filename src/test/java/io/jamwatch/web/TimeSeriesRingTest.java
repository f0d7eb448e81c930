package io.jamwatch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimeSeriesRingTest {

  @Test
  void mergesPointsOfOneBucketKeepingTheMaximumForRisk() {
    TimeSeriesRing r = new TimeSeriesRing(10, 1000, TimeSeriesRing.Merge.MAX);
    r.add(1000, 0.2f);
    r.add(1500, 0.9f);
    r.add(1900, 0.1f);
    r.add(2100, 0.3f);
    Series s = r.snapshot();
    assertArrayEquals(new long[] {1900, 2100}, s.t());
    assertArrayEquals(new float[] {0.9f, 0.3f}, s.v());
  }

  @Test
  void mergesPointsOfOneBucketKeepingTheLatestForReadings() {
    TimeSeriesRing r = new TimeSeriesRing(10, 1000, TimeSeriesRing.Merge.LATEST);
    r.add(1000, 5f);
    r.add(1500, 7f);
    assertArrayEquals(new float[] {7f}, r.snapshot().v());
  }

  @Test
  void dropsTheOldestPointWhenFull() {
    TimeSeriesRing r = new TimeSeriesRing(3, 1, TimeSeriesRing.Merge.MAX);
    for (int i = 0; i < 5; i++) r.add(i * 10, i);
    assertArrayEquals(new long[] {20, 30, 40}, r.snapshot().t());
  }

  @Test
  void evictsPointsBeforeTheCutoff() {
    TimeSeriesRing r = new TimeSeriesRing(8, 1, TimeSeriesRing.Merge.MAX);
    for (int i = 0; i < 6; i++) r.add(i * 10, i);
    r.evictBefore(25);
    assertArrayEquals(new long[] {30, 40, 50}, r.snapshot().t());
    assertEquals(3, r.size());
  }

  @Test
  void keepsTimeOrderWhenAPointArrivesLate() {
    TimeSeriesRing r = new TimeSeriesRing(8, 1, TimeSeriesRing.Merge.MAX);
    r.add(100, 0.1f);
    r.add(50, 0.8f);
    Series s = r.snapshot();
    assertArrayEquals(new long[] {100}, s.t());
    assertArrayEquals(new float[] {0.8f}, s.v());
  }
}
