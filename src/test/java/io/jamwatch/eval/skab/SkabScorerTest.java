package io.jamwatch.eval.skab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SkabScorerTest {

  private static final double EPS = 1e-9;
  private static final List<SkabScorer.Profile> PROFILES = SkabScorer.Profile.defaults();

  /**
   * 20 rows 10 s apart (t = 0, 10, ..., 190 s). Anomaly rows 5..14; changepoints rows 5 (50 s) and
   * 8 (80 s). Alarms on rows 0, 7, 8, 9, 15, 16.
   */
  private static SkabScorer.FileAlarms toy() {
    long[] ts = new long[20];
    byte[] anomaly = new byte[20];
    byte[] cp = new byte[20];
    byte[] alarm = new byte[20];
    for (int i = 0; i < 20; i++) {
      ts[i] = i * 10_000L;
      anomaly[i] = (byte) (i >= 5 && i <= 14 ? 1 : 0);
    }
    cp[5] = 1;
    cp[8] = 1;
    for (int i : new int[] {0, 7, 8, 9, 15, 16}) {
      alarm[i] = 1;
    }
    return new SkabScorer.FileAlarms("toy", ts, anomaly, cp, alarm);
  }

  @Test
  void pooledBinaryMetricsAsWorkedByHand() {
    // TP rows 7,8,9 = 3; FP rows 0,15,16 = 3; FN rows 5,6,10..14 = 7; TN = 20 - 13 = 7
    SkabScorer.Binary b = SkabScorer.binary(List.of(toy()));
    assertEquals(new SkabScorer.Binary(3, 7, 3, 7), b);
    assertEquals(3.0 / (3 + (7 + 3) / 2.0), b.f1(), EPS); // 0.375
    assertEquals(30.0, b.farPercent(), EPS); // 100 * 3 / (3 + 7)
    assertEquals(70.0, b.marPercent(), EPS); // 100 * 7 / (7 + 3)
  }

  @Test
  void countsArePooledOverFilesNotAveraged() {
    SkabScorer.FileAlarms a = toy();
    byte[] allOnes = new byte[20];
    java.util.Arrays.fill(allOnes, (byte) 1);
    SkabScorer.FileAlarms b =
        new SkabScorer.FileAlarms("b", a.timestamps(), a.anomaly(), a.changepoint(), allOnes);
    // file b: TP 10, FP 10, FN 0, TN 0 -> pooled TP 13, TN 7, FP 13, FN 7
    assertEquals(new SkabScorer.Binary(13, 7, 13, 7), SkabScorer.binary(List.of(a, b)));
  }

  @Test
  void predictedChangepointsAreEveryEdgeAndTheFirstAlarm() {
    // alarm 1,0,0,0,0,0,0,1,1,1,0,0,0,0,0,1,1,0,0,0 -> edges at 0 (first element), 1, 7, 10, 15, 17
    byte[] expected = new byte[20];
    for (int i : new int[] {0, 1, 7, 10, 15, 17}) {
      expected[i] = 1;
    }
    assertArrayEquals(expected, SkabScorer.predictedChangepoints(toy().alarm()));
  }

  @Test
  void overlappingWindowsCutTheRightWindow() {
    // [50, 110] and [80, 140] overlap (110 >= 80): the second starts at 110.
    List<long[]> w = SkabScorer.windows(toy().timestamps(), toy().changepoint(), 60_000L);
    assertEquals(2, w.size());
    assertArrayEquals(new long[] {50_000, 110_000}, w.get(0));
    assertArrayEquals(new long[] {110_000, 140_000}, w.get(1));
  }

  @Test
  void tanhCurveEndsAtTpAndFp() {
    SkabScorer.Profile std = PROFILES.get(0);
    assertEquals(1.0, SkabScorer.hitScore(0, 0, 60_000, std), EPS); // y[0] = A_tp
    assertEquals(-0.11, SkabScorer.hitScore(0, 60_000, 60_000, std), EPS); // clamped to y[999] = A_fp
    assertEquals(0.445, SkabScorer.hitScore(0, 30_000, 60_000, std), 2e-3); // middle ~ (A_tp+A_fp)/2
  }

  @Test
  void changepointScoresAsWorkedByHand() {
    // Predicted CPs at 0, 10, 70, 100, 150, 170 s. Window 1 [50,110]: first hit 70 s ->
    // event = int(20/60*1000) = 333, x = -pi/2 + 333*pi/999 = -pi/6,
    // y = 0.555 * tanh(pi/6)/tanh(pi/2) + 0.555 - 0.11 = 0.735750 (Standard).
    // Window 2 [110,140]: no CP -> missed, A_fn. 100 s lies in window 1 (not an FP).
    // FPs: 0, 10, 150, 170 s = 4.  Standard raw = 0.735750 - 1 - 4*0.11 = -0.704250;
    // S_null = 2 * -1, S_perfect = 2 -> 100 * (-0.704250 + 2) / 4 = 32.39376.
    SkabScorer.Changepoints c = SkabScorer.changepoints(List.of(toy()), 60_000L, PROFILES);
    assertEquals(2, c.windows());
    assertEquals(1, c.missed());
    assertEquals(4, c.falsePositives());
    assertEquals(20.0, c.meanDelaySeconds(), EPS);
    assertEquals(-0.7042496180770008, c.raw()[0], 1e-9);
    assertEquals(32.39375954807498, c.normalised(0), 1e-7);
    // LowFP: y = 0.61*0.523869.. + 0.61 - 0.22 = 0.709563; raw = 0.709563 - 1 - 0.88
    assertEquals(20.739087070857178, c.normalised(1), 1e-7);
    // LowFN: same hit 0.735750, miss -2: raw -1.704250; null -4, perfect 2 -> 100*2.29575/6
    assertEquals(38.26250636538332, c.normalised(2), 1e-7);
    assertEquals(32.39, SkabScorer.round2(c.normalised(0)), EPS);
  }

  @Test
  void nullAndPerfectDetectorsScoreZeroAndHundred() {
    SkabScorer.FileAlarms t = toy();
    byte[] none = new byte[20];
    SkabScorer.Changepoints nul =
        SkabScorer.changepoints(
            List.of(new SkabScorer.FileAlarms("n", t.timestamps(), t.anomaly(), t.changepoint(), none)),
            60_000L, PROFILES);
    assertEquals(0.0, nul.normalised(0), EPS);
    // A CP exactly at each window start: alarm rises at row 5 (50 s) and falls at row 11 (110 s),
    // which is the start of the cut second window; nothing else.
    byte[] perfect = new byte[20];
    for (int i = 5; i <= 10; i++) {
      perfect[i] = 1;
    }
    SkabScorer.Changepoints p =
        SkabScorer.changepoints(
            List.of(new SkabScorer.FileAlarms("p", t.timestamps(), t.anomaly(), t.changepoint(), perfect)),
            60_000L, PROFILES);
    assertEquals(100.0, p.normalised(0), EPS);
    assertEquals(0, p.falsePositives());
  }

  @Test
  void roundsHalfEvenOnTheExactBinaryValueLikePython() {
    assertEquals(0.67, SkabScorer.round2(2.0 / 3.0), EPS);
    assertEquals(2.67, SkabScorer.round2(2.675), EPS); // 2.675 is 2.67499999... in binary
    assertEquals(-1.47, SkabScorer.round2(-1.4700000001), EPS);
  }
}
