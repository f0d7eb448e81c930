package io.jamwatch.stream;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.Map;

/**
 * Plausibility checks an event must pass before it may touch a device's state; each failure is a
 * {@link RejectedEventException} naming what is wrong and where.
 */
final class EventChecks {
  private final long minEventTime;
  private final long maxFutureSkewMillis;

  EventChecks(StreamConfig.InputChecks config) {
    this.minEventTime = config.minEventTime().toEpochMilli();
    this.maxFutureSkewMillis = config.maxFutureSkewMillis();
  }

  void check(String key, ScannerEvent e, long wallClockNow) {
    if (e == null) {
      throw new RejectedEventException(RejectReason.NULL_VALUE, "null value for key " + key);
    }
    String device = e.getDeviceId();
    if (key == null || !key.equals(device)) {
      throw new RejectedEventException(
          RejectReason.KEY_MISMATCH,
          "record key '" + key + "' is not the event's deviceId '" + device + "'");
    }
    if (e.getType() == EventType.UNKNOWN) {
      throw new RejectedEventException(
          RejectReason.UNKNOWN_EVENT_TYPE, device + ": event type unknown to this reader");
    }
    long t = e.getEventTime().toEpochMilli();
    if (t < minEventTime || t - wallClockNow > maxFutureSkewMillis) {
      throw new RejectedEventException(
          RejectReason.ABSURD_TIMESTAMP,
          device + ": event time " + t + " (" + java.time.Instant.ofEpochMilli(t)
              + ") outside [" + java.time.Instant.ofEpochMilli(minEventTime) + ", wall clock + "
              + maxFutureSkewMillis + " ms]");
    }
    for (Map.Entry<String, Float> r : e.getReadings().entrySet()) {
      Float v = r.getValue();
      if (v == null || !Float.isFinite(v)) {
        throw new RejectedEventException(
            RejectReason.NON_FINITE_READING, device + ": reading " + r.getKey() + " = " + v);
      }
    }
  }
}
