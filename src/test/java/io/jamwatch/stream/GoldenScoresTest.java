package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.OfflineScorer;
import io.jamwatch.model.CellType;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden scores of a fixed log: the offline path ({@code jamwatch score}'s, which the stream equals
 * bit for bit, see ScoringTopologyTest and BenchStreamParityTest) must give exactly the score bits,
 * warm-up flags, event counts and alert transitions that the code before the compact state format
 * and the DeviceScorer refactoring gave. The expected CRC-32s were computed by this very test on
 * main at c6bb81b (before the change); a change of any score bit changes them.
 */
class GoldenScoresTest {
  @TempDir Path dir;

  /** The fixed log: 2 lines x 4 devices x 150 events, plus a duplicate, an out-of-order event and a silence gap. */
  static List<ScannerEvent> log() {
    List<ScannerEvent> ev = new ArrayList<>(TestEvents.lines(2, 4, 150, 1000, 7));
    ev.add(ev.get(10)); // duplicate eventId
    ev.add(TestEvents.event("L00-S00", "L00", TestEvents.T0 + 5, "late", new java.util.SplittableRandom(1)));
    java.util.SplittableRandom rng = new java.util.SplittableRandom(2);
    long after = TestEvents.T0 + 150_000L + 10 * 60_000L; // beyond the default silence gap
    for (int i = 0; i < 20; i++) ev.add(TestEvents.event("L01-S02", "L01", after + i * 1000L, "gap#" + i, rng));
    return ev;
  }

  static long crc(Path model) {
    CRC32 crc = new CRC32();
    try (ScoringModel m = ScoringModel.load(model)) {
      OfflineScorer s = new OfflineScorer(m, StreamConfig.defaultEventPolicy(), new AlertPolicy(0.55f, 0.45f, 2, 0L, 5_000L, 3));
      for (ScannerEvent e : log()) {
        OfflineScorer.Scored r = s.score(e);
        int bits = Float.floatToIntBits(r.score());
        long n = r.eventCount();
        int flags = (r.reject() == null ? 0 : 1 + r.reject().ordinal()) * 16 + (r.warming() ? 1 : 0) * 8
            + (r.reset() ? 1 : 0) * 4 + r.alert().ordinal();
        crc.update(new byte[] {
            (byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24),
            (byte) n, (byte) (n >> 8), (byte) flags});
      }
    }
    return crc.getValue();
  }

  @Test
  void gruRiskHeadScoresAreTheGoldenOnes() {
    assertEquals(1730203811L, crc(TestModels.random(dir, "gru.onnx", CellType.GRU, false, 1)));
  }

  @Test
  void lstmForecastHeadScoresAreTheGoldenOnes() {
    assertEquals(176437845L, crc(TestModels.random(dir, "lstm.onnx", CellType.LSTM, true, 11)));
  }

  @Test
  void gruForecastHeadScoresAreTheGoldenOnes() {
    assertEquals(3493498179L, crc(TestModels.random(dir, "gruf.onnx", CellType.GRU, true, 5)));
  }
}
