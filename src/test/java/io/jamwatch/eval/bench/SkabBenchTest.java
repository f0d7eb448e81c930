package io.jamwatch.eval.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.skab.SkabCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkabBenchTest {

  @Test
  void holdIsACausalRollingMax() {
    byte[] a = {0, 1, 0, 0, 0, 1, 0};
    assertArrayEquals(new byte[] {0, 1, 1, 1, 0, 1, 1}, SkabBench.hold(a, 3));
    assertArrayEquals(a, SkabBench.hold(a, 0));
  }

  @Test
  void thresholdComesFromCalibrationRowsAndAlarmsStartAfterTraining(@TempDir Path root) throws Exception {
    // 10 rows, train 6 (fit 4, calibrate 2); a detector whose score is the reading itself.
    StringBuilder sb = new StringBuilder("datetime;x;anomaly;changepoint\n");
    float[] x = {0.1f, 0.2f, 0.1f, 0.2f, 0.3f, 0.4f, 0.35f, 0.5f, 0.41f, 0.9f};
    for (int i = 0; i < 10; i++) {
      sb.append("2020-01-01 00:00:0").append(i).append(';').append(x[i]).append(';')
          .append(i >= 7 ? "1.0" : "0.0").append(';').append(i == 7 ? "1.0" : "0.0").append('\n');
    }
    Files.createDirectories(root.resolve("data/t"));
    Files.writeString(root.resolve("data/t/0.csv"), sb.toString());
    SeriesDetector identity = new SeriesDetector() {
      @Override public String name() { return "id"; }
      @Override public String describe() { return "reading as score"; }
      @Override public Scorer fit(List<ScannerEvent> training) {
        assertEquals(4, training.size()); // fitted on rows 0..3 only
        return new Scorer() {
          @Override public float score(ScannerEvent e) { return e.getReadings().get("x"); }
          @Override public boolean warming() { return false; }
        };
      }
    };
    List<SkabBench.FileRun> runs = SkabBench.run(
        SkabCorpus.read(root), identity, new SkabBench.Settings(6, 2, 1.0, 0, 60_000, java.util.Set.of()), 0, List.of(), null);
    // q1.0 of calibration rows 4,5 (0.3, 0.4) = 0.4; test rows 6..9: 0.35, 0.5, 0.41, 0.9 -> 0,1,1,1
    assertEquals(0.4, runs.get(0).threshold(), 1e-6);
    assertArrayEquals(new byte[] {0, 1, 1, 1}, runs.get(0).test().alarm());
  }

  @Test
  void fileWithoutTestPartAddsNothing(@TempDir Path root) throws Exception {
    StringBuilder sb = new StringBuilder("datetime;x;anomaly;changepoint\n");
    for (int i = 0; i < 5; i++) {
      sb.append("2020-01-01 00:00:0").append(i).append(";1.0;0.0;0.0\n");
    }
    Files.createDirectories(root.resolve("data/t"));
    Files.writeString(root.resolve("data/t/0.csv"), sb.toString());
    SeriesDetector never = new EwmaSeriesDetector(0.1, 2);
    assertEquals(0, SkabBench.run(SkabCorpus.read(root), never, new SkabBench.Settings(6, 2, 1.0, 0, 60_000, java.util.Set.of()), 0,
        List.of(), null).size());
  }
}
