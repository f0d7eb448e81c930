package io.jamwatch.eval;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.scoring.DeviceRecord;
import io.jamwatch.scoring.DeviceScorer;
import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.stream.StreamConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores recorded events offline exactly as the stream does (stream/ScoringProcessor): both call
 * {@link DeviceScorer#apply} on a device's {@link DeviceRecord} (here kept in a map, there in the
 * state store), so admission, resets, the step, the alert policy and duplicate recognition (64-bit
 * eventId hashes) are the same code and a score here equals the stream's bit for bit.
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

  private final DeviceScorer scorer;
  private final Map<String, DeviceRecord> devices = new HashMap<>();

  public OfflineScorer(ScoringModel model, StreamConfig.DeviceStatePolicy policy, StreamConfig.InputChecks checks) {
    this(model, StreamConfig.eventPolicy(checks, policy), null);
  }

  /**
   * The stream's per-device path ({@link DeviceScorer}): admission and resets by {@code policy},
   * one step of {@code model}, then {@code alerts} (null: no alert policy) on the score.
   */
  public OfflineScorer(ScoringModel model, DeviceEventPolicy policy, AlertPolicy alerts) {
    this.scorer = new DeviceScorer(model, policy, alerts);
  }

  /** With the stream's default policy and checks. */
  public OfflineScorer(ScoringModel model) {
    this(model, StreamConfig.DeviceStatePolicy.defaults(), StreamConfig.InputChecks.defaults());
  }

  public ScoringModel model() {
    return scorer.model();
  }

  public Scored score(ScannerEvent e) {
    DeviceRecord d = devices.get(e.getDeviceId());
    if (d == null) {
      d = scorer.newRecord();
      devices.put(e.getDeviceId(), d);
    }
    DeviceScorer.Outcome o = scorer.apply(d, e, DeviceEventPolicy.NO_WALL_CLOCK, null);
    if (o.reject != null) {
      // The device's count when checked against the device, -1 when the event alone was refused.
      boolean againstDevice = o.reject == RejectReason.DUPLICATE || o.reject == RejectReason.OUT_OF_ORDER;
      return new Scored(o.reject, Float.NaN, false, againstDevice ? d.memory.eventCount() : -1, false);
    }
    return new Scored(null, o.score, o.warming, d.memory.eventCount(), o.reset != DeviceScorer.Reset.NONE, o.transition);
  }
}
