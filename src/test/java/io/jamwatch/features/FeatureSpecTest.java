package io.jamwatch.features;

import static io.jamwatch.features.TestEvents.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {

  /** Two devices, 2000 events each, a symmetric reading, a heavy-tailed one and a sometimes-missing one. */
  static List<ScannerEvent> trainingEvents() {
    SplittableRandom rng = new SplittableRandom(7);
    List<ScannerEvent> out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      for (String d : new String[] {"A", "B"}) {
        double speed = 1.5 + 0.1 * rng.nextGaussian();
        double dwell = 50 * Math.exp(1.2 * rng.nextGaussian()); // log-normal: strongly right-skewed
        Map<String, Float> r =
            rng.nextDouble() < 0.2
                ? Map.of("belt_speed", (float) speed, "dwell_ms", (float) dwell)
                : Map.of("belt_speed", (float) speed, "dwell_ms", (float) dwell, "vibration_rms", (float) rng.nextGaussian());
        out.add(scan(d, 1_000L * i + (d.equals("B") ? 300 : 0) + rng.nextInt(200), r));
      }
    }
    return out;
  }

  @Test
  void choosesLogTransformForSkewedReadingOnly() {
    FeatureSpec spec = FeatureSpec.fit(trainingEvents().iterator());
    assertEquals(List.of("belt_speed", "dwell_ms", "vibration_rms"), spec.readingNames());
    assertEquals(Transform.NONE, spec.readings().get(0).transform());
    assertEquals(Transform.SIGNED_LOG1P, spec.readings().get(1).transform());
    assertEquals(Transform.NONE, spec.readings().get(2).transform());
    assertEquals(4000, spec.fittedEvents());
  }

  @Test
  void encodedTrainingValuesAreStandardised() {
    List<ScannerEvent> events = trainingEvents();
    FeatureSpec spec = FeatureSpec.fit(events.iterator());
    FeatureEncoder enc = new FeatureEncoder(spec);
    float[] x = new float[spec.size()];
    int[] idx = spec.valueIndices();
    double[] sum = new double[idx.length], sum2 = new double[idx.length];
    long[] n = new long[idx.length];
    java.util.Map<String, Long> prev = new java.util.HashMap<>();
    for (ScannerEvent e : events) {
      Long p = prev.put(e.getDeviceId(), e.getEventTime().toEpochMilli());
      enc.encode(e, p == null ? FeatureEncoder.NO_PREVIOUS : p, x);
      for (int k = 0; k < idx.length; k++) {
        if (x[idx[k] + 1] != 0f) continue; // missing
        sum[k] += x[idx[k]];
        sum2[k] += x[idx[k]] * x[idx[k]];
        n[k]++;
      }
    }
    for (int k = 0; k < idx.length; k++) {
      double mean = sum[k] / n[k];
      double var = sum2[k] / n[k] - mean * mean;
      assertEquals(0.0, mean, 1e-3, "mean of feature " + spec.featureNames().get(idx[k]));
      assertEquals(1.0, var, 1e-3, "variance of feature " + spec.featureNames().get(idx[k]));
    }
  }

  @Test
  void jsonRoundTripIsExact() {
    FeatureSpec spec = FeatureSpec.fit(trainingEvents().iterator());
    String json = spec.toJson();
    FeatureSpec back = FeatureSpec.fromJson(json);
    assertEquals(spec, back);
    assertEquals(json, back.toJson());
  }

  @Test
  void refusesUnknownVersionWithClearMessage() {
    String json = FeatureSpec.fit(trainingEvents().iterator()).toJson().replace("\"version\":1", "\"version\":99");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fromJson(json));
    assertTrue(e.getMessage().contains("version 99"), e.getMessage());
  }

  @Test
  void refusesToFitOnNoEvents() {
    assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fit(Collections.emptyIterator()));
  }

  @Test
  void groupsCoverEveryFeatureExactlyOnceInOrder() {
    FeatureSpec spec = FeatureSpec.fit(trainingEvents().iterator());
    int next = 0;
    for (FeatureGroup g : spec.groups()) {
      assertEquals(next, g.start(), "group " + g.name());
      next = g.end();
    }
    assertEquals(spec.size(), next);
    assertEquals(spec.size(), spec.featureNames().size());
    assertEquals(3 + 1 + 1, spec.groups().size());
    assertEquals(2 * 3 + EventType.values().length + 2, spec.size());
  }

  @Test
  void nanReadingsInTrainingDataCountAsMissing() {
    List<ScannerEvent> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) events.add(scan("A", i * 1000L, Map.of("a", (float) i, "b", Float.NaN)));
    FeatureSpec spec = FeatureSpec.fit(events.iterator());
    assertEquals(List.of("a"), spec.readingNames());
    assertEquals(4.5f, spec.readings().get(0).mean(), 1e-6f);
    // gaps are all 1 s: log1p(1), constant, so std falls back to 1
    assertEquals((float) Math.log1p(1.0), spec.gapMean(), 1e-6f);
    assertEquals(1f, spec.gapStd());
  }

  /** One device, a reading every 5 minutes over {@code days}; every {@code skipEvery}-th row missing (0 = none). */
  static List<ScannerEvent> fiveMinuteSeries(double days, int skipEvery) {
    List<ScannerEvent> out = new ArrayList<>();
    int n = (int) (days * 288);
    for (int i = 0; i < n; i++) {
      if (skipEvery > 0 && i % skipEvery == skipEvery - 1) continue;
      out.add(scan("S", 300_000L * i, Map.of("v", (float) Math.sin(i / 40.0))));
    }
    return out;
  }

  @Test
  void regularSpacingMakesTheGapAnInputNotAValueAndAddsTheDailyCycle() {
    FeatureSpec spec = FeatureSpec.fit(fiveMinuteSeries(2.5, 0).iterator());
    assertEquals(FeatureSpec.CALENDAR_VERSION, spec.version());
    assertEquals(300_000L, spec.regularGapMillis());
    assertEquals(List.of(FeatureSpec.DAY), spec.calendarCycles());
    assertEquals(2 * 1 + EventType.values().length + 2 + 2, spec.size());
    assertTrue(!spec.gapIsValue());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0}, spec.valueIndices());
    assertEquals(List.of("v", "v.missing"), spec.featureNames().subList(0, 2));
    assertEquals(List.of("day.sin", "day.cos"), spec.featureNames().subList(spec.size() - 2, spec.size()));
    assertEquals(FeatureSpec.CALENDAR_GROUP, spec.groups().get(spec.groups().size() - 1).name());
    assertEquals(spec, FeatureSpec.fromJson(spec.toJson()));

    // 06:00 UTC is a quarter of the day: sin 1, cos 0.
    float[] x = new float[spec.size()];
    new FeatureEncoder(spec).encode(scan("S", 6 * 3_600_000L, Map.of("v", 0f)), 6 * 3_600_000L - 300_000L, x);
    assertEquals(1f, x[spec.calendarOffset()], 1e-6f);
    assertEquals(0f, x[spec.calendarOffset() + 1], 1e-6f);
    assertEquals(0f, x[spec.gapOffset()], 1e-6f); // the regular gap encodes to 0
  }

  @Test
  void aFewIrregularGapsKeepTheSpacingRegularAndTheGapInRange() {
    FeatureSpec spec = FeatureSpec.fit(fiveMinuteSeries(1.5, 40).iterator()); // 2.5 % of the gaps doubled
    assertEquals(300_000L, spec.regularGapMillis());
    assertEquals(List.of(), spec.calendarCycles()); // 1.5 days: the day is not seen to repeat
    float[] x = new float[spec.size()];
    new FeatureEncoder(spec).encode(scan("S", 600_000L, Map.of("v", 0f)), 0L, x);
    assertTrue(x[spec.gapOffset()] > 0.5f && x[spec.gapOffset()] < 3f, "a doubled gap encodes to " + x[spec.gapOffset()]);
  }

  @Test
  void irregularSpacingGivesTheVersionOneSpecAndItsJson() {
    FeatureSpec spec = FeatureSpec.fit(trainingEvents().iterator());
    assertEquals(FeatureSpec.OLDEST_VERSION, spec.version());
    assertEquals(null, spec.regularGapMillis());
    assertTrue(spec.gapIsValue());
    String json = spec.toJson();
    assertTrue(!json.contains("regularGapMillis") && !json.contains("cycles"), json);
    // A version-1 spec as an older build wrote it still reads.
    String v1 = "{\"version\":1,\"readings\":[{\"name\":\"a\",\"transform\":\"NONE\",\"mean\":1.0,\"std\":2.0}],"
        + "\"eventTypes\":[\"PACKAGE_SCANNED\"],\"gapMean\":0.5,\"gapStd\":1.0,\"clip\":10.0,\"fittedEvents\":12}";
    FeatureSpec old = FeatureSpec.fromJson(v1);
    assertEquals(2 + 1 + 2, old.size());
    assertEquals(v1, old.toJson());
  }
}
