package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.avro.ScannerEvent;

/**
 * The Kafka record envelope checks an event must pass before it may touch a device's state (a
 * value present, keyed by its deviceId); the event's own content and the per-device rules are
 * {@link DeviceEventPolicy}'s. Each failure is a {@link RejectedEventException} naming what is
 * wrong and where.
 */
final class EventChecks {
  private final DeviceEventPolicy policy;

  EventChecks(DeviceEventPolicy policy) {
    this.policy = policy;
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
    RejectReason bad = policy.checkEvent(e, wallClockNow);
    if (bad != null) {
      throw new RejectedEventException(bad, policy.describe(bad, e, 0L));
    }
  }
}
