package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.DeadLetter;
import io.jamwatch.avro.DeviceState;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.RecordedRegistry;
import io.jamwatch.ingest.RegistryAvroDecoder;
import io.jamwatch.model.CellType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A seeded corpus of malformed records per input format (bit flips and truncations of valid
 * records, garbage, empty and null values, huge maps and strings, NaN and infinities, foreign
 * schemas / unknown registry ids, absurd times, keys that disagree with the event), interleaved
 * with a clean log, through the real topology. Every record either scores (a mutation can still be
 * a valid event of its own device) or becomes one dead letter with a reason; a dead letter leaves
 * every device's state as it was; a score changes only its own device; nothing escapes the
 * topology; and the clean devices get exactly the scores of a run without the corpus.
 */
class FuzzCorpusTest {
  static final int CORPUS = 4000;
  @TempDir Path dir;

  enum Kind { BIT_FLIP, TRUNCATE, GARBAGE, EMPTY, NULL_VALUE, HUGE, NON_FINITE, ABSURD_TIME, FOREIGN_SCHEMA, KEY_DISAGREES, WRONG_TYPE }

  record Fuzz(Kind kind, String key, byte[] value, long time) {}

  @ParameterizedTest
  @EnumSource(InputFormat.class)
  void everyMalformedRecordScoresOrIsDeadLetteredAndCleanDevicesAreUntouched(InputFormat format) throws Exception {
    Path model = TestModels.random(dir, "gru.onnx", CellType.GRU, false, 5);
    List<ScannerEvent> clean = TestEvents.lines(2, 3, 80, 1000, 21);
    try (RecordedRegistry registry = new RecordedRegistry()
        .register(FormatHarness.REGISTRY_ID, ScannerEvent.getClassSchema().toString())
        .register(2, io.jamwatch.avro.JamRiskScore.getClassSchema().toString())) {
      StreamConfig cfg = FormatHarness.withFormat(format, registry.url());
      Map<String, List<JamRiskScore>> reference = new TreeMap<>();
      try (FormatHarness ref = new FormatHarness(dir, model, cfg)) {
        for (ScannerEvent e : clean) {
          ref.pipe(e);
        }
        for (JamRiskScore s : ref.drainScores()) {
          reference.computeIfAbsent(s.getDeviceId(), k -> new ArrayList<>()).add(s);
        }
      }

      try (FormatHarness h = new FormatHarness(dir, model, cfg)) {
        List<Fuzz> corpus = corpus(h, format, new SplittableRandom(1234 + format.ordinal()));
        Map<RejectReason, Integer> byReason = new EnumMap<>(RejectReason.class);
        Map<Kind, Integer> scoredByKind = new EnumMap<>(Kind.class);
        Map<String, List<JamRiskScore>> cleanScores = new TreeMap<>();
        int next = 0;
        int step = CORPUS / clean.size() + 1;
        for (int i = 0; i < corpus.size(); i++) {
          if (i % step == 0 && next < clean.size()) {
            h.pipe(clean.get(next++));
            JamRiskScore s = h.scores.readValue();
            cleanScores.computeIfAbsent(s.getDeviceId(), k -> new ArrayList<>()).add(s);
            assertTrue(h.deadLetters.isEmpty(), "clean event " + next + " accepted");
          }
          Fuzz f = corpus.get(i);
          TreeMap<String, DeviceState> before = h.states();
          h.raw.pipeInput(f.key(), f.value(), Instant.ofEpochMilli(f.time()));
          List<JamRiskScore> scored = h.drainScores();
          List<DeadLetter> dead = h.deadLetters.readValuesToList();
          String what = f.kind() + " #" + i;
          assertEquals(1, scored.size() + dead.size(), what + ": exactly one score or one dead letter");
          TreeMap<String, DeviceState> after = h.states();
          if (dead.size() == 1) {
            DeadLetter d = dead.get(0);
            byReason.merge(RejectReason.valueOf(d.getReason()), 1, Integer::sum);
            assertEquals(before, after, what + " (" + d.getReason() + "): a dead letter leaves every state alone");
            assertTrue(Objects.equals(f.value() == null ? null : java.nio.ByteBuffer.wrap(f.value()), d.getValue()),
                what + ": the dead letter carries the original bytes");
          } else {
            scoredByKind.merge(f.kind(), 1, Integer::sum);
            String dev = scored.get(0).getDeviceId();
            assertTrue(dev.startsWith("X"), what + ": only fuzz devices can accept a mutant, got " + dev);
            before.remove(dev);
            after.remove(dev);
            assertEquals(before, after, what + ": a score changes only its own device");
          }
        }
        while (next < clean.size()) {
          h.pipe(clean.get(next++));
          JamRiskScore s = h.scores.readValue();
          cleanScores.computeIfAbsent(s.getDeviceId(), k -> new ArrayList<>()).add(s);
        }
        assertEquals(reference, cleanScores, "clean devices scored exactly as without the corpus");
        int dead = byReason.values().stream().mapToInt(Integer::intValue).sum();
        int scored = scoredByKind.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(corpus.size(), dead + scored);
        assertEquals((double) dead, h.metrics.deadLettersTotal());
        System.out.printf("fuzz %s: %d records, %d dead letters %s, %d scored (valid mutants of fuzz devices) %s%n",
            format.key(), corpus.size(), dead, byReason, scored, scoredByKind);
        assertTrue(dead > corpus.size() * 0.8, "most of the corpus is rejected: " + byReason);
        for (RejectReason r : expectedReasons(format)) {
          assertTrue(byReason.containsKey(r), format + ": corpus reaches " + r + "; got " + byReason);
        }
      }
    }
  }

