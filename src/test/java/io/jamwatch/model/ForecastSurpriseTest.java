package io.jamwatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ForecastSurpriseTest {
  // Layout: [v0, v0.missing, onehot, v1, v1.missing]
  static final int[] VALUES = {0, 3};
  static final int[] INDICATORS = {1, 4};

  @Test
  void surpriseIsMseOverPresentValueFeaturesOnly() {
    ForecastSurprise fs = new ForecastSurprise(VALUES, INDICATORS, new ForecastSurprise.Stats(0f, 1f, 3, 0));
    float[] pred = {1f, 0.7f, 0.3f, 2f, 0.1f};
    assertEquals((1f + 4f) / 2, fs.surprise(pred, new float[] {0f, 0f, 1f, 0f, 0f}), 1e-6f);
    // v1 missing: only v0 counts; the binary features never do
    assertEquals(1f, fs.surprise(pred, new float[] {0f, 0f, 0f, 0f, 1f}), 1e-6f);
    assertEquals(0f, fs.surprise(pred, new float[] {0f, 1f, 0f, 0f, 1f}), 0f);
  }

  @Test
  void surpriseReadsRowsOfFlatTensors() {
    ForecastSurprise fs = new ForecastSurprise(VALUES, INDICATORS, new ForecastSurprise.Stats(0f, 1f, 3, 0));
    float[] pred = {9, 9, 9, 9, 9, 1f, 0f, 0f, 3f, 0f};
    float[] x = {0f, 0f, 0f, 1f, 0f};
    assertEquals((1f + 4f) / 2, fs.surprise(pred, 5, x, 0), 1e-6f);
  }

  @Test
  void typicalSurprisesScoreNearHalfAndSustainedLargeOnesNearOne() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] train = new float[5000];
    for (int i = 0; i < train.length; i++) train[i] = (float) Math.exp(rng.nextGaussian() - 2); // log ~ N(-2, 1)
    ForecastSurprise.Stats st = ForecastSurprise.Stats.fit(train, train.length, 10, 0);
    assertEquals(-2f, st.logMean(), 0.05f);
    assertEquals(1f, st.logStd(), 0.05f);
    ForecastSurprise fs = new ForecastSurprise(VALUES, INDICATORS, st);
    float[] state = new float[fs.stateSize()];
    fs.initState(state);
    double sum = 0;
    long count = 0;
    for (; count < 2000; count++) sum += fs.score(state, count, (float) Math.exp(rng.nextGaussian() - 2));
    assertEquals(0.5, sum / 2000, 0.1, "mean likelihood on in-distribution surprises");
    float spike = fs.score(state, count++, (float) Math.exp(2.0)); // one event, 4 sigma
    float last = spike;
    for (int i = 0; i < 9; i++) last = fs.score(state, count++, (float) Math.exp(2.0));
    assertTrue(spike < last, "one spike is smoothed by the short window: " + spike + " vs " + last);
    assertTrue(last > 0.9999f, "sustained 4-sigma surprise: " + last);
  }

  @Test
  void perfectForecastScoresNearZero() {
    ForecastSurprise fs = new ForecastSurprise(VALUES, INDICATORS, new ForecastSurprise.Stats(-2f, 1f, 5, 0));
    float[] state = new float[fs.stateSize()];
    fs.initState(state);
    float s = 1;
    for (int i = 0; i < 5; i++) s = fs.score(state, i, 0f);
    assertTrue(s < 1e-6f, "score " + s);
  }

  @Test
  void adaptiveLongWindowLearnsANewBaseline() {
    ForecastSurprise fixed = new ForecastSurprise(VALUES, INDICATORS, new ForecastSurprise.Stats(-2f, 1f, 5, 0));
    ForecastSurprise adaptive = new ForecastSurprise(VALUES, INDICATORS, new ForecastSurprise.Stats(-2f, 1f, 5, 200));
    float[] a = new float[7], b = new float[7];
    fixed.initState(a);
    adaptive.initState(b);
    SplittableRandom rng = new SplittableRandom(5);
    float sa = 0, sb = 0;
    for (int i = 0; i < 3000; i++) {
      float s = (float) Math.exp(rng.nextGaussian()); // baseline 2 sigma above training
      sa = fixed.score(a, i, s);
      sb = adaptive.score(b, i, s);
    }
    assertTrue(sa > 0.9f, "fixed long window keeps flagging: " + sa);
    assertTrue(sb < 0.9f, "adaptive long window has adapted: " + sb);
    assertEquals(0f, b[6 - 1], 0.3f, "long mean near the new baseline 0");
  }

  @Test
  void normalCdfMatchesTabulatedValues() {
    assertEquals(0.5, ForecastSurprise.normalCdf(0), 1e-7);
    assertEquals(0.8413447461, ForecastSurprise.normalCdf(1), 1e-7);
    assertEquals(0.9986501020, ForecastSurprise.normalCdf(3), 1e-7);
    assertEquals(0.0227501319, ForecastSurprise.normalCdf(-2), 1e-7);
  }

  @Test
  void refusesWrongStateLengthAndBadStats() {
    ForecastSurprise fs = new ForecastSurprise(VALUES, INDICATORS, new ForecastSurprise.Stats(0f, 1f, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> fs.score(new float[4], 0, 1f));
    assertThrows(IllegalArgumentException.class, () -> new ForecastSurprise.Stats(0f, 0f, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> new ForecastSurprise.Stats(0f, 1f, 10, 5));
  }
}
