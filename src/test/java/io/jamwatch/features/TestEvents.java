package io.jamwatch.features;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds ScannerEvents for tests. */
public final class TestEvents {
  private TestEvents() {}

  public static ScannerEvent event(String device, long timeMillis, EventType type, Map<String, Float> readings) {
    return ScannerEvent.newBuilder()
        .setDeviceId(device)
        .setLineId("L01")
        .setEventTime(Instant.ofEpochMilli(timeMillis))
        .setType(type)
        .setReadings(new HashMap<>(readings))
        .build();
  }

  public static ScannerEvent scan(String device, long timeMillis, Map<String, Float> readings) {
    return event(device, timeMillis, EventType.PACKAGE_SCANNED, readings);
  }
}
