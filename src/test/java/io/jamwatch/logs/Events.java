package io.jamwatch.logs;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test fixture: small ScannerEvents. */
final class Events {
  private Events() {}

  static ScannerEvent event(String device, long time, EventType type) {
    Map<String, Float> readings = new LinkedHashMap<>();
    if (type == EventType.PACKAGE_SCANNED) {
      readings.put("belt_speed", 1.5f);
      readings.put("gap_ms", (float) (time % 1000));
    }
    return ScannerEvent.newBuilder()
        .setDeviceId(device)
        .setLineId(device.substring(0, 3))
        .setEventTime(java.time.Instant.ofEpochMilli(time))
        .setType(type)
        .setReadings(readings)
        .setEventId(device + "-" + time)
        .build();
  }

  static ScannerEvent scan(String device, long time) {
    return event(device, time, EventType.PACKAGE_SCANNED);
  }
}
