package io.jamwatch.eval;

import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/**
 * The trainer's alert-threshold choice, made by replaying the one {@link AlertPolicy} over the
 * validation part of the training log, per device in event order, through the exported model and
 * the stream's own stepping path: it is a {@link Backtest} of that model restricted to the
 * validation part, whose operating point at the target false-alarm rate gives the raise threshold.
 * So what the model card says about false alarms and caught jams is what {@code backtest} measures
 * on the same events with the same policy settings (and what the stream would raise).
 *
 * <p>Why here and not in train/: the trainer (train/) may not import the serving packages (scoring/),
 * and the threshold has to be chosen on the scores the served model produces. The train command
 * runs this after the export and writes the chosen thresholds into the model file and card;
 * {@code train/AlertThresholds}' own provisional choice is replaced.
 */
public final class PolicyThresholds {

  private PolicyThresholds() {}

  /**
   * @param policy the chosen policy: the template's settings with the chosen raise threshold and
   *     clear = raise x clear fraction
   * @param outcome what that policy does on the validation part
   * @param targetMet whether some threshold met the false-alarm target (else the strictest tried)
   * @param operatingPoints the operators' budgets on the validation part
   */
  public record Choice(
      AlertPolicy policy, AlertMetrics.Outcome outcome, boolean targetMet,
      Map<AlertMetrics.OperatingPoint, AlertMetrics.Outcome> operatingPoints) {}

  /** The validation part of a training log: held-out devices whole, the others from the time cut. */
  public static ToLongFunction<String> validationScope(long cutMillis, Set<String> heldOut) {
    Set<String> h = Set.copyOf(heldOut);
    return d -> h.contains(d) ? Long.MIN_VALUE : cutMillis;
  }

  /**
   * Backtests {@code model} on {@code logs} within {@code s.scope()} and picks the highest recall
   * within {@code targetPerDeviceHour} false alarms per device-hour (ties: fewer false alarms, then
   * the higher threshold).
   */
  public static Choice choose(ScoringModel model, Path logs, Backtest.Settings s, double targetPerDeviceHour,
      LongConsumer progress) {
    Backtest.Result r;
    try (EventDetector d = EventDetector.model("model", model)) {
      r = Backtest.run(logs, List.of(d), s.withOperatingBudget(targetPerDeviceHour), progress);
    }
    return choose(r.detectors().get(0), s);
  }

  /** The choice from a detector's backtest (its operating point at the settings' budget). */
  public static Choice choose(Backtest.DetectorResult d, Backtest.Settings s) {
    AlertMetrics.Outcome op = d.operating();
    boolean met = op != null;
    if (op == null) {
      // Nothing meets the target: the strictest candidate (highest threshold) as the trainer did.
      double[] th = AlertMetrics.candidateThresholds(d.traces(), s.thresholds());
      double top = th.length == 0 ? 1.0 : th[0];
      op = AlertMetrics.evaluate(d.traces(), top, s.rule());
    }
    AlertPolicy p = s.rule().at(op.threshold());
    // Re-measured under exactly the policy written into the model (raise, clear as floats).
    AlertMetrics.Outcome at = AlertMetrics.evaluate(d.traces(), p, s.horizonMillis());
    return new Choice(p, at, met, d.operatingPoints());
  }
}
