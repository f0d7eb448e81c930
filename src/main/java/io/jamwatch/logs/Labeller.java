package io.jamwatch.logs;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.List;

/**
 * Cuts training labels for the risk head from the JAM / JAM_CLEARED ground truth of one device.
 *
 * <p>For each event of one device, in that device's time order:
 * <ul>
 *   <li>{@link #IN_JAM}: the event is a JAM, a JAM_CLEARED, or lies between them (the line is
 *       stopped; nothing to predict). A JAM never cleared before the log ends keeps every later
 *       event IN_JAM.</li>
 *   <li>{@link #POSITIVE}: the device's next JAM comes at most {@code horizonMillis} after it.</li>
 *   <li>{@link #CENSORED}: no JAM within the horizon, but the horizon runs past
 *       {@code logEndMillis}, so the log cannot say whether one followed (survival analysis'
 *       right-censoring): excluded, not labelled negative.</li>
 *   <li>{@link #NEGATIVE}: otherwise.</li>
 * </ul>
 *
 * <p>"Next JAM" is the next JAM in list order. Delivery faults (an event a few ms later than the
 * JAM that follows it in the list, from clock skew) count as within the horizon: the event was
 * delivered before the jam, which is what a streaming detector would see.
 */
public final class Labeller {

  public static final byte POSITIVE = 1;
  public static final byte NEGATIVE = 0;
  public static final byte IN_JAM = -1;
  public static final byte CENSORED = -2;

  /** The horizon the project uses unless told otherwise: a jam within the next 120 s. */
  public static final long DEFAULT_HORIZON_MILLIS = 120_000L;

  private Labeller() {}

  /**
   * @param oneDeviceInTimeOrder the events of a single device, in its time order
   * @param horizonMillis how far ahead a JAM makes an event positive; must be positive
   * @param logEndMillis event time at which the log ends (no event, and no knowledge, after it)
   * @return one label per event, same order
   */
  public static byte[] label(List<ScannerEvent> oneDeviceInTimeOrder, long horizonMillis, long logEndMillis) {
    if (horizonMillis <= 0) {
      throw new IllegalArgumentException("horizonMillis must be > 0, got " + horizonMillis);
    }
    int n = oneDeviceInTimeOrder.size();
    byte[] labels = new byte[n];

    // Forward pass: mark JAM .. JAM_CLEARED inclusive.
    boolean jammed = false;
    for (int i = 0; i < n; i++) {
      EventType type = oneDeviceInTimeOrder.get(i).getType();
      if (type == EventType.JAM) {
        jammed = true;
      }
      if (jammed) {
        labels[i] = IN_JAM;
      }
      if (type == EventType.JAM_CLEARED) {
        // A JAM_CLEARED without a JAM before it (log starts mid-jam) is still part of a stop.
        labels[i] = IN_JAM;
        jammed = false;
      }
    }

    // Backward pass: time of the next JAM after each position.
    long nextJam = Long.MAX_VALUE;
    for (int i = n - 1; i >= 0; i--) {
      ScannerEvent e = oneDeviceInTimeOrder.get(i);
      if (e.getType() == EventType.JAM) {
        nextJam = e.getEventTime().toEpochMilli();
        continue;
      }
      if (labels[i] == IN_JAM) {
        continue;
      }
      long t = e.getEventTime().toEpochMilli();
      if (nextJam != Long.MAX_VALUE && nextJam - t <= horizonMillis) {
        labels[i] = POSITIVE;
      } else if (t > logEndMillis - horizonMillis) {
        labels[i] = CENSORED;
      } else {
        labels[i] = NEGATIVE;
      }
    }
    return labels;
  }
}
