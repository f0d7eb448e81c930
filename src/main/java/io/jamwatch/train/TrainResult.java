package io.jamwatch.train;

import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.Head;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.features.FeatureSpec;
import java.util.List;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param config the run's config
 * @param weights the best weights (by validation), calibration folded into riskW / riskB
 * @param spec the feature spec of the data (may be null for data not from the encoder)
 * @param metrics validation metrics and provenance counts, by name (see the model card)
 * @param thresholds alert thresholds chosen on validation
 * @param surpriseStats forecast head: error statistics fitted on the validation steps (out of
 *     sample; on the training part only if validation has fewer than two); null for risk
 * @param curve the learning curve, one record per epoch run
 * @param bestEpoch the epoch whose weights were kept
 * @param stoppedEarly whether patience ran out (or the time budget) before the last epoch
 * @param trainSeconds wall-clock time of the run (kept out of {@code metrics}, which go into the
 *     model file, so the file stays byte-identical across runs)
 */
public record TrainResult(
    TrainConfig config,
    NetworkWeights weights,
    FeatureSpec spec,
    Map<String, Double> metrics,
    AlertThresholds.Choice thresholds,
    ForecastSurprise.Stats surpriseStats,
    List<EpochRecord> curve,
    int bestEpoch,
    boolean stoppedEarly,
    double trainSeconds) {

  /** "pr_auc" for a risk head, "mse" for a forecast head: the early-stopping metric's name. */
  public String metricName() {
    return config.head() == Head.RISK ? "pr_auc" : "mse";
  }
}
