package io.jamwatch.scoring;

import io.jamwatch.features.FeatureEncoder;
import java.util.Arrays;

/**
 * Everything a {@link ScoringModel} keeps for one device between two events, as plain mutable
 * fields the caller persists (the stream maps them to and from its Avro DeviceState with
 * DeviceStateMapper; the offline scorer keeps one per device in memory). Arrays are sized by
 * {@link ScoringModel#newMemory()} and written in place by each step:
 *
 * <ul>
 *   <li>{@code h} [L*H] hidden state; {@code c} [L*H] cell state (LSTM; empty otherwise);
 *   <li>{@code pred} [F] the forecast of this device's next encoded event (forecast head; empty otherwise);
 *   <li>{@code detector} the post-step detector's state ({@link DetectorStages}; unsupervised
 *       scores only, empty otherwise);
 *   <li>{@code lastEventTime} event time of the last event stepped ({@link FeatureEncoder#NO_PREVIOUS} before the first);
 *   <li>{@code eventCount} events stepped since the memory was created or reset.
 * </ul>
 *
 * Not thread-safe.
 */
public final class DeviceMemory {
  public final float[] h;
  public final float[] c;
  public final float[] pred;
  public final double[] detector;
  public long lastEventTime = FeatureEncoder.NO_PREVIOUS;
  public long eventCount;

  private final double[] detectorInit;

  DeviceMemory(int stateSize, boolean cellState, int predSize, double[] detectorInit) {
    h = new float[stateSize];
    c = new float[cellState ? stateSize : 0];
    pred = new float[predSize];
    this.detectorInit = detectorInit.clone();
    detector = detectorInit.clone();
  }

  // Accessors beside the public fields: the stream's DeviceStateMapper (branch h4) codes against
  // them, the offline paths against the fields; both see the same live arrays.

  /** The hidden state [L*H], live (written in place by each step). */
  public float[] h() {
    return h;
  }

  /** The cell state [L*H] (LSTM), empty for other cells; live. */
  public float[] c() {
    return c;
  }

  /** The forecast of the next encoded event [F], empty without a forecast head; live. */
  public float[] pred() {
    return pred;
  }

  /**
   * The doubles of the pure-Java stages around the step: the detector's state (unsupervised score),
   * then the encoder's per-device standardisation (when the feature spec has one); empty when
   * neither is used; live.
   */
  public double[] detector() {
    return detector;
  }

  public long lastEventTime() {
    return lastEventTime;
  }

  public void setLastEventTime(long t) {
    lastEventTime = t;
  }

  public long eventCount() {
    return eventCount;
  }

  public void setEventCount(long n) {
    if (n < 0) throw new IllegalArgumentException("eventCount must be >= 0, got " + n);
    eventCount = n;
  }

  /** Back to a fresh device: zero state, no previous event, count 0. */
  public void reset() {
    Arrays.fill(h, 0f);
    Arrays.fill(c, 0f);
    Arrays.fill(pred, 0f);
    System.arraycopy(detectorInit, 0, detector, 0, detector.length);
    lastEventTime = FeatureEncoder.NO_PREVIOUS;
    eventCount = 0;
  }

  /** Overwrites this memory with {@code o} (a memory of the same model). */
  public void copyFrom(DeviceMemory o) {
    if (o.h.length != h.length || o.c.length != c.length || o.pred.length != pred.length
        || o.detector.length != detector.length)
      throw new IllegalArgumentException("device memories of different models");
    System.arraycopy(o.h, 0, h, 0, h.length);
    System.arraycopy(o.c, 0, c, 0, c.length);
    System.arraycopy(o.pred, 0, pred, 0, pred.length);
    System.arraycopy(o.detector, 0, detector, 0, detector.length);
    lastEventTime = o.lastEventTime;
    eventCount = o.eventCount;
  }

  /** An independent copy (e.g. to try an occluded input without touching the real state). */
  public DeviceMemory copy() {
    DeviceMemory m = new DeviceMemory(h.length, c.length > 0, pred.length, detectorInit);
    m.copyFrom(this);
    return m;
  }
}
