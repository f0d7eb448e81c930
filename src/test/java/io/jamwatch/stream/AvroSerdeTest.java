package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.AlertOutcome;
import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * The serde's own per-record path (buffered array decoder/encoder) gives exactly the bytes and the
 * records of Avro's message encoder/decoder, and every other payload is still judged by the message
 * decoder (older writer schema, bad header, unknown fingerprint, truncated body).
 */
class AvroSerdeTest {
  private final SplittableRandom rnd = new SplittableRandom(11);

  private String text(int max) {
    int n = rnd.nextInt(max + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // mostly ASCII, some multi-byte characters
      b.append(rnd.nextInt(10) == 0 ? (char) (0x00e0 + rnd.nextInt(200)) : (char) ('a' + rnd.nextInt(26)));
    }
    return b.toString();
  }

  private ScannerEvent event() {
    Map<String, Float> readings = new HashMap<>();
    int k = rnd.nextInt(8);
    for (int i = 0; i < k; i++) {
      readings.put("r" + rnd.nextInt(20), rnd.nextInt(20) == 0 ? Float.NaN : (float) rnd.nextGaussian() * 100);
    }
    return ScannerEvent.newBuilder()
        .setDeviceId(text(12))
        .setLineId(text(4))
        .setEventTime(Instant.ofEpochMilli(rnd.nextLong(-1L << 40, 1L << 42)))
        .setType(EventType.values()[rnd.nextInt(EventType.values().length)])
        .setReadings(readings)
        .setEventId(rnd.nextBoolean() ? null : text(30))
        .build();
  }

  private JamRiskScore score() {
    return JamRiskScore.newBuilder()
        .setDeviceId(text(12))
        .setLineId(text(4))
        .setEventTime(Instant.ofEpochMilli(rnd.nextLong(0, 1L << 42)))
        .setEventId(rnd.nextBoolean() ? null : text(30))
        .setModelId(text(64))
        .setScore((float) rnd.nextDouble())
        .setWarming(rnd.nextBoolean())
        .setEventCount(rnd.nextLong(0, 1L << 40))
        .build();
  }

  private JamAlert alert() {
    List<AlertReason> reasons = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) reasons.add(new AlertReason(text(10), (float) rnd.nextGaussian()));
    AlertKind kind = AlertKind.values()[rnd.nextInt(AlertKind.values().length)];
    return JamAlert.newBuilder()
        .setDeviceId(text(12))
        .setLineId(text(4))
        .setKind(kind)
        .setTime(Instant.ofEpochMilli(rnd.nextLong(0, 1L << 42)))
        .setRaisedAt(Instant.ofEpochMilli(rnd.nextLong(0, 1L << 42)))
        .setModelId(text(64))
        .setScore((float) rnd.nextDouble())
        .setPeakScore((float) rnd.nextDouble())
        .setDurationMillis(rnd.nextLong(0, 1L << 30))
        .setReasons(reasons)
        .setOutcome(rnd.nextBoolean() ? null : new AlertOutcome(rnd.nextBoolean(), rnd.nextLong(-1, 1L << 20), 120_000L))
        .setHorizonMillis(rnd.nextLong(0, 1L << 21))
        .build();
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> void roundTrip(AvroSerde<T> serde, T value)
      throws Exception {
    byte[] fast = serde.encode(value);
    assertArrayEquals(serde.encodeByMessageEncoder(value), fast, "bytes of " + value);
    BinaryMessageDecoder<T> reference = new BinaryMessageDecoder<>(SpecificData.get(), serde.schema());
    T expected = reference.decode(fast);
    assertEquals(expected, serde.decode(fast));
    // the float NaN: Avro's equals compares floats by bits, so records with NaN readings still compare
    assertEquals(value.toString(), serde.decode(fast).toString());
  }

