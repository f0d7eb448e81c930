package io.jamwatch.stream;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic synthetic scanner events for the stream tests (the simulator is not needed here). */
public final class TestEvents {
  public static final String SPEED = "belt_speed";
  public static final String GAP = "gap_ms";
  public static final String VIBRATION = "vibration_rms";
  /** 2026-01-01T00:00:00Z. */
  public static final long T0 = 1_767_225_600_000L;

  private TestEvents() {}

  /**
   * {@code devices} scanners on each of {@code lines} lines, each emitting {@code perDevice}
   * events {@code stepMillis} apart (devices interleaved, event-time order), eventIds unique.
   */
  public static List<ScannerEvent> lines(int lines, int devices, int perDevice, long stepMillis, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<ScannerEvent> out = new ArrayList<>(lines * devices * perDevice);
    for (int i = 0; i < perDevice; i++) {
      for (int l = 0; l < lines; l++) {
        for (int d = 0; d < devices; d++) {
          String line = String.format("L%02d", l);
          String dev = line + String.format("-S%02d", d);
          long t = T0 + i * stepMillis + (l * devices + d);
          out.add(event(dev, line, t, dev + "#" + i, rng));
        }
      }
    }
    return out;
  }

  public static ScannerEvent event(String device, String line, long t, String eventId, SplittableRandom rng) {
    Map<String, Float> r = new LinkedHashMap<>();
    r.put(SPEED, (float) (2.0 + 0.1 * rng.nextGaussian()));
    if (rng.nextDouble() < 0.9) {
      r.put(GAP, (float) (400 + 50 * rng.nextGaussian()));
    }
    r.put(VIBRATION, (float) (1.0 + 0.2 * rng.nextGaussian()));
    EventType type = rng.nextDouble() < 0.05 ? EventType.NO_READ : EventType.PACKAGE_SCANNED;
    return event(device, line, t, eventId, type, r);
  }

  public static ScannerEvent event(
      String device, String line, long t, String eventId, EventType type, Map<String, Float> readings) {
    return ScannerEvent.newBuilder()
        .setDeviceId(device)
        .setLineId(line)
        .setEventTime(Instant.ofEpochMilli(t))
        .setType(type)
        .setReadings(readings)
        .setEventId(eventId)
        .build();
  }

  /** One event whose belt speed is {@code speed} (drives the score of {@link TestModels#steerable}). */
  public static ScannerEvent withSpeed(String device, String line, long t, String eventId, float speed) {
    Map<String, Float> r = new LinkedHashMap<>();
    r.put(SPEED, speed);
    r.put(GAP, 400f);
    r.put(VIBRATION, 1f);
    return event(device, line, t, eventId, EventType.PACKAGE_SCANNED, r);
  }
}
