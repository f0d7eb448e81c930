package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void averagePrecisionAndRocAucMatchScikitLearnsExample() {
    // sklearn docs: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] -> AP 0.8333, ROC-AUC 0.75
    float[] s = {0.1f, 0.4f, 0.35f, 0.8f};
    boolean[] y = {false, false, true, true};
    assertEquals(0.8333333, RankingMetrics.averagePrecision(s, y, 4), 1e-6);
    assertEquals(0.75, RankingMetrics.rocAuc(s, y, 4), 1e-12);
  }

  @Test
  void tiedScoresCountAsOneThreshold() {
    float[] s = {0.5f, 0.5f, 0.5f, 0.5f};
    boolean[] y = {true, false, true, false};
    assertEquals(0.5, RankingMetrics.averagePrecision(s, y, 4), 1e-12);
    assertEquals(0.5, RankingMetrics.rocAuc(s, y, 4), 1e-12);
  }

  @Test
  void plattScalingRecoversTheSigmoidThatGeneratedTheLabels() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 50_000;
    float[] logit = new float[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      logit[i] = (float) (rng.nextGaussian() * 3);
      y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(0.5 * logit[i] - 1)));
    }
    PlattScaling.Fit f = PlattScaling.fit(logit, y, n);
    assertEquals(0.5, f.a(), 0.03);
    assertEquals(-1, f.b(), 0.05);
  }

  @Test
  void raiseThresholdIsTheMostSensitiveWithinTheFalseAlarmBudget() {
    // One device, one event a minute for 10 hours; a jam at step 300 preceded by 5 positive steps.
    int n = 600;
    float[] score = new float[n];
    byte[] y = new byte[n];
    long[] time = new long[n];
    for (int i = 0; i < n; i++) {
      time[i] = i * 60_000L;
      score[i] = 0.1f;
    }
    for (int i = 295; i < 300; i++) {
      y[i] = 1;
      score[i] = 0.9f;
    }
    for (int i = 300; i < 310; i++) y[i] = -1;
    // Five isolated negative blips at 0.6: 0.5 false alarms per hour if raised on.
    for (int k = 0; k < 5; k++) score[50 + 100 * k] = 0.6f;
    List<AlertThresholds.Track> tracks = List.of(new AlertThresholds.Track(score, y, time, 0, n));
    AlertThresholds.Choice strict = AlertThresholds.choose(tracks, 0.1, 0.5, 300_000L);
    assertTrue(strict.raise() > 0.6f && strict.raise() <= 0.9f, "raise " + strict.raise());
    assertEquals(1, strict.jamsCaught());
    assertEquals(0.0, strict.falseAlarmsPerDeviceHour(), 0);
    assertEquals(300.0, strict.medianLeadSeconds(), 0); // raised at step 295, jam at 300
    AlertThresholds.Choice loose = AlertThresholds.choose(tracks, 1.0, 0.5, 300_000L);
    assertTrue(loose.raise() <= 0.6f, "raise " + loose.raise());
  }

  @Test
  void anAlertLeftUpCountsAFalseAlarmPerHorizonNotOne() {
    // Ten hours, one event a minute, every score above the threshold, no jam: one raise, but the
    // alert claims a jam within 5 minutes all along: 10 h * 12 per hour = 120 false alarms.
    int n = 600;
    float[] score = new float[n];
    long[] time = new long[n];
    for (int i = 0; i < n; i++) {
      score[i] = 0.9f;
      time[i] = i * 60_000L;
    }
    AlertThresholds.Choice c =
        AlertThresholds.evaluate(List.of(new AlertThresholds.Track(score, new byte[n], time, 0, n)), 0.5f, 0.25f, 300_000L);
    assertEquals(120, c.falseAlarmsPerDeviceHour() * c.deviceHours(), 1.0);
    assertEquals(1.0, c.alertShare(), 0);
  }

  @Test
  void adamMinimisesAQuadratic() {
    NetworkWeights w = NetworkWeights.random(CellType.RNN, 2, 2, 1, false, true, false, new SplittableRandom(1));
    NetworkWeights g = ParameterTensors.zerosLike(w);
    Adam adam = new Adam(0.05f);
    adam.init(w);
    for (int s = 0; s < 500; s++) {
      float[][] p = ParameterTensors.of(w), gg = ParameterTensors.of(g);
      for (int i = 0; i < p.length; i++) for (int j = 0; j < p[i].length; j++) gg[i][j] = 2 * (p[i][j] - 3f); // d/dθ (θ-3)^2
      adam.step(w, g);
    }
    for (float[] a : ParameterTensors.of(w)) for (float v : a) assertEquals(3f, v, 0.05f);
    assertEquals(500, adam.steps());
  }

  @Test
  void clippingScalesToTheMaximumGlobalNorm() {
    NetworkWeights g = new NetworkWeights(CellType.RNN, 1, 1, 1, false, true, false);
    g.W[0][0] = 3;
    g.R[0][0] = 4;
    assertEquals(5.0, GradientClipping.clipGlobalNorm(g, 1f), 1e-9);
    assertEquals(1.0, ParameterTensors.globalNorm(g), 1e-6);
    assertEquals(0.6f, g.W[0][0], 1e-6f);
  }
}
