package io.jamwatch.features;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.Arrays;
import java.util.Map;

/**
 * The one path from a {@link ScannerEvent} to the model's input vector (layout in {@link
 * FeatureSpec}). Called by the trainer, the offline scorer and the stream. Allocates nothing per
 * event; thread-safe (no mutable state).
 */
public final class FeatureEncoder {
  /** Previous event time of a device's first event. */
  public static final long NO_PREVIOUS = Long.MIN_VALUE;

  private final FeatureSpec spec;
  private final String[] names; // [R]
  private final Transform[] transforms; // [R]
  private final double[] means; // [R]
  private final double[] stds; // [R]
  private final int[] typeSlot; // [EventType.values().length]: feature index or -1
  private final int size;
  private final int gapOffset;
  private final double clip;
  private final long[] periods; // [C] calendar cycle periods, ms
  private final int calendarOffset;
  private final double alpha; // 1 / deviceWindow, 0 when off

  public FeatureEncoder(FeatureSpec spec) {
    this.spec = spec;
    int r = spec.readings().size();
    names = new String[r];
    transforms = new Transform[r];
    means = new double[r];
    stds = new double[r];
    for (int i = 0; i < r; i++) {
      FeatureSpec.ReadingSpec rs = spec.readings().get(i);
      names[i] = rs.name();
      transforms[i] = rs.transform();
      means[i] = rs.mean();
      stds[i] = rs.std();
    }
    typeSlot = new int[EventType.values().length];
    Arrays.fill(typeSlot, -1);
    for (int k = 0; k < spec.eventTypes().size(); k++) {
      // A type this build does not know has no slot; a type the spec lacks encodes as all zeros.
      for (EventType t : EventType.values()) {
        if (t.name().equals(spec.eventTypes().get(k))) typeSlot[t.ordinal()] = spec.eventTypeOffset() + k;
      }
    }
    size = spec.size();
    gapOffset = spec.gapOffset();
    clip = spec.clip();
    periods = spec.calendarCycles().stream().mapToLong(FeatureSpec::periodMillis).toArray();
    calendarOffset = spec.calendarOffset();
    alpha = spec.deviceWindowEvents() == 0 ? 0 : 1.0 / spec.deviceWindowEvents();
  }

  /** Doubles of per-device state the encoding needs: 2 per reading with per-device standardisation, else 0. */
  public int deviceStateSize() {
    return alpha == 0 ? 0 : 2 * names.length;
  }

  /** A new device's standardisation state at {@code s[off..off+deviceStateSize())}: the fitted mean and variance. */
  public void initDeviceState(double[] s, int off) {
    if (alpha == 0) return;
    for (int i = 0; i < names.length; i++) {
      s[off + 2 * i] = means[i];
      s[off + 2 * i + 1] = stds[i] * stds[i];
    }
  }

  public FeatureSpec spec() {
    return spec;
  }

  public int size() {
    return size;
  }

  /**
   * Encodes {@code e} into {@code out[0..F)}. {@code prevEventTimeMillis} is the event time of the
   * device's previous accepted event, or {@link #NO_PREVIOUS}. Readings not in the spec are ignored;
   * a missing, NaN or infinite reading is imputed (0) and flagged.
   */
  public void encode(ScannerEvent e, long prevEventTimeMillis, float[] out) {
    encode(e, prevEventTimeMillis, null, 0, out);
  }

  /**
   * {@link #encode(ScannerEvent, long, float[])} for a device whose standardisation state is at
   * {@code dev[off..off+deviceStateSize())}: read for this event, then updated with it. {@code dev}
   * may be null only when {@link #deviceStateSize()} is 0.
   */
  public void encode(ScannerEvent e, long prevEventTimeMillis, double[] dev, int off, float[] out) {
    if (alpha != 0 && (dev == null || dev.length < off + deviceStateSize()))
      throw new IllegalArgumentException("this feature spec standardises per device: a device state of "
          + deviceStateSize() + " values is needed");
    if (out.length < size)
      throw new IllegalArgumentException("output array has " + out.length + " slots, the spec needs " + size);
    Map<String, Float> readings = e.getReadings();
    for (int i = 0; i < names.length; i++) {
      Float v = readings == null ? null : readings.get(names[i]);
      if (v == null || !Float.isFinite(v)) {
        out[2 * i] = 0f;
        out[2 * i + 1] = 1f;
      } else {
        out[2 * i] = (float) Math.max(-clip, Math.min(clip, unclipped(i, v, dev, off)));
        out[2 * i + 1] = 0f;
        if (alpha != 0) {
          // the device's exponentially weighted moments (West 1979's incremental form), after the event is encoded
          int k = off + 2 * i;
          double d = transforms[i].apply(v) - dev[k];
          dev[k] += alpha * d;
          dev[k + 1] = (1 - alpha) * (dev[k + 1] + alpha * d * d);
        }
      }
    }
    Arrays.fill(out, spec.eventTypeOffset(), gapOffset, 0f);
    EventType type = e.getType();
    if (type != null && typeSlot[type.ordinal()] >= 0) out[typeSlot[type.ordinal()]] = 1f;
    if (prevEventTimeMillis == NO_PREVIOUS) {
      out[gapOffset] = 0f;
      out[gapOffset + 1] = 1f;
    } else {
      out[gapOffset] =
          standardise(FeatureSpec.gapFeature(e.getEventTime().toEpochMilli(), prevEventTimeMillis), spec.gapMean(), spec.gapStd());
      out[gapOffset + 1] = 0f;
    }
    for (int c = 0; c < periods.length; c++) {
      // phase of the event time in the cycle (UTC), as a point on the unit circle
      double phase = 2 * Math.PI * Math.floorMod(e.getEventTime().toEpochMilli(), periods[c]) / periods[c];
      out[calendarOffset + 2 * c] = (float) Math.sin(phase);
      out[calendarOffset + 2 * c + 1] = (float) Math.cos(phase);
    }
  }

  /**
   * Reading {@code i}'s value {@code v} standardised as {@link #encode} does, before the clip: with
   * the fitted mean and std, or with the device's running ones at {@code dev[off..]} (not updated
   * here) when the spec standardises per device.
   */
  public double unclipped(int i, double v, double[] dev, int off) {
    double t = transforms[i].apply(v);
    if (alpha == 0) return (t - means[i]) / stds[i];
    double floor = FeatureSpec.DEVICE_STD_FLOOR * stds[i];
    return (t - dev[off + 2 * i]) / Math.sqrt(Math.max(dev[off + 2 * i + 1], floor * floor));
  }

  private float standardise(double v, double mean, double std) {
    double z = (v - mean) / std;
    return (float) Math.max(-clip, Math.min(clip, z));
  }
}
