package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowBaselineTest {

  private static ScannerEvent e(String d, long t, EventType type, Map<String, Float> r) {
    return ScannerEvent.newBuilder().setDeviceId(d).setLineId("L").setEventTime(Instant.ofEpochMilli(t)).setType(type)
        .setReadings(r).build();
  }

  @Test
  void windowFeaturesAsWorkedByHand() {
    WindowFeatures f = new WindowFeatures(60_000, List.of("x"));
    double[] out = new double[f.size()];
    assertEquals(5 + EventType.values().length + 3, f.size());
    f.add(e("d", 0, EventType.PACKAGE_SCANNED, Map.of("x", 1f)), out);
    f.add(e("d", 10_000, EventType.NO_READ, Map.of()), out);
    f.add(e("d", 20_000, EventType.PACKAGE_SCANNED, Map.of("x", 3f)), out);
    // x: values 1 at 0 s and 3 at 20 s -> mean 2, std 1, min 1, max 3, slope 0.1 per second
    assertArrayEquals(new double[] {2, 1, 1, 3, 0.1}, java.util.Arrays.copyOf(out, 5), 1e-12);
    int c = 5;
    assertEquals(2, out[c + EventType.PACKAGE_SCANNED.ordinal()]);
    assertEquals(1, out[c + EventType.NO_READ.ordinal()]);
    int g = c + EventType.values().length;
    assertEquals(10, out[g], 1e-12);
    assertEquals(10, out[g + 1], 1e-12);
    assertEquals(10, out[g + 2], 1e-12);
    // 70 s: the events at 0 and 10 s have left the 60-s window (t <= 70 - 60); another device is apart
    f.add(e("other", 65_000, EventType.PACKAGE_SCANNED, Map.of("x", 100f)), out);
    f.add(e("d", 70_000, EventType.PACKAGE_SCANNED, Map.of("x", 5f)), out);
    assertArrayEquals(new double[] {4, 1, 3, 5, 0.04}, java.util.Arrays.copyOf(out, 5), 1e-12);
    assertEquals(2, out[c + EventType.PACKAGE_SCANNED.ordinal()]);
    assertEquals(0, out[c + EventType.NO_READ.ordinal()]);
    assertEquals(50, out[g + 2], 1e-12);
  }

  @Test
  void logisticRegressionIsDeterministicAndRecoversTheDirection() {
    int n = 2000;
    double[][] x = new double[n][2];
    boolean[] y = new boolean[n];
    double[] w = new double[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      x[i][0] = r.nextGaussian();
      x[i][1] = r.nextGaussian();
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(2 * x[i][0] - 1)));
      w[i] = 1;
    }
    LogisticRegression a = LogisticRegression.fit(x, y, w, 1e-3, 30);
    LogisticRegression b = LogisticRegression.fit(x, y, w, 1e-3, 30);
    assertArrayEquals(a.coefficients(), b.coefficients(), 0);
    double[] c = a.coefficients();
    assertEquals(2, c[0], 0.3);
    assertEquals(0, c[1], 0.2);
    assertEquals(-1, c[2], 0.2);
  }

  @Test
  void trainsOnALogWithJamsAndRanksThePrecursorAboveTheRest(@TempDir Path dir) throws Exception {
    Path logs = BacktestTest.log(dir.resolve("log"));
    WindowBaseline wb = WindowBaseline.train(logs, 120_000);
    Backtest.Result res;
    try (EventDetector gate = EventDetector.reading("x", 1, "gate")) {
      res = Backtest.run(logs, List.of(gate, wb.detector()), BacktestTest.SETTINGS, null);
    }
    assertTrue(res.detectors().get(1).prAuc() > 0.5, "window baseline PR-AUC " + res.detectors().get(1).prAuc());
    assertTrue(wb.coefficients().containsKey("x_mean"));
  }

  @Test
  void onALadderEachRungIsItsOwnRegressionAndTheBacktestJudgesEachAlertOnItsClaim(@TempDir Path dir) throws Exception {
    Path logs = BacktestTest.log(dir.resolve("log"));
    io.jamwatch.scoring.HorizonLadder ladder = new io.jamwatch.scoring.HorizonLadder(new long[] {120_000, 600_000});
    EventDetector one = WindowBaseline.train(logs, 120_000).detector();
    EventDetector far = WindowBaseline.train(logs, 600_000).detector();
    EventDetector l = WindowBaseline.ladderDetector(logs, ladder);
    assertEquals(ladder, l.ladder());
    assertEquals(null, one.ladder());
    try (io.jamwatch.logs.RecordedLogReader.EventStream in = io.jamwatch.logs.RecordedLogReader.open(logs)) {
      for (int i = 0; i < 500 && in.hasNext(); i++) {
        ScannerEvent e = in.next();
        float s = l.score(e);
        assertEquals(one.score(e), s, 0f); // rung 0 = the single-horizon baseline
        assertEquals(s, l.rungScores()[0], 0f);
        assertEquals(far.score(e), l.rungScores()[1], 0f); // rung 1 = the 600-s regression
      }
    }
    Backtest.Result res;
    try (EventDetector gate = EventDetector.reading("x", 1, "gate")) {
      res = Backtest.run(logs, List.of(gate, WindowBaseline.ladderDetector(logs, ladder)), BacktestTest.SETTINGS, null);
    }
    for (DeviceTrace t : res.detectors().get(1).traces()) {
      assertEquals(ladder, t.ladder());
      assertEquals(2, t.rungs().length);
    }
  }
}
