package io.jamwatch.stream;

import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureGroup;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.ScoringModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Why an alert was raised: occlusion of the raising event's feature groups (Zeiler &amp; Fergus
 * 2014, "Visualizing and Understanding Convolutional Networks", sec. 4.2, applied to input
 * features). For each {@link FeatureGroup} of the model's spec, the group is replaced by its
 * training mean, the event re-stepped from a copy of the device's state before the event, and
 * the drop of the score recorded: {@code drop = score - score(occluded)}. The groups with the
 * largest positive drops are the reasons.
 *
 * <p>The training mean of a standardised reading or of the time gap is 0 with its missing
 * indicator off, so both slots become 0. The spec carries no event-type frequencies, so the
 * event-type group becomes an ordinary PACKAGE_SCANNED (all zeros if the spec has no such type).
 *
 * <p>Cost: one model step per group (plus an encode), called only when an alert is raised, never
 * per event. Only the state of the one event is varied; the earlier events stay as they were (the
 * recurrent state already holds them), so a reason says "this reading, now, pushed the score up".
 * Not thread-safe: one per stream thread, like the model.
 */
public final class AlertExplainer {

  /** How many reasons an alert carries at most. */
  public static final int TOP_REASONS = 3;

  private final ScoringModel model;
  private final List<FeatureGroup> groups;
  private final float[] baseline; // [F] the training-mean input
  private final float[] encoded; // [F] the event as seen
  private final float[] occluded; // [F] work buffer
  private final double[] readings; // [R] work buffer: the event's readings
  private final double[] occludedReadings; // [R] work buffer
  private final DeviceMemory work;
  private final DeviceMemory before;
  private final float[] drops;

  public AlertExplainer(ScoringModel model) {
    this.model = model;
    FeatureSpec spec = model.metadata().featureSpec();
    this.groups = spec.groups();
    int f = spec.size();
    this.baseline = new float[f];
    int plain = spec.eventTypes().indexOf(EventType.PACKAGE_SCANNED.name());
    if (plain >= 0) baseline[spec.eventTypeOffset() + plain] = 1f;
    this.encoded = new float[f];
    this.occluded = new float[f];
    this.readings = new double[model.readingCount()];
    this.occludedReadings = new double[model.readingCount()];
    this.work = model.newMemory();
    this.before = model.newMemory();
    this.drops = new float[groups.size()];
  }

  public ScoringModel model() {
    return model;
  }

  /**
   * A reusable memory for the caller to fill with the device's state before the event (the
   * stream restores it from the stored state bytes it read), then pass to {@link #explain}.
   */
  public DeviceMemory memoryBefore() {
    return before;
  }

  /**
   * The top reasons for {@code score}, the score the model gave {@code e} stepped from {@code
   * stateBefore}: at most {@link #TOP_REASONS} groups with a positive drop, largest first.
   * {@code stateBefore} is not modified.
   */
  public List<AlertReason> explain(ScannerEvent e, DeviceMemory stateBefore, float score) {
    model.encoder().encode(e, stateBefore.lastEventTime(), encoded);
    model.readings(e, readings);
    long t = e.getEventTime().toEpochMilli();
    int readingSlots = 2 * readings.length; // FeatureSpec layout: reading i at [2i, 2i+2)
    for (int g = 0; g < groups.size(); g++) {
      FeatureGroup group = groups.get(g);
      System.arraycopy(encoded, 0, occluded, 0, encoded.length);
      System.arraycopy(baseline, group.start(), occluded, group.start(), group.size());
      System.arraycopy(readings, 0, occludedReadings, 0, readings.length);
      if (group.start() < readingSlots) occludedReadings[group.start() / 2] = Double.NaN; // occluded = missing
      work.copyFrom(stateBefore);
      drops[g] = score - model.scoreEncoded(occluded, occludedReadings, t, work);
    }
    List<AlertReason> out = new ArrayList<>(TOP_REASONS);
    boolean[] taken = new boolean[groups.size()];
    for (int k = 0; k < TOP_REASONS; k++) {
      int best = -1;
      for (int g = 0; g < groups.size(); g++) {
        if (!taken[g] && drops[g] > 0f && (best < 0 || drops[g] > drops[best])) best = g;
      }
      if (best < 0) break;
      taken[best] = true;
      out.add(AlertReason.newBuilder().setGroup(groups.get(best).name()).setDrop(drops[best]).build());
    }
    return out;
  }

  /** The score drop of every group for the last {@link #explain} call, in {@link #groups()} order. */
  public float[] lastDrops() {
    return drops.clone();
  }

  public List<FeatureGroup> groups() {
    return groups;
  }
}
