package io.jamwatch.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {
  static ModelMetadata sample() {
    return TestModels.metadata(TestModels.random(CellType.GRU, 9, 8, 2, true, 1));
  }

  @Test
  void propsRoundTripIsExact() {
    ModelMetadata m = sample();
    ModelMetadata back = ModelMetadata.fromProps(m.toProps());
    assertEquals(m, back);
    assertEquals(m.toProps(), back.toProps());
  }

  @Test
  void horizonLadderRoundTripsAndNamesItsOutput() {
    ModelMetadata m = TestModels.metadata(TestModels.random(CellType.LSTM, 9, 8, 1, false, 2, 3));
    Map<String, String> p = m.toProps();
    assertEquals("600,1200", p.get("jamwatch.extra_horizon_seconds"));
    assertEquals(ModelMetadata.HORIZONS_OUTPUT, p.get("jamwatch.extra_horizon_output"));
    ModelMetadata back = ModelMetadata.fromProps(p);
    assertEquals(java.util.List.of(600L, 1200L), back.extraHorizonSeconds());
    assertEquals(m, back);
    // without a ladder the keys are absent, so older files keep their bytes
    assertTrue(!sample().toProps().containsKey("jamwatch.extra_horizon_seconds"));
    Map<String, String> bad = new HashMap<>(p);
    bad.put("jamwatch.extra_horizon_seconds", "600,soon");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.fromProps(bad));
    assertTrue(e.getMessage().contains("extra_horizon_seconds"), e.getMessage());
  }

  @Test
  void propsCarryEverythingDesignLists() {
    Map<String, String> p = sample().toProps();
    for (String k : new String[] {"cell", "layers", "hidden_size", "input_size", "linear_before_reset", "heads",
        "score_head", "feature_spec", "horizon_seconds", "raise_threshold", "clear_threshold", "data_fingerprint",
        "validation.pr_auc", "surprise.log_mean", "surprise.log_std", "warmup_events", "exporter_version"})
      assertTrue(p.containsKey("jamwatch." + k), "missing jamwatch." + k);
    assertEquals("gru", p.get("jamwatch.cell"));
    assertEquals("1", p.get("jamwatch.linear_before_reset"));
    assertEquals("risk,forecast", p.get("jamwatch.heads"));
  }

  @Test
  void refusesMissingKeyNamingIt() {
    Map<String, String> p = new HashMap<>(sample().toProps());
    p.remove("jamwatch.hidden_size");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.fromProps(p));
    assertTrue(e.getMessage().contains("jamwatch.hidden_size"), e.getMessage());
  }

  @Test
  void refusesAnotherFormatVersion() {
    Map<String, String> p = new HashMap<>(sample().toProps());
    p.put("jamwatch.format", "2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.fromProps(p));
    assertTrue(e.getMessage().contains("format 2"), e.getMessage());
  }

  @Test
  void refusesInputSizeThatDisagreesWithTheFeatureSpec() {
    Map<String, String> p = new HashMap<>(sample().toProps());
    p.put("jamwatch.input_size", "10");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.fromProps(p));
    assertTrue(e.getMessage().contains("feature spec"), e.getMessage());
  }

  @Test
  void refusesWeightsItDoesNotDescribe() {
    ModelMetadata m = sample();
    NetworkWeights other = NetworkWeights.random(CellType.GRU, 9, 8, 2, false, true, true, new SplittableRandom(1));
    assertThrows(IllegalArgumentException.class, () -> m.checkDescribes(other));
  }

  @Test
  void forecastOnlyModelDefaultsToForecastScoreAndNeedsSurpriseStats() {
    NetworkWeights w = NetworkWeights.random(CellType.LSTM, 9, 8, 1, false, false, true, new SplittableRandom(1));
    ModelMetadata m = TestModels.metadata(w);
    assertEquals(ModelMetadata.Head.FORECAST, m.scoreHead());
    assertThrows(IllegalArgumentException.class, () -> ModelMetadata.describe(w, TestModels.spec(9), null));
    assertThrows(IllegalArgumentException.class, () -> m.withScoreHead(ModelMetadata.Head.RISK));
  }
}
