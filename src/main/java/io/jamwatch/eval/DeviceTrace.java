package io.jamwatch.eval;

import java.util.List;

/**
 * One device's scored events in time order, for the alert-based metrics.
 *
 * @param lineId the device's line (for false alarms per line-shift); "" when unknown
 * @param times event times, epoch millis, non-decreasing
 * @param scores the detector's score per event
 * @param warming per event, whether the scoring path was still warming up (the alert policy raises
 *     nothing then, as in the stream)
 * @param inJam true for events between a JAM and its JAM_CLEARED (inclusive): an alert raised there
 *     is neither a catch nor a false alarm
 * @param scoredFromMillis events before this time are replayed (the policy's state evolves over
 *     them, as in the stream) but not measured: no alert raised, jam or hour before it counts (a
 *     training device's history before the validation cut); {@code Long.MIN_VALUE} = all
 * @param jams the device's jams, in time order
 */
public record DeviceTrace(
    String deviceId, String lineId, long[] times, float[] scores, boolean[] warming, boolean[] inJam,
    long scoredFromMillis, List<Jam> jams) {

  public DeviceTrace {
    if (times.length != scores.length || times.length != inJam.length || times.length != warming.length) {
      throw new IllegalArgumentException(
          deviceId + ": " + times.length + " times, " + scores.length + " scores, "
              + warming.length + " warming flags, " + inJam.length + " in-jam flags");
    }
    jams = List.copyOf(jams);
  }

  /** A device of unknown line, never warming, measured over its whole history. */
  public DeviceTrace(String deviceId, long[] times, float[] scores, boolean[] inJam, List<Jam> jams) {
    this(deviceId, "", times, scores, new boolean[times.length], inJam, Long.MIN_VALUE, jams);
  }

  /** One jam of the ground truth: when it happened, when it cleared, its mechanism. */
  public record Jam(long jamTime, long clearTime, String mechanism) {}

  /** Index of the first measured event ({@code times.length} if none). */
  public int firstMeasured() {
    int i = 0;
    while (i < times.length && times[i] < scoredFromMillis) i++;
    return i;
  }

  /** Measured hours: last event time minus the first measured one. */
  public double hours() {
    int f = firstMeasured();
    return times.length - f < 2 ? 0 : (times[times.length - 1] - times[f]) / 3_600_000.0;
  }

  /** The same events with other scores (another detector). */
  public DeviceTrace withScores(float[] s) {
    return new DeviceTrace(deviceId, lineId, times, s, warming, inJam, scoredFromMillis, jams);
  }
}
