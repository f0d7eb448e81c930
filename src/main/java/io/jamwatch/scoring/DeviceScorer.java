package io.jamwatch.scoring;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;

/**
 * THE per-event path, Kafka-free: one call applies one event to one device's {@link DeviceRecord},
 * in this order, and says what happened in a reused {@link Outcome}:
 *
 * <ol>
 *   <li>admission ({@link DeviceEventPolicy#checkEvent}, then {@link
 *       DeviceEventPolicy#checkAgainstDevice} when the device has state): a rejected event leaves
 *       the record untouched;
 *   <li>how the memory starts: continued, or reset (first event, unreadable stored memory, another
 *       model, silence gap);
 *   <li>one step of the model ({@link ScoringModel#score}; for an unsupervised head the detector
 *       runs inside it);
 *   <li>the alert policy on the model's alert signal (the score, or on a ladder model the largest
 *       of its horizons' probabilities, {@link HorizonLadder}), and the pending alert outcomes it
 *       settles ({@link AlertOutcomes}: resolved ones go to the sink before this event's own RAISED
 *       is recorded, with the horizon it claims);
 *   <li>the eventId remembered, the record stamped with the model, score and wall clock.
 * </ol>
 *
 * The stream's ScoringProcessor is get state, {@code apply}, put state, forward; the offline scorer
 * ({@code eval/OfflineScorer}) keeps the records in a map and calls the same method, so the two
 * give the same scores and transitions bit for bit. Holds the model's work buffers: one per
 * thread.
 */
public final class DeviceScorer {
  /** How the device's memory started before the step. */
  public enum Reset {
    /** The stored memory was continued. */
    NONE,
    /** The device had no state. */
    FIRST_EVENT,
    /** The stored memory cannot be continued (a stored form whose scores meant something else, or arrays not of the model's sizes). */
    UNREADABLE,
    /** The stored memory was written by another model. */
    MODEL_SWAP,
    /** Silence longer than the gap (event time). */
    SILENCE_GAP
  }

  /** What {@link #apply} did; one instance per scorer, overwritten by each call. */
  public static final class Outcome {
    /** Why the event was rejected (the record is untouched), or null when it was scored. */
    public RejectReason reject;
    public float score = Float.NaN;
    public boolean warming;
    public Reset reset = Reset.NONE;
    public AlertPolicy.Transition transition = AlertPolicy.Transition.NONE;
    /** What the alert policy saw: the score, or on a ladder model the ladder's signal (NaN: no alert policy). */
    public float alertScore = Float.NaN;
    /** On RAISED, the horizon the alert claims and is judged on (0: the default outcome horizon); else 0. */
    public long horizonMillis;

    /** True when the stored memory was continued (not reset). */
    public boolean restored() {
      return reject == null && reset == Reset.NONE;
    }
  }

  private static final AlertOutcomes.Sink DISCARD = (raisedAt, jam, lead, horizon) -> {};

  private final ScoringModel model;
  private final long fingerprint;
  private final DeviceEventPolicy policy;
  private final AlertPolicy alerts; // null: scores only
  private final AlertOutcomes outcomes;
  private final Outcome out = new Outcome();

  /**
   * @param alerts the alert policy applied to each score, or null for scores only (no alerts, no
   *     outcomes)
   */
  public DeviceScorer(ScoringModel model, DeviceEventPolicy policy, AlertPolicy alerts) {
    this.model = model;
    this.fingerprint = IdHash.modelFingerprint(model.modelId());
    this.policy = policy;
    this.alerts = alerts;
    this.outcomes = AlertOutcomes.forHorizonSeconds(model.metadata() == null ? 0 : model.metadata().horizonSeconds());
  }

  public ScoringModel model() {
    return model;
  }

  /** {@link IdHash#modelFingerprint} of the model's id. */
  public long fingerprint() {
    return fingerprint;
  }

  public DeviceEventPolicy policy() {
    return policy;
  }

  public AlertOutcomes outcomes() {
    return outcomes;
  }

  /** An empty record sized for this scorer's model. */
  public DeviceRecord newRecord() {
    DeviceRecord d = new DeviceRecord(model.newMemory());
    d.clear();
    return d;
  }

  /**
   * Applies {@code e} to {@code d} (in place) at wall clock {@code wallClockNow} ({@link
   * DeviceEventPolicy#NO_WALL_CLOCK} for a recorded log: no future-skew check, the record's wall
   * clock kept). Outcomes the event settles go to {@code sink} (null: discarded) during the call.
   */
  public Outcome apply(DeviceRecord d, ScannerEvent e, long wallClockNow, AlertOutcomes.Sink sink) {
    Outcome o = out;
    o.score = Float.NaN;
    o.warming = false;
    o.reset = Reset.NONE;
    o.transition = AlertPolicy.Transition.NONE;
    o.alertScore = Float.NaN;
    o.horizonMillis = 0L;
    o.reject = policy.checkEvent(e, wallClockNow);
    if (o.reject != null) {
      return o;
    }
    long t = e.getEventTime().toEpochMilli();
    if (!d.present) {
      d.alert.reset();
      o.reset = Reset.FIRST_EVENT;
    } else {
      o.reject = policy.checkAgainstDevice(e, d);
      if (o.reject != null) {
        return o;
      }
      if (!d.readable) {
        o.reset = Reset.UNREADABLE;
      } else {
        DeviceEventPolicy.Start start = policy.start(d.modelFingerprint, d.memory.lastEventTime, fingerprint, t);
        o.reset = start == DeviceEventPolicy.Start.MODEL_SWAP ? Reset.MODEL_SWAP
            : start == DeviceEventPolicy.Start.SILENCE_GAP ? Reset.SILENCE_GAP : Reset.NONE;
      }
    }
    float score = policy.step(model, e, d.memory, o.reset != Reset.NONE);
    boolean warming = model.warming(d.memory);
    o.score = score;
    o.warming = warming;
    if (alerts != null) {
      d.alert.staleAlerted = false;
      float signal = model.alertSignal(score);
      o.alertScore = signal;
      o.transition = alerts.apply(d.alert, signal, t, warming);
      outcomes.resolve(d.alert, t, e.getType() == EventType.JAM, sink == null ? DISCARD : sink);
      if (o.transition == AlertPolicy.Transition.RAISED) {
        o.horizonMillis = model.claimMillis(alerts.raiseThreshold());
        outcomes.raised(d.alert, t, o.horizonMillis);
      }
    }
    policy.remember(d, e.getEventId());
    d.present = true;
    d.readable = true;
    d.modelFingerprint = fingerprint;
    d.lastScore = score;
    if (wallClockNow != DeviceEventPolicy.NO_WALL_CLOCK) d.lastSeenWallClock = wallClockNow;
    return o;
  }
}
