package io.jamwatch.eval;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.onnx.DeviceMemory;
import io.jamwatch.onnx.ScoringModel;
import io.jamwatch.stream.RejectReason;
import io.jamwatch.stream.StreamConfig;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores recorded events offline exactly as the stream does (stream/ScoringProcessor): per device
 * a {@link DeviceMemory} stepped once per accepted event by {@link ScoringModel#score}, the one
 * stepping path, so a score here equals the stream's bit for bit. The same per-device policy:
 *
 * <ul>
 *   <li>rejected, state untouched: a NaN/infinite reading ({@code NON_FINITE_READING}), an UNKNOWN
 *       event type, an event time before {@code InputChecks.minEventTime} ({@code ABSURD_TIMESTAMP}),
 *       an eventId among the device's last {@code recentEventIds} applied ({@code DUPLICATE}), an
 *       event time before the device's last applied one ({@code OUT_OF_ORDER}; equal times are
 *       accepted);
 *   <li>a device's first event, and an event more than {@code silenceGapMillis} after the previous
 *       one, start from a fresh memory.
 * </ul>
 *
 * Not replicated: the stream's future-skew check against the wall clock (a recorded log is in the
 * past by construction), TTL eviction (wall clock) and model swaps (one model here).
 */
public final class OfflineScorer {

  /** The outcome for one event: {@code reject} null when scored. */
  public record Scored(RejectReason reject, float score, boolean warming, long eventCount, boolean reset) {}

  private final ScoringModel model;
  private final StreamConfig.DeviceStatePolicy policy;
  private final long minEventTime;
  private final Map<String, Device> devices = new HashMap<>();

  private static final class Device {
    DeviceMemory memory;
    long last;
    final ArrayDeque<String> recent = new ArrayDeque<>();
  }

  public OfflineScorer(ScoringModel model, StreamConfig.DeviceStatePolicy policy, StreamConfig.InputChecks checks) {
    this.model = model;
    this.policy = policy;
    this.minEventTime = checks.minEventTime().toEpochMilli();
  }

  /** With the stream's default policy and checks. */
  public OfflineScorer(ScoringModel model) {
    this(model, StreamConfig.DeviceStatePolicy.defaults(), StreamConfig.InputChecks.defaults());
  }

  public ScoringModel model() {
    return model;
  }

  public Scored score(ScannerEvent e) {
    RejectReason bad = check(e);
    if (bad != null) {
      return new Scored(bad, Float.NaN, false, -1, false);
    }
    long t = e.getEventTime().toEpochMilli();
    Device d = devices.get(e.getDeviceId());
    boolean reset;
    if (d == null) {
      d = new Device();
      d.memory = model.newMemory();
      devices.put(e.getDeviceId(), d);
      reset = true;
    } else {
      String id = e.getEventId();
      if (id != null && d.recent.contains(id)) {
        return new Scored(RejectReason.DUPLICATE, Float.NaN, false, d.memory.eventCount(), false);
      }
      if (t < d.last) {
        return new Scored(RejectReason.OUT_OF_ORDER, Float.NaN, false, d.memory.eventCount(), false);
      }
      reset = t - d.last > policy.silenceGapMillis();
      if (reset) {
        d.memory.reset();
      }
    }
    float s = model.score(e, d.memory);
    boolean warming = model.warming(d.memory);
    d.last = t;
    if (e.getEventId() != null && policy.recentEventIds() > 0) {
      d.recent.addLast(e.getEventId());
      while (d.recent.size() > policy.recentEventIds()) {
        d.recent.removeFirst();
      }
    }
    return new Scored(null, s, warming, d.memory.eventCount(), reset);
  }

  private RejectReason check(ScannerEvent e) {
    if (e.getType() == EventType.UNKNOWN) {
      return RejectReason.UNKNOWN_EVENT_TYPE;
    }
    if (e.getEventTime().toEpochMilli() < minEventTime) {
      return RejectReason.ABSURD_TIMESTAMP;
    }
    for (Float v : e.getReadings().values()) {
      if (v == null || !Float.isFinite(v)) {
        return RejectReason.NON_FINITE_READING;
      }
    }
    return null;
  }
}
