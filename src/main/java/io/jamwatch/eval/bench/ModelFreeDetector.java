package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.scoring.DetectorConfig;
import io.jamwatch.scoring.ScoringModel;
import java.util.List;

/**
 * The detector without a network: the feature spec fitted on the training rows and {@link
 * ScoringModel#modelFree} (persistence likelihood and range novelty), scored through the stream's
 * per-device path ({@link BenchScorer}). The ablation row that shows what the recurrent forecaster
 * adds.
 */
public final class ModelFreeDetector implements SeriesDetector {
  private final DetectorConfig detector;
  private final int warmupEvents;

  public ModelFreeDetector(DetectorConfig detector, int warmupEvents) {
    this.detector = detector.toBuilder().forecastTerm(false)
        .persistenceTerm(detector.persistenceTerm() || !(detector.noveltyTerm() || detector.levelTerm())).build();
    // (with only the forecast term asked for, the model-free detector runs persistence instead)
    this.warmupEvents = warmupEvents;
  }

  @Override
  public String name() {
    return "free";
  }

  @Override
  public String describe() {
    return "model-free (no network), warm-up " + warmupEvents + " events; detector: " + detector.describe();
  }

  @Override
  public Scorer fit(List<ScannerEvent> training) {
    FeatureSpec spec = FeatureSpec.fit(training.iterator());
    return BenchScorer.of(ScoringModel.modelFree(spec, detector, warmupEvents), training);
  }
}
