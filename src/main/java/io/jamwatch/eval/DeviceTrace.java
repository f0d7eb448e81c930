package io.jamwatch.eval;

import io.jamwatch.scoring.HorizonLadder;
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
 * @param ladder null: alerts are raised on {@code scores} and judged on the backtest's horizon;
 *     else they are raised on the horizon ladder's signal and each is judged on the horizon it
 *     claims ({@link HorizonLadder}), from {@code rungs}
 * @param rungs with a ladder, per rung r the probability per event {@code rungs[r][i]} (rung 0 the
 *     primary score); null without
 */
public record DeviceTrace(
    String deviceId, String lineId, long[] times, float[] scores, boolean[] warming, boolean[] inJam,
    long scoredFromMillis, List<Jam> jams, HorizonLadder ladder, float[][] rungs) {

  public DeviceTrace {
    if (times.length != scores.length || times.length != inJam.length || times.length != warming.length) {
      throw new IllegalArgumentException(
          deviceId + ": " + times.length + " times, " + scores.length + " scores, "
              + warming.length + " warming flags, " + inJam.length + " in-jam flags");
    }
    if ((ladder == null) != (rungs == null)
        || (ladder != null && (rungs.length != ladder.rungs() || java.util.Arrays.stream(rungs).anyMatch(r -> r.length != times.length)))) {
      throw new IllegalArgumentException(deviceId + ": ladder and rung columns do not match the events");
    }
    jams = List.copyOf(jams);
  }

  /** Alerts on {@code scores}, judged on the backtest's horizon. */
  public DeviceTrace(String deviceId, String lineId, long[] times, float[] scores, boolean[] warming, boolean[] inJam,
      long scoredFromMillis, List<Jam> jams) {
    this(deviceId, lineId, times, scores, warming, inJam, scoredFromMillis, jams, null, null);
  }

  /**
   * What the alert policy sees per event: the ladder's signal ({@link HorizonLadder#signal}), or
   * {@code scores} without a ladder. Computed per call.
   */
  public float[] alertScores() {
    if (ladder == null) return scores;
    float[] s = new float[times.length];
    float[] p = new float[rungs.length];
    for (int i = 0; i < s.length; i++) {
      for (int r = 0; r < p.length; r++) p[r] = rungs[r][i];
      s[i] = HorizonLadder.signal(p);
    }
    return s;
  }

  /** The horizon an alert raised at event {@code i} with threshold {@code raise} claims; 0 without a ladder. */
  public long claimMillis(int i, float raise) {
    return ladder == null ? 0L : ladder.claim(rungs, i, raise);
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
    return new DeviceTrace(deviceId, lineId, times, s, warming, inJam, scoredFromMillis, jams, null, null);
  }
}
