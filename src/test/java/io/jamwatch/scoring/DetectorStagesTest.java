package io.jamwatch.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectorStagesTest {
  private static final int[] IDX = {0};

  /** Scores of a unit-noise series of n values with {@code spike} added at row {@code at}. */
  private static double[] run(DetectorConfig cfg, int n, int at, double spike) {
    DetectorStages d = new DetectorStages(cfg, 1, false);
    double[] s = new double[d.stateSize()];
    d.initState(s);
    SplittableRandom rng = new SplittableRandom(11);
    double[] out = new double[n];
    double[] v = new double[1];
    for (int i = 0; i < n; i++) {
      v[0] = 100 + rng.nextGaussian() + (i == at ? spike : 0);
      out[i] = DetectorStages.score(d.strength(s, v, null, null, IDX));
    }
    return out;
  }

  private static double max(double[] a, int from, int to) {
    double m = 0;
    for (int i = from; i < to; i++) m = Math.max(m, a[i]);
    return m;
  }

  @Test
  void aSingleLargeDeviationRaisesTheLikelihoodWithTheImpulseTest() {
    DetectorConfig impulse = DetectorConfig.builder().persistenceTerm(true).noveltyTerm(false).impulse(true).build();
    double[] plain = run(impulse, 3000, -1, 0);
    double[] spiked = run(impulse, 3000, 2500, 100);
    double normal = max(plain, 500, 3000);
    assertTrue(spiked[2500] > 0.6, "a 100-sigma spike must score high on its own, got " + spiked[2500]);
    assertTrue(spiked[2500] > normal + 0.1, "spike " + spiked[2500] + " vs the noise's max " + normal);
    // Without the single-score test the 10-event average dilutes the spike (the NAB configuration
    // relies on novelty for it, below).
    DetectorConfig averaged = impulse.toBuilder().impulse(false).build();
    assertTrue(run(averaged, 3000, 2500, 100)[2500] < spiked[2500]);
  }

  @Test
  void aSingleLargeDeviationRaisesTheDefaultScoreThroughNovelty() {
    double[] plain = run(DetectorConfig.defaults(), 3000, -1, 0);
    double[] spiked = run(DetectorConfig.defaults(), 3000, 2500, 100);
    assertTrue(spiked[2500] > 0.99, "a 100-sigma spike, got " + spiked[2500]);
    assertTrue(spiked[2500] > max(plain, 500, 3000), "the spike outscores every row of the plain noise");
  }

  @Test
  void largerDeviationsScoreHigherWithoutTies() {
    DetectorConfig cfg = DetectorConfig.builder().persistenceTerm(true).noveltyTerm(false).firstOfRun(false).build();
    double a = run(cfg, 3000, 2500, 30)[2500];
    double b = run(cfg, 3000, 2500, 100)[2500];
    double c = run(cfg, 3000, 2500, 1000)[2500];
    assertTrue(a < b && b < c, "scores must grow with the deviation: " + a + ", " + b + ", " + c);
    assertTrue(c < 1.0, "no ceiling to tie at: " + c);
    assertNotEquals((float) b, (float) c, "distinct likelihoods stay distinct in the emitted float");
  }

  @Test
  void firstOfARunOfVeryUnlikelyEventsIsTheOnlyVeryUnlikelyOne() {
    DetectorConfig on = DetectorConfig.builder().noveltyTerm(false).impulse(true).build();
    DetectorConfig off = on.toBuilder().firstOfRun(false).build();
    DetectorStages d = new DetectorStages(on, 1, false);
    DetectorStages e = new DetectorStages(off, 1, false);
    double[] s = new double[d.stateSize()], t = new double[e.stateSize()];
    d.initState(s);
    e.initState(t);
    SplittableRandom rng = new SplittableRandom(5);
    double[] v = new double[1];
    double[] withFilter = new double[1200], without = new double[1200];
    for (int i = 0; i < 1200; i++) {
      v[0] = rng.nextGaussian() + (i >= 1000 && i < 1003 ? (i % 2 == 0 ? 80 : -80) : 0);
      withFilter[i] = d.strength(s, v, null, null, IDX);
      without[i] = e.strength(t, v, null, null, IDX);
    }
    assertTrue(withFilter[1000] > -Math.log(DetectorStages.RED_TAIL), "the first is very unlikely");
    assertEquals(-Math.log(DetectorStages.YELLOW_TAIL), withFilter[1001], 1e-12, "the second is reported as merely unlikely");
    assertTrue(without[1001] > -Math.log(DetectorStages.RED_TAIL), "without the filter the second stays very unlikely");
  }

  @Test
  void noveltyFiresBeyondTheRangeByMoreThanTheMargin() {
    DetectorConfig cfg = DetectorConfig.builder().persistenceTerm(false).noveltyTerm(true).noveltyLearningEvents(10).build();
    DetectorStages d = new DetectorStages(cfg, 1, false);
    double[] s = new double[d.stateSize()];
    d.initState(s);
    double[] v = new double[1];
    for (int i = 0; i < 20; i++) {
      v[0] = i % 2 == 0 ? 0 : 10; // range [0, 10]
      assertEquals(0, d.strength(s, v, null, null, IDX));
    }
    v[0] = 10.4; // within the 5 % margin
    assertEquals(0, d.strength(s, v, null, null, IDX));
    v[0] = 12; // 20 % beyond
    assertTrue(d.strength(s, v, null, null, IDX) > Math.log(1e10), "beyond the margin is novel");
    v[0] = 12; // the range took it in
    assertEquals(0, d.strength(s, v, null, null, IDX));
  }

  @Test
  void aReferencePeriodKeepsALastingShiftUnlikely() {
    DetectorConfig adaptive = DetectorConfig.builder().persistenceTerm(false).noveltyTerm(false).levelTerm(true)
        .firstOfRun(false).build();
    DetectorConfig reference = adaptive.toBuilder().referenceEvents(500).build();
    double[] a = shifted(adaptive), r = shifted(reference);
    assertTrue(r[1390] > 0.5, "with a reference period a lasting shift stays unlikely: " + r[1390]);
    assertTrue(a[1390] < r[1390], "adapting statistics learn the shift: " + a[1390] + " vs " + r[1390]);
  }

  private static double[] shifted(DetectorConfig cfg) {
    DetectorStages d = new DetectorStages(cfg, 1, false);
    double[] s = new double[d.stateSize()];
    d.initState(s);
    SplittableRandom rng = new SplittableRandom(9);
    double[] v = new double[1], out = new double[1400];
    for (int i = 0; i < out.length; i++) {
      v[0] = rng.nextGaussian() + (i >= 1000 ? 8 : 0);
      out[i] = DetectorStages.score(d.strength(s, v, null, null, IDX));
    }
    return out;
  }

  @Test
  void sameInputGivesTheSameBitsAndStateRoundTripsExactly() {
    DetectorConfig cfg = DetectorConfig.builder().levelTerm(true).build();
    DetectorStages d = new DetectorStages(cfg, 2, false);
    double[] s1 = new double[d.stateSize()], s2 = new double[d.stateSize()];
    d.initState(s1);
    d.initState(s2);
    SplittableRandom rng = new SplittableRandom(1);
    double[] v = new double[2];
    for (int i = 0; i < 500; i++) {
      v[0] = rng.nextGaussian();
      v[1] = i % 7 == 0 ? Double.NaN : rng.nextGaussian() * 3;
      double a = d.strength(s1, v, null, null, new int[] {0, 2});
      double[] copy = s2.clone(); // a stored and restored state
      double b = d.strength(copy, v, null, null, new int[] {0, 2});
      System.arraycopy(copy, 0, s2, 0, copy.length);
      assertEquals(Double.doubleToLongBits(a), Double.doubleToLongBits(b));
    }
    assertArrayEquals(s1, s2);
  }

  @Test
  void configRoundTripsThroughJsonAndChecksItsValues() {
    DetectorConfig c = DetectorConfig.builder().levelTerm(true).referenceEvents(300).shortWindow(7).longWindow(900).build();
    assertEquals(c, DetectorConfig.fromJson(c.toJson()));
    assertThrows(IllegalArgumentException.class, () -> DetectorConfig.builder().shortWindow(10).longWindow(10).build());
    assertThrows(IllegalArgumentException.class,
        () -> DetectorConfig.builder().forecastTerm(false).persistenceTerm(false).noveltyTerm(false).build());
    assertThrows(IllegalArgumentException.class, () -> DetectorConfig.fromJson("not json"));
  }

  @Test
  void logTailIsFiniteAndMonotoneFarIntoTheTail() {
    double prev = 1;
    for (double z = -10; z <= 200; z += 0.5) {
      double l = DetectorStages.logUpperTail(z);
      assertTrue(Double.isFinite(l) && l <= 0 && (z < 0 ? l <= prev : l < prev), "ln Q(" + z + ") = " + l);
      prev = l;
    }
    assertEquals(Math.log(0.5), DetectorStages.logUpperTail(0), 1e-6);
    assertEquals(Math.log(1.3498980316301e-3), DetectorStages.logUpperTail(3), 1e-5);
  }
}