  @Test
  void ownPathGivesTheMessageEncodersBytesAndRecords() throws Exception {
    AvroSerde<ScannerEvent> events = new AvroSerde<>(ScannerEvent.getClassSchema());
    AvroSerde<JamRiskScore> scores = new AvroSerde<>(JamRiskScore.getClassSchema());
    AvroSerde<JamAlert> alerts = new AvroSerde<>(JamAlert.getClassSchema());
    for (int i = 0; i < 2_000; i++) {
      roundTrip(events, event());
      roundTrip(scores, score());
      roundTrip(alerts, alert());
    }
  }

  @Test
  void aFailedEncodeLeavesNothingBehindForTheNextRecord() throws Exception {
    AvroSerde<JamRiskScore> scores = new AvroSerde<>(JamRiskScore.getClassSchema());
    for (int i = 0; i < 50; i++) {
      JamRiskScore broken = score();
      broken.setModelId(null); // required string, written after deviceId, lineId, eventTime, eventId
      assertThrows(RuntimeException.class, () -> scores.encode(broken));
      JamRiskScore good = score();
      assertArrayEquals(scores.encodeByMessageEncoder(good), scores.encode(good));
    }
  }

  @Test
  void eachPrefixOfAGoodPayloadIsRejectedWithItsReason() {
    AvroSerde<ScannerEvent> serde = new AvroSerde<>(ScannerEvent.getClassSchema());
    ScannerEvent e = ScannerEvent.newBuilder()
        .setDeviceId("L01-S01").setLineId("L01").setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setType(EventType.PACKAGE_SCANNED).setReadings(Map.of("belt_speed", 1.5f)).setEventId("e-1").build();
    byte[] good = serde.encode(e);
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      AvroSerde.DecodeException x = assertThrows(AvroSerde.DecodeException.class, () -> serde.decode(cut), "prefix " + n);
      assertEquals(n < 10 ? AvroSerde.Reason.BAD_HEADER : AvroSerde.Reason.DESERIALIZATION, x.reason(), "prefix " + n);
    }
    byte[] badMarker = good.clone();
    badMarker[0] = 0;
    assertEquals(AvroSerde.Reason.BAD_HEADER, assertThrows(AvroSerde.DecodeException.class, () -> serde.decode(badMarker)).reason());
    byte[] otherFingerprint = good.clone();
    otherFingerprint[5] ^= 1;
    assertEquals(
        AvroSerde.Reason.UNKNOWN_SCHEMA,
        assertThrows(AvroSerde.DecodeException.class, () -> serde.decode(otherFingerprint)).reason());
  }

  @Test
  void aRecordOfAnOlderWriterSchemaIsStillResolved() throws Exception {
    // an older ScannerEvent: no readings, no eventId (both have defaults in the current schema)
    Schema old = SchemaBuilder.record("ScannerEvent").namespace("io.jamwatch.avro").fields()
        .requiredString("deviceId").requiredString("lineId")
        .name("eventTime").type(ScannerEvent.getClassSchema().getField("eventTime").schema()).noDefault()
        .name("type").type(ScannerEvent.getClassSchema().getField("type").schema()).noDefault()
        .endRecord();
    GenericRecord r = new GenericData.Record(old);
    r.put("deviceId", "D9");
    r.put("lineId", "L9");
    r.put("eventTime", 1_700_000_000_000L);
    r.put("type", new GenericData.EnumSymbol(old.getField("type").schema(), "JAM"));
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(r).array();
    AvroSerde<ScannerEvent> serde = new AvroSerde<>(ScannerEvent.getClassSchema());
    assertEquals(AvroSerde.Reason.UNKNOWN_SCHEMA, assertThrows(AvroSerde.DecodeException.class, () -> serde.decode(bytes)).reason());
    serde.addWriterSchema(old);
    ScannerEvent e = serde.decode(bytes);
    assertEquals("D9", e.getDeviceId());
    assertEquals(EventType.JAM, e.getType());
    assertEquals(Map.of(), e.getReadings());
    assertEquals(null, e.getEventId());
  }
}
