package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.eval.bench.RowEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class EwmaZScoreTest {

  @Test
  void scoresAgainstThePastOnlyAfterWarmup() {
    EwmaZScore z = new EwmaZScore(0.5, 2);
    List<String> n = List.of("a");
    // values 1, 3: warm-up (plain mean 2, population variance 1); then 4: z = |4 - 2| / 1 = 2
    assertEquals(0f, z.score(RowEvents.of("d", "l", 0, n, new float[] {1})));
    assertEquals(0f, z.score(RowEvents.of("d", "l", 1, n, new float[] {3})));
    assertEquals(2f, z.score(RowEvents.of("d", "l", 2, n, new float[] {4})), 1e-6);
    // after 4 with alpha 0.5: mean 3, var (1-0.5)(1 + 0.5*4) = 1.5; value 3 -> z 0
    assertEquals(0f, z.score(RowEvents.of("d", "l", 3, n, new float[] {3})), 1e-6);
  }

  @Test
  void unitMapIsMonotoneAndBelowOne() {
    assertEquals(0f, EwmaZScore.toUnit(0f));
    assertEquals(0.5f, EwmaZScore.toUnit(1f));
    assertTrue(EwmaZScore.toUnit(1000f) < 1f);
    assertTrue(EwmaZScore.toUnit(7f) > EwmaZScore.toUnit(6f));
  }
}