  static List<RejectReason> expectedReasons(InputFormat f) {
    List<RejectReason> common = new ArrayList<>(List.of(
        RejectReason.NULL_VALUE, RejectReason.KEY_MISMATCH, RejectReason.NON_FINITE_READING, RejectReason.ABSURD_TIMESTAMP));
    switch (f) {
      case JAMWATCH_AVRO -> common.addAll(List.of(RejectReason.BAD_HEADER, RejectReason.UNKNOWN_SCHEMA, RejectReason.DESERIALIZATION));
      case JSON -> common.addAll(List.of(RejectReason.INVALID_JSON, RejectReason.MISSING_FIELD, RejectReason.WRONG_TYPE));
      case AVRO_REGISTRY -> common.addAll(List.of(RejectReason.BAD_REGISTRY_FRAMING, RejectReason.UNKNOWN_REGISTRY_ID,
          RejectReason.UNDECODABLE_AVRO));
    }
    return common;
  }

  /** ScannerEvent's schema with the enum {@code type} written as a plain int. */
  private static final org.apache.avro.Schema TYPE_AS_INT = new org.apache.avro.Schema.Parser().parse(
      ScannerEvent.getClassSchema().toString().replaceFirst(
          "\\{\"type\":\"enum\",\"name\":\"EventType\".*?\"default\":\"UNKNOWN\"\\}", "\"int\""));

