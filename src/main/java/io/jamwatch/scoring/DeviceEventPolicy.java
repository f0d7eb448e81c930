package io.jamwatch.scoring;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.Map;

/**
 * THE per-device admission and reset policy, applied by {@link DeviceScorer} (the one per-event
 * path of the stream and the offline scorer) so the two cannot drift apart. It knows nothing of
 * Kafka: the device's state is a {@link DeviceRecord}, and per event, in this order:
 *
 * <ol>
 *   <li>{@link #checkEvent}: is the event itself usable? (type known, plausible event time, finite
 *       readings);
 *   <li>{@link #checkAgainstDevice}, when the device has state: is it a duplicate eventId, or older
 *       than the last event applied? (equal event times are accepted);
 *   <li>{@link #start}: may the stored memory be continued, or must it be reset first (first event
 *       of the device, state written by another model, silence longer than the gap)?
 *   <li>{@link #step}: reset if told to, then one step through {@link ScoringModel#score};
 *   <li>{@link #remember}: record the eventId among the device's recent ones.
 * </ol>
 *
 * A rejected event must leave the device's state untouched: every check runs before anything is
 * written. The methods return enums (no allocation per accepted event); {@link #describe} builds
 * the error message only for a rejection.
 */
public final class DeviceEventPolicy {
  /** Wall-clock value for a recorded log: no clock to compare event times with (no future-skew check). */
  public static final long NO_WALL_CLOCK = Long.MIN_VALUE;

  /** How a device's memory starts before the event is stepped. */
  public enum Start {
    /** Continue the stored memory. */
    CONTINUE,
    /** The device has no state yet: fresh memory. */
    FIRST_EVENT,
    /** The stored state was written by another model id: reset, never misread. */
    MODEL_SWAP,
    /** More than the silence gap (event time) since the device's last event: reset. */
    SILENCE_GAP;

    /** True when the memory must be reset before the step. */
    public boolean resets() {
      return this != CONTINUE;
    }
  }

  private final long minEventTime;
  private final long maxFutureSkewMillis;
  private final long silenceGapMillis;
  private final int recentEventIds;

  /**
   * @param minEventTime        earliest plausible event time (epoch ms)
   * @param maxFutureSkewMillis how far an event time may lie ahead of the wall clock
   * @param silenceGapMillis    event-time silence after which a device's memory starts afresh
   * @param recentEventIds      eventIds remembered per device to recognise duplicates
   */
  public DeviceEventPolicy(long minEventTime, long maxFutureSkewMillis, long silenceGapMillis, int recentEventIds) {
    if (maxFutureSkewMillis < 0 || silenceGapMillis <= 0 || recentEventIds < 0)
      throw new IllegalArgumentException("device event policy: skew >= 0, silence gap > 0, recent ids >= 0 required, got "
          + maxFutureSkewMillis + ", " + silenceGapMillis + ", " + recentEventIds);
    this.minEventTime = minEventTime;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
    this.silenceGapMillis = silenceGapMillis;
    this.recentEventIds = recentEventIds;
  }

  /** The same checks with another silence gap (e.g. a benchmark series sampled every 5 minutes). */
  public DeviceEventPolicy withSilenceGap(long millis) {
    return new DeviceEventPolicy(minEventTime, maxFutureSkewMillis, millis, recentEventIds);
  }

  /** The silence gap after which a device's memory is reset. */
  public long silenceGapMillis() {
    return silenceGapMillis;
  }

  /**
   * The checks on the event alone, or null when it passes: {@code UNKNOWN_EVENT_TYPE}, {@code
   * ABSURD_TIMESTAMP} (before the minimum, or beyond the future skew from {@code wallClockNow};
   * the latter not with {@link #NO_WALL_CLOCK}), {@code NON_FINITE_READING}.
   */
  public RejectReason checkEvent(ScannerEvent e, long wallClockNow) {
    if (e.getType() == EventType.UNKNOWN) {
      return RejectReason.UNKNOWN_EVENT_TYPE;
    }
    long t = e.getEventTime().toEpochMilli();
    if (t < minEventTime || (wallClockNow != NO_WALL_CLOCK && t - wallClockNow > maxFutureSkewMillis)) {
      return RejectReason.ABSURD_TIMESTAMP;
    }
    for (Float v : e.getReadings().values()) {
      if (v == null || !Float.isFinite(v)) {
        return RejectReason.NON_FINITE_READING;
      }
    }
    return null;
  }

  /**
   * The checks against a device that has state, or null when the event may be applied: {@code
   * DUPLICATE} when its eventId's {@link IdHash} is among the device's recent ones, {@code
   * OUT_OF_ORDER} when its event time is before the device's last applied event time.
   */
  public RejectReason checkAgainstDevice(ScannerEvent e, DeviceRecord device) {
    String id = e.getEventId();
    if (id != null && device.seen(IdHash.of(id))) {
      return RejectReason.DUPLICATE;
    }
    if (e.getEventTime().toEpochMilli() < device.memory.lastEventTime) {
      return RejectReason.OUT_OF_ORDER;
    }
    return null;
  }

  /**
   * How the memory of a device with state starts for an admitted event at {@code eventTime}: the
   * stored memory's model fingerprint against the scoring model's ({@link IdHash#modelFingerprint}).
   */
  public Start start(long storedModel, long lastEventTime, long model, long eventTime) {
    if (storedModel != model) {
      return Start.MODEL_SWAP;
    }
    if (eventTime - lastEventTime > silenceGapMillis) {
      return Start.SILENCE_GAP;
    }
    return Start.CONTINUE;
  }

  /** Resets {@code memory} when {@code fresh}, then steps it once with {@code e}; returns the score. */
  public float step(ScoringModel model, ScannerEvent e, DeviceMemory memory, boolean fresh) {
    if (fresh) {
      memory.reset();
    }
    return model.score(e, memory);
  }

  /** Records the applied event's id (if any) among the device's recent ones, keeping the newest few. */
  public void remember(DeviceRecord device, String eventId) {
    if (eventId != null) {
      device.remember(IdHash.of(eventId), recentEventIds);
    }
  }

  /** The number of recent eventIds kept per device. */
  public int recentEventIds() {
    return recentEventIds;
  }

  /** The error message for a rejection of {@code e} ({@code lastEventTime} for OUT_OF_ORDER). */
  public String describe(RejectReason reason, ScannerEvent e, long lastEventTime) {
    String device = e.getDeviceId();
    long t = e.getEventTime().toEpochMilli();
    switch (reason) {
      case UNKNOWN_EVENT_TYPE:
        return device + ": event type unknown to this reader";
      case ABSURD_TIMESTAMP:
        return device + ": event time " + t + " (" + Instant.ofEpochMilli(t) + ") outside ["
            + Instant.ofEpochMilli(minEventTime) + ", wall clock + " + maxFutureSkewMillis + " ms]";
      case NON_FINITE_READING:
        for (Map.Entry<String, Float> r : e.getReadings().entrySet()) {
          Float v = r.getValue();
          if (v == null || !Float.isFinite(v)) {
            return device + ": reading " + r.getKey() + " = " + v;
          }
        }
        return device + ": a reading is not finite";
      case DUPLICATE:
        return device + ": eventId " + e.getEventId() + " already applied";
      case OUT_OF_ORDER:
        return device + ": event time " + t + " is before the last applied " + lastEventTime;
      default:
        return device + ": " + reason;
    }
  }
}
