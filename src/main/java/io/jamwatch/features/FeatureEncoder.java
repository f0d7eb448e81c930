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
    if (out.length < size)
      throw new IllegalArgumentException("output array has " + out.length + " slots, the spec needs " + size);
    Map<String, Float> readings = e.getReadings();
    for (int i = 0; i < names.length; i++) {
      Float v = readings == null ? null : readings.get(names[i]);
      if (v == null || !Float.isFinite(v)) {
        out[2 * i] = 0f;
        out[2 * i + 1] = 1f;
      } else {
        out[2 * i] = standardise(transforms[i].apply(v), means[i], stds[i]);
        out[2 * i + 1] = 0f;
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

  private float standardise(double v, double mean, double std) {
    double z = (v - mean) / std;
    return (float) Math.max(-clip, Math.min(clip, z));
  }
}
