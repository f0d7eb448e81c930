package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  private static final double EPS = 1e-12;

  @Test
  void averagePrecisionGroupsTiesIntoOneThreshold() {
    // scores 0.9(+) 0.8(-) 0.8(+) 0.3(-)
    // t=0.9: TP1 FP0 P=1   R=0.5
    // t=0.8: TP2 FP1 P=2/3 R=1     -> AP = 0.5*1 + 0.5*2/3 = 0.833333
    float[] s = {0.9f, 0.8f, 0.8f, 0.3f};
    boolean[] y = {true, false, true, false};
    assertEquals(0.5 + 0.5 * 2.0 / 3.0, RankingMetrics.averagePrecision(s, y), EPS);
    // the order of tied rows must not matter
    float[] s2 = {0.9f, 0.8f, 0.8f, 0.3f};
    boolean[] y2 = {true, true, false, false};
    assertEquals(0.5 + 0.5 * 2.0 / 3.0, RankingMetrics.averagePrecision(s2, y2), EPS);
  }

  @Test
  void rocAucCountsTiedPairsAsOneHalf() {
    // positives {0.9, 0.8}, negatives {0.8, 0.3}: pairs 1 + 1 + 0.5 + 1 = 3.5 of 4 = 0.875
    float[] s = {0.9f, 0.8f, 0.8f, 0.3f};
    boolean[] y = {true, false, true, false};
    assertEquals(0.875, RankingMetrics.rocAuc(s, y), EPS);
  }

  @Test
  void perfectAndInvertedRankings() {
    float[] s = {4, 3, 2, 1};
    assertEquals(1.0, RankingMetrics.averagePrecision(s, new boolean[] {true, true, false, false}), EPS);
    assertEquals(1.0, RankingMetrics.rocAuc(s, new boolean[] {true, true, false, false}), EPS);
    assertEquals(0.0, RankingMetrics.rocAuc(s, new boolean[] {false, false, true, true}), EPS);
    // inverted AP: t=2: P=1/3 R=.5; t=1: P=2/4 R=1 -> 0.5/3 + 0.5*0.5 = 0.416667
    assertEquals(0.5 / 3 + 0.25, RankingMetrics.averagePrecision(s, new boolean[] {false, false, true, true}), EPS);
  }

  @Test
  void constantScoreGivesPrevalenceAndHalf() {
    float[] s = {1, 1, 1, 1, 1};
    boolean[] y = {true, false, false, true, false};
    assertEquals(0.4, RankingMetrics.averagePrecision(s, y), EPS);
    assertEquals(0.5, RankingMetrics.rocAuc(s, y), EPS);
  }

  @Test
  void curveHasOnePointPerDistinctScore() {
    List<RankingMetrics.Point> c =
        RankingMetrics.curve(new float[] {0.2f, 0.5f, 0.5f, 0.9f}, new boolean[] {false, true, false, true});
    assertEquals(3, c.size());
    assertEquals(0.9, c.get(0).threshold(), 1e-6);
    assertEquals(2, c.get(1).tp() + c.get(1).fp() - 1);
  }

  @Test
  void noPositiveGivesNaN() {
    assertTrue(Double.isNaN(RankingMetrics.averagePrecision(new float[] {1, 2}, new boolean[] {false, false})));
    assertTrue(Double.isNaN(RankingMetrics.rocAuc(new float[] {1, 2}, new boolean[] {false, false})));
  }
}
