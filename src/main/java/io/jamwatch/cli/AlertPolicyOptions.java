package io.jamwatch.cli;

import io.jamwatch.scoring.AlertPolicy;
import picocli.CommandLine.Option;

/**
 * The alert policy's settings as command-line options, shared by {@code train} (its threshold
 * choice) and {@code backtest}, so both replay the same {@link AlertPolicy} as the stream. Defaults
 * are the stream's ({@link AlertPolicy#defaults()}); the raise threshold is what train chooses and
 * backtest sweeps, the clear threshold is raise x {@code --clear-fraction}.
 */
public final class AlertPolicyOptions {
  private static final AlertPolicy D = AlertPolicy.defaults();

  @Option(names = "--min-events", defaultValue = "3",
      description = "Alert policy: consecutive events at or above the raise threshold before RAISED. Default: ${DEFAULT-VALUE}.")
  int minEvents = D.minEventsAbove();

  @Option(names = "--min-duration", defaultValue = "0s", converter = TrainCommand.DurationMillis.class,
      description = "Alert policy: event time above the raise threshold before RAISED. Default: ${DEFAULT-VALUE}.")
  long minMillis = D.minMillisAbove();

  @Option(names = "--cooldown", defaultValue = "60s", converter = TrainCommand.DurationMillis.class,
      description = "Alert policy: no RAISED within this event time of the device's last CLEARED. Default: ${DEFAULT-VALUE}.")
  long cooldownMillis = D.cooldownMillis();

  @Option(names = "--suppress-events", defaultValue = "0",
      description = "Alert policy: no RAISED within this many events of the last RAISED (0 = off). Default: ${DEFAULT-VALUE}.")
  int suppressEvents = D.suppressEvents();

  @Option(names = "--clear-fraction", defaultValue = "0.5",
      description = "Alert policy: clear threshold = raise x this (hysteresis). Default: ${DEFAULT-VALUE}.")
  double clearFraction = 0.5;

  /** The policy (thresholds are placeholders: the caller sets or sweeps them). */
  public AlertPolicy policy() {
    return new AlertPolicy(D.raiseThreshold(), D.clearThreshold(), minEvents, minMillis, cooldownMillis, suppressEvents);
  }
}
