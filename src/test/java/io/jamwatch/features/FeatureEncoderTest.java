package io.jamwatch.features;

import static io.jamwatch.features.TestEvents.event;
import static io.jamwatch.features.TestEvents.scan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {
  static final FeatureSpec SPEC =
      new FeatureSpec(
          FeatureSpec.VERSION,
          List.of(
              new FeatureSpec.ReadingSpec("gap_ms", Transform.SIGNED_LOG1P, 2f, 0.5f),
              new FeatureSpec.ReadingSpec("speed", Transform.NONE, 1.5f, 0.25f)),
          List.of("PACKAGE_SCANNED", "NO_READ", "JAM"),
          1f,
          2f,
          10f,
          100);

  @Test
  void encodesValuesIndicatorsTypeAndGap() {
    FeatureEncoder enc = new FeatureEncoder(SPEC);
    float[] x = new float[SPEC.size()];
    enc.encode(event("A", 10_000, EventType.NO_READ, Map.of("speed", 2f, "gap_ms", 100f)), 7_000, x);
    float gap = (float) ((Math.log1p(100) - 2) / 0.5);
    float dt = (float) ((Math.log1p(3.0) - 1) / 2);
    assertArrayEquals(new float[] {gap, 0, 2f, 0, 0, 1, 0, dt, 0}, x, 1e-6f);
  }

  @Test
  void missingNanAndInfiniteReadingsAreImputedAndFlagged() {
    FeatureEncoder enc = new FeatureEncoder(SPEC);
    float[] x = new float[SPEC.size()];
    enc.encode(scan("A", 0, Map.of("speed", Float.NaN)), FeatureEncoder.NO_PREVIOUS, x);
    assertArrayEquals(new float[] {0, 1, 0, 1, 1, 0, 0, 0, 1}, x, 0f);
    enc.encode(scan("A", 0, Map.of("speed", Float.POSITIVE_INFINITY, "gap_ms", 1f)), FeatureEncoder.NO_PREVIOUS, x);
    assertEquals(0f, x[2]);
    assertEquals(1f, x[3]);
    assertEquals(0f, x[1]);
  }

  @Test
  void readingsNotInTheSpecAreIgnored() {
    FeatureEncoder enc = new FeatureEncoder(SPEC);
    float[] a = new float[SPEC.size()], b = new float[SPEC.size()];
    enc.encode(scan("A", 5000, Map.of("speed", 1f)), 4000, a);
    enc.encode(scan("A", 5000, Map.of("speed", 1f, "other", 123f)), 4000, b);
    assertArrayEquals(a, b, 0f);
  }

  @Test
  void eventTypeAbsentFromTheSpecEncodesAsAllZeros() {
    FeatureEncoder enc = new FeatureEncoder(SPEC);
    float[] x = new float[SPEC.size()];
    enc.encode(event("A", 0, EventType.HEARTBEAT, Map.of()), FeatureEncoder.NO_PREVIOUS, x);
    assertArrayEquals(new float[] {0, 0, 0}, java.util.Arrays.copyOfRange(x, 4, 7), 0f);
  }

  @Test
  void extremeValuesAreClipped() {
    FeatureEncoder enc = new FeatureEncoder(SPEC);
    float[] x = new float[SPEC.size()];
    enc.encode(scan("A", 0, Map.of("speed", 1e30f)), -1_000_000_000_000L, x);
    assertEquals(10f, x[2]);
    enc.encode(scan("A", 0, Map.of("speed", -1e30f)), 1000, x); // out-of-order: gap counts as 0
    assertEquals(-10f, x[2]);
    assertEquals(-0.5f, x[7], 1e-6f);
  }

  @Test
  void encodingAllocatesNothing() {
    FeatureEncoder enc = new FeatureEncoder(SPEC);
    float[] x = new float[SPEC.size()];
    ScannerEvent e = scan("A", 10_000, Map.of("speed", 2f, "gap_ms", 100f));
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) enc.encode(e, 9_000, x); // warm up (JIT)
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 10_000; i++) enc.encode(e, 9_000, x);
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    // The MXBean call itself may allocate a few bytes; 10k encodes allocating anything would be >= 160 kB.
    assertEquals(0, allocated / 10_000, "bytes allocated per encode: " + allocated / 10_000.0);
  }

  @Test
  void perDeviceStandardisationStartsFromTheFitAndFollowsTheDevice() {
    FeatureSpec spec = SPEC.withDeviceWindow(10);
    assertEquals(FeatureSpec.VERSION, spec.version());
    assertEquals(spec, FeatureSpec.fromJson(spec.toJson()));
    assertEquals(null, spec.withDeviceWindow(0).deviceWindow());
    assertEquals(FeatureSpec.OLDEST_VERSION, spec.withDeviceWindow(0).version()); // no other version-2+ field
    assertEquals(false, SPEC.toJson().contains("deviceWindow"));
    FeatureEncoder fleet = new FeatureEncoder(SPEC), device = new FeatureEncoder(spec);
    assertEquals(0, fleet.deviceStateSize());
    assertEquals(4, device.deviceStateSize());
    double[] dev = new double[1 + device.deviceStateSize()];
    device.initDeviceState(dev, 1);
    float[] a = new float[SPEC.size()], b = new float[SPEC.size()];
    // First event: no cold start, encoded exactly as the fleet-wide spec encodes it.
    ScannerEvent e = scan("A", 0, Map.of("speed", 2.5f));
    fleet.encode(e, FeatureEncoder.NO_PREVIOUS, a);
    device.encode(e, FeatureEncoder.NO_PREVIOUS, dev, 1, b);
    assertArrayEquals(a, b);
    // The state moved by 1/window towards the event: mean 1.5 + 0.1 * (2.5 - 1.5).
    assertEquals(1.6, dev[1 + 2], 1e-12);
    assertEquals(0.9 * (0.0625 + 0.1 * 1.0), dev[1 + 3], 1e-12);
    // A device that sits 4 fleet-sigmas above the fleet mean with a little noise: its own standardisation
    // brings it back near 0 and scales its noise up, where the fleet's keeps it at +4.
    for (int i = 1; i <= 200; i++) {
      ScannerEvent ei = scan("A", i * 1000L, Map.of("speed", 2.5f + (i % 2 == 0 ? 0.05f : -0.05f)));
      fleet.encode(ei, (i - 1) * 1000L, a);
      device.encode(ei, (i - 1) * 1000L, dev, 1, b);
    }
    assertEquals(4.2f, a[2], 1e-5f);
    assertEquals(true, Math.abs(b[2]) < 1.5f, "device-standardised value " + b[2]);
    assertEquals(0.0, dev[0]); // the caller's slot before the encoder's state is not touched
    // A spec that standardises per device refuses to encode without a device state.
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> device.encode(e, FeatureEncoder.NO_PREVIOUS, new float[SPEC.size()]));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SPEC.withDeviceWindow(1));
  }
}
