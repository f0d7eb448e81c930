package io.jamwatch.scoring;

/**
 * Alert lifecycle as configuration: an alert is RAISED once the score has stayed at or above
 * {@code raiseThreshold} for at least {@code minEventsAbove} consecutive events and for at least
 * {@code minMillisAbove} of event time (set either to its minimum, 1 or 0, to rely on the other
 * alone), and not within {@code cooldownMillis} of the device's last CLEARED. It is CLEARED when
 * the score falls below {@code clearThreshold} (hysteresis: clear &lt;= raise, so a score hovering
 * at the threshold does not flap). Devices still warming up never raise. Suppression: no new RAISED
 * within {@code suppressEvents} events of the device's last RAISED (0 = off), as NAB's leading
 * detectors (contextOSE, KNN-CAD) suppress detections for a while after one; its per-device count
 * lives in {@link AlertState#eventsSinceRaise}, in the store.
 *
 * <p>The one alert policy: the stream, the offline scorer and the benchmarks replay this object.
 */
public record AlertPolicy(
    float raiseThreshold,
    float clearThreshold,
    int minEventsAbove,
    long minMillisAbove,
    long cooldownMillis,
    int suppressEvents) {

  /** Without suppression. */
  public AlertPolicy(float raiseThreshold, float clearThreshold, int minEventsAbove, long minMillisAbove, long cooldownMillis) {
    this(raiseThreshold, clearThreshold, minEventsAbove, minMillisAbove, cooldownMillis, 0);
  }

  public AlertPolicy {
    if (!(raiseThreshold > 0f && raiseThreshold <= 1f)) {
      throw new IllegalArgumentException("alert raise threshold must be in (0, 1], got " + raiseThreshold);
    }
    if (!(clearThreshold >= 0f && clearThreshold <= raiseThreshold)) {
      throw new IllegalArgumentException(
          "alert clear threshold must be in [0, raise threshold " + raiseThreshold + "], got "
              + clearThreshold);
    }
    if (minEventsAbove < 1) {
      throw new IllegalArgumentException("alert min events above must be >= 1, got " + minEventsAbove);
    }
    if (suppressEvents < 0) {
      throw new IllegalArgumentException("alert suppress events must be >= 0, got " + suppressEvents);
    }
    if (minMillisAbove < 0 || cooldownMillis < 0) {
      throw new IllegalArgumentException(
          "alert min duration and cooldown must be >= 0, got " + minMillisAbove + ", " + cooldownMillis);
    }
  }

  public static AlertPolicy defaults() {
    return new AlertPolicy(0.7f, 0.5f, 3, 0L, 60_000L);
  }

  /** The same policy with other thresholds. */
  public AlertPolicy withThresholds(float raise, float clear) {
    return new AlertPolicy(raise, clear, minEventsAbove, minMillisAbove, cooldownMillis, suppressEvents);
  }

  /** The same policy with another suppression span. */
  public AlertPolicy withSuppressEvents(int events) {
    return new AlertPolicy(raiseThreshold, clearThreshold, minEventsAbove, minMillisAbove, cooldownMillis, events);
  }

  /** What one score did to the alert. */
  public enum Transition {
    NONE,
    RAISED,
    CLEARED
  }

  /**
   * Applies one score at event time {@code t} to {@code s} (updated in place) and returns the
   * transition it caused.
   */
  public Transition apply(AlertState s, float score, long t, boolean warming) {
    if (s.eventsSinceRaise < Integer.MAX_VALUE) s.eventsSinceRaise++;
    if (s.open) {
      s.peak = Math.max(s.peak, score);
      if (score < clearThreshold) {
        s.open = false;
        s.lastClearedAt = t;
        s.aboveCount = 0;
        return Transition.CLEARED;
      }
      return Transition.NONE;
    }
    if (warming || !(score >= raiseThreshold)) {
      s.aboveCount = 0;
      return Transition.NONE;
    }
    if (s.aboveCount == 0) {
      s.aboveSince = t;
      s.peak = score;
    } else {
      s.peak = Math.max(s.peak, score);
    }
    s.aboveCount++;
    boolean longEnough = s.aboveCount >= minEventsAbove && t - s.aboveSince >= minMillisAbove;
    boolean cooledDown = !s.everCleared() || t - s.lastClearedAt >= cooldownMillis;
    boolean unsuppressed = s.eventsSinceRaise > suppressEvents;
    if (longEnough && cooledDown && unsuppressed) {
      s.open = true;
      s.raisedAt = t;
      s.eventsSinceRaise = 0;
      return Transition.RAISED;
    }
    return Transition.NONE;
  }
}
