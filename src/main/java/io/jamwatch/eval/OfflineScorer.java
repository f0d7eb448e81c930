package io.jamwatch.eval;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.scoring.RejectReason;
import io.jamwatch.stream.StreamConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores recorded events offline exactly as the stream does (stream/ScoringProcessor): the same
 * {@link DeviceEventPolicy} decides per device whether an event is rejected (state untouched) and
 * whether the memory starts fresh (first event, silence gap), and the same {@link
 * ScoringModel#score} steps a {@link DeviceMemory} once per accepted event, so a score here equals
 * the stream's bit for bit.
 *
 * <p>Not replicated: the stream's future-skew check against the wall clock (a recorded log is in
 * the past by construction: {@link DeviceEventPolicy#NO_WALL_CLOCK}), TTL eviction (wall clock) and
 * model swaps (one model here).
 */
public final class OfflineScorer {

  /**
   * The outcome for one event: {@code reject} null when scored; {@code alert} the transition the
   * alert policy made (NONE without a policy).
   */
  public record Scored(RejectReason reject, float score, boolean warming, long eventCount, boolean reset,
      AlertPolicy.Transition alert) {
    public Scored(RejectReason reject, float score, boolean warming, long eventCount, boolean reset) {
      this(reject, score, warming, eventCount, reset, AlertPolicy.Transition.NONE);
    }
  }

  private final ScoringModel model;
  private final DeviceEventPolicy policy;
  private final AlertPolicy alerts; // null: scores only
  private final Map<String, Device> devices = new HashMap<>();

  private static final class Device {
    final DeviceMemory memory;
    final AlertState alert = new AlertState();
    final String modelId;
    long last;
    final List<String> recent;

    Device(DeviceMemory memory, String modelId, int recentIds) {
      this.memory = memory;
      this.modelId = modelId;
      this.recent = new ArrayList<>(recentIds + 1);
    }
  }

  public OfflineScorer(ScoringModel model, StreamConfig.DeviceStatePolicy policy, StreamConfig.InputChecks checks) {
    this(model, StreamConfig.eventPolicy(checks, policy), null);
  }

  /**
   * The stream's per-device path: admission and resets by {@code policy}, one step of {@code
   * model}, then {@code alerts} (null: no alert policy) on the score, as ScoringProcessor applies it.
   */
  public OfflineScorer(ScoringModel model, DeviceEventPolicy policy, AlertPolicy alerts) {
    this.model = model;
    this.policy = policy;
    this.alerts = alerts;
  }

  /** With the stream's default policy and checks. */
  public OfflineScorer(ScoringModel model) {
    this(model, StreamConfig.DeviceStatePolicy.defaults(), StreamConfig.InputChecks.defaults());
  }

  public ScoringModel model() {
    return model;
  }

  public Scored score(ScannerEvent e) {
    RejectReason bad = policy.checkEvent(e, DeviceEventPolicy.NO_WALL_CLOCK);
    if (bad != null) {
      return new Scored(bad, Float.NaN, false, -1, false);
    }
    long t = e.getEventTime().toEpochMilli();
    Device d = devices.get(e.getDeviceId());
    DeviceEventPolicy.Start start;
    if (d == null) {
      d = new Device(model.newMemory(), model.modelId(), policy.recentEventIds());
      devices.put(e.getDeviceId(), d);
      start = DeviceEventPolicy.Start.FIRST_EVENT;
    } else {
      bad = policy.checkAgainstDevice(e, d.last, d.recent);
      if (bad != null) {
        return new Scored(bad, Float.NaN, false, d.memory.eventCount(), false);
      }
      start = policy.start(d.modelId, d.last, model.modelId(), t);
    }
    float s = policy.step(model, e, d.memory, start.resets());
    boolean warming = model.warming(d.memory);
    d.last = t;
    policy.remember(d.recent, e.getEventId());
    AlertPolicy.Transition tr = alerts == null ? AlertPolicy.Transition.NONE : alerts.apply(d.alert, s, t, warming);
    return new Scored(null, s, warming, d.memory.eventCount(), start.resets(), tr);
  }
}
