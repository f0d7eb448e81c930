package io.jamwatch.eval.nab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NabScorerTest {

  private static final NabProfile STANDARD = NabProfile.defaults().get(0);
  private static final double EPS = 1e-9;

  // s(y) = 2 sigmoid(-5y) - 1:  s(-1) = 0.98661429815, s(-0.5) = 0.84828363996, s(1) = -0.98661429815
  private static final double S_MINUS_HALF_OVER_S_MINUS_ONE = 0.8597925669097837;
  private static final double FP_AT_ONE_WIDTH = -0.11 * 0.9866142981514303;

  /** 20 rows one minute apart; window rows 10..13 (width 4). Probation = floor(0.15*20) = 3 rows. */
  private static NabSeries twentyRows() {
    long[] ts = new long[20];
    for (int i = 0; i < 20; i++) {
      ts[i] = i * 60_000L;
    }
    return new NabSeries(
        "toy/a.csv", ts, new double[20], List.of(new NabSeries.Window(ts[10], ts[13])));
  }

  /** Row 1 (probation) 0.9, row 5 (before window) 0.8, row 12 0.7, row 16 0.6, row 10 0.5. */
  private static double[] detectorScores() {
    double[] s = new double[20];
    s[1] = 0.9;
    s[5] = 0.8;
    s[12] = 0.7;
    s[16] = 0.6;
    s[10] = 0.5;
    return s;
  }

  @Test
  void scaledSigmoidMatchesNabDocumentedValues() {
    // sweeper.py docstring: -1 -> 0.98661, -0.5 -> 0.84828, 0 -> 0, 1 -> -0.98661; >= 3 -> -1
    assertEquals(0.98661, NabScorer.scaledSigmoid(-1.0), 1e-5);
    assertEquals(0.84828, NabScorer.scaledSigmoid(-0.5), 1e-5);
    assertEquals(0.0, NabScorer.scaledSigmoid(0.0), EPS);
    assertEquals(-0.98661, NabScorer.scaledSigmoid(1.0), 1e-5);
    assertEquals(-1.0, NabScorer.scaledSigmoid(3.0), EPS);
  }

  @Test
  void probationIsFifteenPercentCappedAt750Rows() {
    assertEquals(3.0, NabScorer.probationaryLength(20), EPS); // floor(3.0)
    assertEquals(3.0, NabScorer.probationaryLength(26), EPS); // floor(3.9)
  }

  @Test
  void probationCapAppliesOnlyAboveFiveThousandRows() {
    assertEquals(604.0, NabScorer.probationaryLength(4032), EPS);
    assertEquals(750.0, NabScorer.probationaryLength(5000), EPS);
    assertEquals(750.0, NabScorer.probationaryLength(15831), EPS);
  }

  @Test
  void sweepScoresEveryDistinctThresholdAsWorkedByHand() {
    List<NabScorer.ThresholdScore> sweep =
        NabScorer.scoreByThreshold(List.of(twentyRows()), List.of(detectorScores()), STANDARD);
    // 1.1: nothing detected: window missed = -1.
    // 0.8: + row 5, before any window: -0.11            -> -1.11
    // 0.7: + row 12, pos -(13-12+1)/4 = -0.5 -> 0.85979 replaces -1  -> 0.74979
    // 0.6: + row 16, pos |13-16|/(4-1) = 1 -> 0.11*s(1) = -0.10853  -> 0.64127
    // 0.5: + row 10 (window start, pos -1) -> window best 1.0       -> 0.78147
    // 0.0: every other scorable row detected as well.
    // Row 1 (0.9) is probationary: no threshold entry of its own.
    double[] thresholds = sweep.stream().mapToDouble(NabScorer.ThresholdScore::threshold).toArray();
    assertArrayEquals(new double[] {1.1, 0.8, 0.7, 0.6, 0.5, 0.0}, thresholds, EPS);
    assertEquals(-1.0, sweep.get(0).score(), EPS);
    assertEquals(-1.11, sweep.get(1).score(), EPS);
    assertEquals(-0.11 + S_MINUS_HALF_OVER_S_MINUS_ONE, sweep.get(2).score(), EPS);
    assertEquals(-0.11 + S_MINUS_HALF_OVER_S_MINUS_ONE + FP_AT_ONE_WIDTH, sweep.get(3).score(), EPS);
    assertEquals(-0.11 + 1.0 + FP_AT_ONE_WIDTH, sweep.get(4).score(), EPS);
    // counts at 0.5: tp 2 (rows 10, 12), fp 2 (rows 5, 16), 17 scorable rows, 4 in the window
    NabScorer.ThresholdScore t = sweep.get(4);
    assertEquals(2, t.tp());
    assertEquals(2, t.fp());
    assertEquals(2, t.fn());
    assertEquals(11, t.tn());
  }

  @Test
  void optimiserPicksBestThresholdAndNormalisesWithNullDetector() {
    NabScorer.ProfileResult r =
        NabScorer.score(List.of(twentyRows()), List.of(detectorScores()), STANDARD, 1);
    assertEquals(0.5, r.best().threshold(), EPS);
    assertEquals(0.781472427203, r.best().score(), 1e-9);
    // Null detector (constant score): either nothing detected (-1) or every scorable row detected:
    // 7 rows before the window (3..9) at -0.11 = -0.77, the window start 1.0, and rows 14..19 at
    // 0.11*s(k/3), k = 1..6: -0.11*(0.682262+0.931110+0.986614+0.997458+0.999519+0.999909)
    // = -0.615656, total -0.385656 > -1. So S_null = -0.385656.
    assertEquals(-0.385655946990, r.nullScore(), 1e-9);
    assertEquals(1.0, r.perfectScore(), EPS);
    // 100 * (0.781472 + 0.385656) / (1 + 0.385656) = 84.2293
    assertEquals(84.2293, r.normalised(), 1e-4);
  }

  @Test
  void lowFnProfileDoublesTheMissCost() {
    NabProfile lowFn = NabProfile.defaults().get(2);
    List<NabScorer.ThresholdScore> sweep =
        NabScorer.scoreByThreshold(List.of(twentyRows()), List.of(detectorScores()), lowFn);
    assertEquals(-2.0, sweep.get(0).score(), EPS);
    assertEquals(-2.11, sweep.get(1).score(), EPS);
  }

  @Test
  void windowInsideProbationIsNotCountedAsMissed() {
    long[] ts = new long[40];
    for (int i = 0; i < 40; i++) {
      ts[i] = i * 1000L;
    }
    // probation = floor(6.0) = 6 rows; window rows 2..4 lies inside it.
    NabSeries s = new NabSeries("toy/p.csv", ts, new double[40], List.of(new NabSeries.Window(2000, 4000)));
    double[] none = new double[40];
    List<NabScorer.ThresholdScore> sweep = NabScorer.scoreByThreshold(List.of(s), List.of(none), STANDARD);
    assertEquals(0.0, sweep.get(0).score(), EPS); // no -fn for a window with no scorable row
    // All 34 scorable rows at 0.0 detected: each at 0.11*s(|4-i|/2), i = 6..39
    double expected = 0;
    for (int i = 6; i < 40; i++) {
      expected += 0.11 * NabScorer.scaledSigmoid(Math.abs(4 - i) / 2.0);
    }
    assertEquals(expected, sweep.get(1).score(), EPS);
  }

  @Test
  void tiedBestScoreKeepsTheHigherThreshold() {
    long[] ts = new long[20];
    for (int i = 0; i < 20; i++) {
      ts[i] = i;
    }
    NabSeries s = new NabSeries("toy/t.csv", ts, new double[20], List.of(new NabSeries.Window(10, 13)));
    double[] sc = new double[20];
    sc[10] = 0.9; // window start: best 1.0 -> score 1.0
    sc[11] = 0.8; // later in the same window: no change -> score 1.0 again
    List<NabScorer.ThresholdScore> sweep = NabScorer.scoreByThreshold(List.of(s), List.of(sc), STANDARD);
    assertEquals(1.0, sweep.get(1).score(), EPS);
    assertEquals(1.0, sweep.get(2).score(), EPS);
    assertEquals(0.9, NabScorer.optimise(List.of(s), List.of(sc), STANDARD).threshold(), EPS);
  }

  @Test
  void perFileScoreAtThresholdEqualsTheSweepEntry() {
    for (double th : new double[] {0.8, 0.7, 0.65, 0.6, 0.5, 0.0}) {
      double fixed = NabScorer.scoreAt(twentyRows(), detectorScores(), STANDARD, th);
      double swept = NabScorer.scoreByThreshold(List.of(twentyRows()), List.of(detectorScores()), STANDARD)
          .stream().filter(t -> t.threshold() >= th).reduce((a, b) -> b).orElseThrow().score();
      assertEquals(swept, fixed, EPS, "threshold " + th);
    }
  }

  @Test
  void corpusSweepAddsFilesAndFpAfterWindowUsesPreviousWindowWidth() {
    NabSeries a = twentyRows();
    long[] ts = a.timestamps().clone();
    NabSeries b = new NabSeries("toy/b.csv", ts, new double[20], List.of());
    double[] sb = new double[20];
    sb[4] = 0.75; // no window in file b: every detection is -0.11
    NabScorer.ThresholdScore at075 =
        NabScorer.scoreByThreshold(List.of(a, b), List.of(detectorScores(), sb), STANDARD).get(2);
    assertEquals(0.75, at075.threshold(), EPS);
    assertEquals(-1.0 - 0.11 - 0.11, at075.score(), EPS); // file a: row 5; file b: row 4
  }

  @Test
  void windowBoundaryMissingFromFileIsAnErrorNamingTheFile() {
    long[] ts = {0, 1000, 2000};
    NabSeries s = new NabSeries("toy/x.csv", ts, new double[3], List.of(new NabSeries.Window(500, 2000)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> NabScorer.scoreByThreshold(List.of(s), List.of(new double[3]), STANDARD));
    assertEquals(true, e.getMessage().contains("toy/x.csv"));
  }
}