  /** The Avro body of {@code e} with {@code index} where the EventType enum index belongs. */
  static byte[] typeIndexBody(ScannerEvent e, int index) {
    org.apache.avro.generic.GenericRecord g = new org.apache.avro.generic.GenericData.Record(TYPE_AS_INT);
    g.put("deviceId", e.getDeviceId());
    g.put("lineId", e.getLineId());
    g.put("eventTime", e.getEventTime().toEpochMilli());
    g.put("type", index);
    g.put("readings", e.getReadings());
    g.put("eventId", e.getEventId());
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
      new org.apache.avro.generic.GenericDatumWriter<Object>(TYPE_AS_INT).write(g, enc);
      enc.flush();
      return out.toByteArray();
    } catch (java.io.IOException x) {
      throw new java.io.UncheckedIOException(x);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Fuzz devices X00-S00..S03; their valid events are what gets mutated. */
  private static List<Fuzz> corpus(FormatHarness h, InputFormat format, SplittableRandom r) {
    List<Fuzz> out = new ArrayList<>(CORPUS);
    long t = TestEvents.T0;
    Kind[] kinds = Kind.values();
    for (int i = 0; i < CORPUS; i++) {
      t += 50;
      String dev = "X00-S0" + r.nextInt(4);
      ScannerEvent e = TestEvents.event(dev, "X00", t, dev + "#" + i, r);
      byte[] valid = h.bytes(e);
      Kind k = i < 40 ? kinds[i % kinds.length] : kinds[r.nextInt(kinds.length)];
      byte[] v;
      String key = dev;
      switch (k) {
        case BIT_FLIP -> {
          v = valid.clone();
          for (int b = 1 + r.nextInt(3); b > 0; b--) {
            int at = r.nextInt(v.length * 8);
            v[at / 8] ^= (byte) (1 << (at % 8));
          }
        }
        case TRUNCATE -> v = java.util.Arrays.copyOf(valid, r.nextInt(valid.length));
        case GARBAGE -> {
          v = new byte[1 + r.nextInt(200)];
          for (int j = 0; j < v.length; j++) {
            v[j] = (byte) r.nextInt(256);
          }
          if (r.nextBoolean() && format == InputFormat.JSON) {
            v = ("{" + new String(v, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.UTF_8);
          }
        }
        case EMPTY -> v = new byte[0];
        case NULL_VALUE -> v = null;
        case HUGE -> {
          Map<String, Float> readings = new LinkedHashMap<>();
          boolean longName = r.nextBoolean();
          for (int j = 0; j < (longName ? 3 : 20_000); j++) {
            readings.put((longName ? "x".repeat(200_000) : "r") + j, (float) r.nextDouble());
          }
          String id = r.nextBoolean() ? "i".repeat(100_000) : e.getEventId();
          v = h.bytes(TestEvents.event(dev, "X00", t, id, EventType.PACKAGE_SCANNED, readings));
        }
        case NON_FINITE -> {
          Map<String, Float> readings = new LinkedHashMap<>(e.getReadings());
          float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
          readings.put(TestEvents.SPEED, bad[r.nextInt(3)]);
          ScannerEvent n = TestEvents.event(dev, "X00", t, e.getEventId(), e.getType(), readings);
          if (format == InputFormat.JSON) {
            // JSON has no NaN: a number beyond float's range is read as infinity.
            v = new String(h.bytes(TestEvents.event(dev, "X00", t, e.getEventId(), e.getType(),
                Map.of(TestEvents.SPEED, 7.25f))), StandardCharsets.UTF_8).replace("7.25", "3.5e39").getBytes(StandardCharsets.UTF_8);
          } else {
            v = h.bytes(n);
          }
        }
        case ABSURD_TIME -> {
          long[] absurd = {0L, -86_400_000L, 946_684_799_999L, TestEvents.T0 + 400L * 86_400_000L * 365, Long.MAX_VALUE / 4};
          ScannerEvent n = TestEvents.event(dev, "X00", absurd[r.nextInt(absurd.length)], e.getEventId(), e.getType(), e.getReadings());
          v = h.bytes(n);
        }
        case FOREIGN_SCHEMA -> {
          JamRiskScore foreign = JamRiskScore.newBuilder().setDeviceId(dev).setLineId("X00")
              .setEventTime(Instant.ofEpochMilli(t)).setModelId("m").setScore(0.5f).build();
          v = switch (format) {
            case JAMWATCH_AVRO -> new AvroSerde<JamRiskScore>(JamRiskScore.getClassSchema()).encode(foreign);
            case JSON -> new JsonRecordSerde<JamRiskScore>(JamRiskScore.getClassSchema()).encode(foreign);
            case AVRO_REGISTRY -> RegistryAvroDecoder.frame(r.nextBoolean() ? 2 : 1000 + r.nextInt(1000),
                java.util.Arrays.copyOfRange(valid, RegistryAvroDecoder.HEADER, valid.length));
          };
        }
        case WRONG_TYPE -> {
          if (format == InputFormat.JSON) {
            // A field of the wrong kind: text for a reading, an object for an id, a boolean for a time.
            String[][] swaps = {{"\"readings\":{", "\"readings\":{\"belt_speed\":\"fast\","},
                {"\"deviceId\":", "\"deviceId\":{\"id\":1},\"x\":"}, {"\"eventTime\":", "\"eventTime\":true,\"x\":"},
                {"\"type\":", "\"type\":[1],\"x\":"}};
            String[] sw = swaps[r.nextInt(swaps.length)];
            v = new String(valid, StandardCharsets.UTF_8).replace(sw[0], sw[1]).getBytes(StandardCharsets.UTF_8);
          } else {
            // Avro is typed by its schema, so a wrong type is bytes that say something else where
            // the schema expects the event type: an enum index no EventType has.
            byte[] body = typeIndexBody(e, r.nextBoolean() ? 6 + r.nextInt(100) : -1 - r.nextInt(100));
            v = format == InputFormat.AVRO_REGISTRY
                ? RegistryAvroDecoder.frame(FormatHarness.REGISTRY_ID, body)
                : concat(java.util.Arrays.copyOf(valid, 10), body); // C3 01 + fingerprint, then the body
          }
        }
        case KEY_DISAGREES -> {
          v = valid;
          key = r.nextBoolean() ? "L00-S0" + r.nextInt(3) : null;
        }
        default -> throw new AssertionError(k);
      }
      out.add(new Fuzz(k, key, v, t));
    }
    return out;
  }
}
