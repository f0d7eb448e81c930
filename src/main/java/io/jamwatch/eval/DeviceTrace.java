package io.jamwatch.eval;

import java.util.List;

/**
 * One device's scored events in time order, for the alert-based metrics.
 *
 * @param times event times, epoch millis, non-decreasing
 * @param scores the detector's score per event
 * @param inJam true for events between a JAM and its JAM_CLEARED (inclusive): they neither raise
 *     nor clear an alert and are not scored as false alarms
 * @param jams the device's jams, in time order
 */
public record DeviceTrace(
    String deviceId, long[] times, float[] scores, boolean[] inJam, List<Jam> jams) {

  public DeviceTrace {
    if (times.length != scores.length || times.length != inJam.length) {
      throw new IllegalArgumentException(
          deviceId + ": " + times.length + " times, " + scores.length + " scores, "
              + inJam.length + " in-jam flags");
    }
    jams = List.copyOf(jams);
  }

  /** One jam of the ground truth: when it happened, when it cleared, its mechanism. */
  public record Jam(long jamTime, long clearTime, String mechanism) {}

  /** Observed hours: last event time minus first. */
  public double hours() {
    return times.length < 2 ? 0 : (times[times.length - 1] - times[0]) / 3_600_000.0;
  }
}
