package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.avro.ScannerEvent;

/**
 * The Kafka record envelope checks an event must pass before it may touch a device's state (a
 * value present, keyed by its deviceId); the event's own content and the per-device rules are
 * {@link DeviceEventPolicy}'s, applied by the scoring package's DeviceScorer. Each failure is a
 * {@link RejectedEventException} naming what is wrong and where.
 */
final class EventChecks {
  void check(String key, ScannerEvent e) {
    if (e == null) {
      throw new RejectedEventException(RejectReason.NULL_VALUE, "null value for key " + key);
    }
    String device = e.getDeviceId();
    if (key == null || !key.equals(device)) {
      throw new RejectedEventException(
          RejectReason.KEY_MISMATCH,
          "record key '" + key + "' is not the event's deviceId '" + device + "'");
    }
  }
}
