package io.jamwatch.train;

import io.jamwatch.model.CellType;
import io.jamwatch.model.Head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

  @Test
  void builderStartsAtTheDefaultsAndRoundTrips() {
    TrainConfig d = TrainConfig.defaults();
    assertEquals(d, TrainConfig.builder().build());
    assertEquals(d, d.toBuilder().build());
    TrainConfig c = d.toBuilder().head(Head.FORECAST).minStepsPerEpoch(40).warmStart(true).hidden(16).build();
    assertEquals(40, c.minStepsPerEpoch());
    assertTrue(c.warmStart());
    assertEquals(c, c.toBuilder().build());
    assertEquals(d.learningRate(), c.learningRate());
  }

  @Test
  void buildChecksEveryValueAndDropsLinearBeforeResetOffTheGru() {
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().hidden(0).build());
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().minStepsPerEpoch(-1).build());
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().validationFraction(0.95).build());
    assertFalse(TrainConfig.builder().cell(CellType.LSTM).linearBeforeReset(true).build().linearBeforeReset());
    // the horizon ladder: positive, distinct, not the primary horizon, risk head only
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().extraHorizonsMillis(java.util.List.of(120_000L)).build());
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().extraHorizonsMillis(java.util.List.of(-1L)).build());
    assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.builder().extraHorizonsMillis(java.util.List.of(600_000L, 600_000L)).build());
    assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.builder().head(io.jamwatch.model.Head.FORECAST).extraHorizonsMillis(java.util.List.of(600_000L)).build());
  }
}
