package io.jamwatch.eval.bench;

import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one benchmark row into a ScannerEvent (deviceId = the file, readings = the columns,
 * eventTime = the row's timestamp), so benchmarks go through the same encoder, trainer and
 * ScoringModel as conveyor events.
 */
public final class RowEvents {

  private RowEvents() {}

  public static ScannerEvent of(String deviceId, String lineId, long timeMillis, List<String> names, float[] values) {
    Map<String, Float> readings = new HashMap<>(names.size() * 2);
    for (int k = 0; k < names.size(); k++) {
      readings.put(names.get(k), values[k]);
    }
    return ScannerEvent.newBuilder()
        .setDeviceId(deviceId)
        .setLineId(lineId)
        .setEventTime(Instant.ofEpochMilli(timeMillis))
        .setType(EventType.PACKAGE_SCANNED)
        .setReadings(readings)
        .build();
  }
}
