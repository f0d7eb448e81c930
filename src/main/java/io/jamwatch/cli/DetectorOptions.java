package io.jamwatch.cli;

import io.jamwatch.scoring.DetectorConfig;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The detector options every benchmark command shares (a picocli mixin): each one, when given,
 * overrides the corpus configuration ({@code NabBench.detector()}, {@code SkabBench.detector()});
 * when absent the corpus value stays. For ablations; the published figures use the corpus
 * configuration unchanged.
 */
final class DetectorOptions {
  @Option(names = "--device-window", defaultValue = "0",
      description = "Forecast models: standardise each reading per device with running moments over this many rows (0 = off, the fitted values for every device).")
  int deviceWindow;

  @Option(names = "--terms", split = ",", description = "Detector terms that are on: forecast, persistence, novelty, level (default: the corpus configuration's).")
  List<String> terms;

  @Option(names = "--long-window", description = "Likelihood: effective length (rows) of the re-estimated Gaussian.")
  Integer longWindow;

  @Option(names = "--short-window", description = "Likelihood: raw scores averaged.")
  Integer shortWindow;

  @Option(names = "--error-window", description = "Running error RMS and level window, rows.")
  Integer errorWindow;

  @Option(names = "--error-scale", description = "Normalised error at which the raw score is 0.5.")
  Double errorScale;

  @Option(names = "--novelty-margin", description = "Novelty margin, fraction of the range.")
  Double noveltyMargin;

  @Option(names = "--novelty-weight", description = "Novelty strength at the margin.")
  Double noveltyWeight;

  @Option(names = "--first-of-run", negatable = true, description = "Likelihood: only the first of a run of very unlikely rows is very unlikely.")
  Boolean firstOfRun;

  @Option(names = "--impulse", negatable = true, description = "Likelihood: also judge single raw scores.")
  Boolean impulse;

  @Option(names = "--reference-rows", description = "Detector statistics fitted on a device's first N rows, then frozen; 0 = adapt for ever.")
  Integer referenceRows;

  /** {@code base} with every given option applied. */
  DetectorConfig apply(DetectorConfig base) {
    DetectorConfig.Builder b = base.toBuilder();
    if (terms != null) {
      for (String t : terms) {
        if (!List.of("forecast", "persistence", "novelty", "level").contains(t))
          throw new IllegalArgumentException("--terms: unknown term '" + t + "' (known: forecast, persistence, novelty, level)");
      }
      b.forecastTerm(terms.contains("forecast")).persistenceTerm(terms.contains("persistence"))
          .noveltyTerm(terms.contains("novelty")).levelTerm(terms.contains("level"));
    }
    if (longWindow != null) b.longWindow(longWindow);
    if (shortWindow != null) b.shortWindow(shortWindow);
    if (errorWindow != null) b.errorWindow(errorWindow);
    if (errorScale != null) b.errorScale(errorScale);
    if (noveltyMargin != null) b.noveltyMargin(noveltyMargin);
    if (noveltyWeight != null) b.noveltyWeight(noveltyWeight);
    if (firstOfRun != null) b.firstOfRun(firstOfRun);
    if (impulse != null) b.impulse(impulse);
    if (referenceRows != null) b.referenceEvents(referenceRows);
    return b.build();
  }
}
