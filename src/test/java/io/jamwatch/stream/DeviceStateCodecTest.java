package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.DeviceState;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.DetectorConfig;
import io.jamwatch.scoring.DetectorStages;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.DeviceRecord;
import io.jamwatch.scoring.IdHash;
import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.ScoringModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceStateCodecTest {
  /** Regenerate with {@code mvn -o test -Dtest=DeviceStateCodecTest -Djamwatch.golden.write=true}. */
  private static final Path GOLDEN = Path.of("src/test/resources/golden/device-state-v4.hex");
  /** The same state as written by the previous compact version (3: pending outcomes without claims). */
  private static final Path GOLDEN_V3 = Path.of("src/test/resources/golden/device-state-v3.hex");

  @TempDir Path dir;

  /** A fixed state: h [2], c [2] (LSTM-like), pred [1], detector [2], 3 recent ids, 2 pending outcomes. */
  static DeviceRecord fixed() {
    DeviceRecord d = new DeviceRecord(DeviceMemory.sized(2, true, 1, 2));
    d.clear();
    d.present = true;
    d.readable = true;
    d.modelFingerprint = 0x0123456789abcdefL;
    DeviceMemory m = d.memory;
    m.h[0] = 0.5f;
    m.h[1] = -1.25f;
    m.c[0] = 3f;
    m.c[1] = Float.intBitsToFloat(0x7fc00001); // a NaN payload survives
    m.pred[0] = 1e-3f;
    m.detector[0] = Math.PI;
    m.detector[1] = 7;
    m.lastEventTime = 1_767_225_600_123L;
    m.eventCount = 42;
    d.lastSeenWallClock = 1_767_225_601_000L;
    d.lastScore = 0.75f;
    AlertState a = d.alert;
    a.open = true;
    a.staleAlerted = false;
    a.raisedAt = 1_767_225_599_000L;
    a.peak = 0.9f;
    a.aboveCount = 3;
    a.aboveSince = 1_767_225_598_000L;
    a.lastClearedAt = AlertState.NEVER;
    a.eventsSinceRaise = 5;
    a.pending[0] = 1_767_225_500_000L;
    a.pending[1] = 1_767_225_599_000L;
    a.pendingHorizon[0] = 0L; // the default outcome horizon
    a.pendingHorizon[1] = 600_000L; // claimed "within ~10 min" (a ladder alert)
    a.pendingCount = 2;
    for (String id : new String[] {"e1", "e2", "é3"}) d.remember(IdHash.of(id), 16);
    return d;
  }

  @Test
  void aFixedStateEncodesToTheGoldenBytesAndBack() throws Exception {
    byte[] bytes = DeviceStateCodec.encode(fixed(), "L1");
    String hex = HexFormat.of().formatHex(bytes);
    if (Boolean.getBoolean("jamwatch.golden.write")) Files.writeString(GOLDEN, hex + "\n");
    assertEquals(Files.readString(GOLDEN).trim(), hex, "the stored layout changed: bump VERSION and migrate");
    assertEquals(69 + 3 * 8 + 2 * 10 + 2 + 4 * 5 + 8 * 2, bytes.length);

    DeviceRecord back = new DeviceRecord(DeviceMemory.sized(2, true, 1, 2));
    DeviceStateCodec.decode(HexFormat.of().parseHex(Files.readString(GOLDEN).trim()), back, 0x0123456789abcdefL);
    DeviceRecord want = fixed();
    assertTrue(back.present);
    assertTrue(back.readable);
    assertEquals(want.modelFingerprint, back.modelFingerprint);
    assertEquals(want.lastSeenWallClock, back.lastSeenWallClock);
    assertEquals(want.lastScore, back.lastScore);
    assertMemoryEquals(want.memory, back.memory);
    assertAlertEquals(want.alert, back.alert);
    assertArrayEquals(java.util.Arrays.copyOf(want.recent, 3), java.util.Arrays.copyOf(back.recent, back.recentCount));
    assertEquals("L1", DeviceStateCodec.lineId(DeviceStateCodec.encode(back, "L1")));
  }

  @Test
  void aStateWrittenByVersion3IsReadWithItsPendingRaisesOnTheDefaultHorizon() throws Exception {
    byte[] v3 = HexFormat.of().parseHex(Files.readString(GOLDEN_V3).trim());
    assertEquals(3, v3[1]);
    assertTrue(DeviceStateCodec.isCompact(v3));
    DeviceRecord back = new DeviceRecord(DeviceMemory.sized(2, true, 1, 2));
    DeviceStateCodec.decode(v3, back, 0x0123456789abcdefL);
    DeviceRecord want = fixed();
    want.alert.pendingHorizon[1] = 0L; // version 3 kept no claims
    assertTrue(back.readable);
    assertMemoryEquals(want.memory, back.memory);
    assertAlertEquals(want.alert, back.alert);
    assertEquals("L1", DeviceStateCodec.lineId(v3));
    assertEquals(2, DeviceStateCodec.pendingCount(v3));
    // Written again, it is a version-4 state with the same content.
    byte[] again = DeviceStateCodec.encode(back, "L1");
    assertEquals(DeviceStateCodec.VERSION, again[1]);
    DeviceRecord twice = new DeviceRecord(DeviceMemory.sized(2, true, 1, 2));
    DeviceStateCodec.decode(again, twice, 0x0123456789abcdefL);
    assertAlertEquals(want.alert, twice.alert);
    assertMemoryEquals(want.memory, twice.memory);
  }

  @Test
  void aStateOfAnotherModelKeepsItsChecksButNotItsMemory() {
    byte[] bytes = DeviceStateCodec.encode(fixed(), "L1");
    DeviceRecord other = new DeviceRecord(DeviceMemory.sized(8, false, 0, 0));
    DeviceStateCodec.decode(bytes, other, 99L);
    assertTrue(other.readable, "readable: the policy then resets it as a model swap");
    assertEquals(0x0123456789abcdefL, other.modelFingerprint);
    assertEquals(1_767_225_600_123L, other.memory.lastEventTime);
    assertTrue(other.seen(IdHash.of("e2")));
    // Same fingerprint, other sizes: only a corrupt state can do this; not readable.
    DeviceStateCodec.decode(bytes, other, 0x0123456789abcdefL);
    assertFalse(other.readable);
  }

  @Test
  void fieldsOutsideTheirWidthAreRefused() {
    DeviceRecord d = fixed();
    d.lastSeenWallClock = 1L << 50;
    assertThrows(IllegalStateException.class, () -> DeviceStateCodec.encode(d, "L1"));
  }

  @Test
  void eventIdHashIsTheAvroFingerprintOfTheUtf8Bytes() {
    for (String s : new String[] {"", "e1", "L00-S03#1234", "é", "日本", "\uD83D\uDE00x", "bad\uD800"}) {
      assertEquals(SchemaNormalization.fingerprint64(s.getBytes(StandardCharsets.UTF_8)), IdHash.of(s), s);
    }
    String sha = "254c8482218425abadc15897462479c8f759b89af959d4a2121b29bef473801f";
    assertEquals(0x254c8482218425abL, IdHash.modelFingerprint(sha));
    assertEquals("254c8482218425ab", IdHash.hex(IdHash.modelFingerprint(sha)));
  }

  @Test
  void aVersionTwoAvroStateIsMigratedWithItsMemoryAlertAndEventIds() throws Exception {
    Path model = TestModels.random(dir, "lstm.onnx", CellType.LSTM, true, 11);
    try (ScoringModel m = ScoringModel.load(model)) {
      DeviceMemory mem = m.newMemory();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        m.score(TestEvents.withSpeed("D1", "L1", TestEvents.T0 + i * 1000L, "e" + i, 2f + i * 0.01f), mem);
        ids.add("e" + i);
      }
      AlertState a = fixed().alert;
      DeviceState old = new DeviceStateMapper().toState(m.modelId(), "L1", mem, a, 0.25f, 77L, ids.subList(4, 20));
      byte[] avro = new AvroSerde<DeviceState>(DeviceState.getClassSchema()).encode(old);
      assertTrue(DeviceStateCodec.isAvro(avro));

      byte[] compact = DeviceStateCodec.upgrade(avro);
      assertTrue(DeviceStateCodec.isCompact(compact));
      DeviceRecord rec = new DeviceRecord(m.newMemory());
      DeviceStateCodec.decode(compact, rec, IdHash.modelFingerprint(m.modelId()));
      assertTrue(rec.readable);
      assertMemoryEquals(mem, rec.memory);
      a.pendingHorizon[1] = 0L; // the Avro form kept no claimed horizons: the default one
      assertAlertEquals(a, rec.alert);
      assertEquals(0.25f, rec.lastScore);
      assertEquals(77L, rec.lastSeenWallClock);
      assertEquals("L1", DeviceStateCodec.lineId(compact));
      DeviceEventPolicy policy = StreamConfig.defaultEventPolicy();
      assertEquals(RejectReason.DUPLICATE,
          policy.checkAgainstDevice(TestEvents.withSpeed("D1", "L1", TestEvents.T0 + 99_000, "e7", 2f), rec));
      assertNull(policy.checkAgainstDevice(TestEvents.withSpeed("D1", "L1", TestEvents.T0 + 99_000, "e3", 2f), rec));

      // Version 1: alert and ids kept, the memory not.
      old.setVersion(1);
      byte[] v1 = DeviceStateCodec.upgrade(new AvroSerde<DeviceState>(DeviceState.getClassSchema()).encode(old));
      DeviceStateCodec.decode(v1, rec, IdHash.modelFingerprint(m.modelId()));
      assertTrue(rec.present);
      assertFalse(rec.readable);
      assertTrue(rec.seen(IdHash.of("e19")));
      assertEquals(mem.lastEventTime, rec.memory.lastEventTime);
    }
  }

  /** Bytes per device: the layout's sizes for the models of the issue (16 recent ids, line id "L00"). */
  @Test
  void storedSizesOfTheReferenceModels() {
    FeatureSpec spec = TestModels.spec();
    assertEquals(456, size(spec, CellType.GRU, false), "GRU H=64 risk head");
    assertEquals(456 + 256, size(spec, CellType.LSTM, false), "LSTM H=64 risk head (+ c)");
    int detector = new DetectorStages(DetectorConfig.defaults(), spec.readings().size(), true).stateSize();
    assertEquals(456 + 4 * spec.size() + 8 * detector, size(spec, CellType.GRU, true), "GRU H=64 forecast head + detector");
  }

  private int size(FeatureSpec spec, CellType cell, boolean forecast) {
    NetworkWeights w = NetworkWeights.random(cell, spec.size(), 64, 1, cell == CellType.GRU, !forecast, forecast,
        new SplittableRandom(1));
    ModelMetadata meta = ModelMetadata.describe(w, spec, forecast ? new ForecastSurprise.Stats(-1f, 1f, 10, 100) : null);
    if (forecast) meta = meta.withScoreHead(ModelMetadata.Head.FORECAST);
    Path p = dir.resolve(cell + "-" + forecast + ".onnx");
    OnnxExporter.export(w, meta, p);
    try (ScoringModel m = ScoringModel.load(p)) {
      DeviceRecord d = new DeviceRecord(m.newMemory());
      d.clear();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        ids.add("L00-S01#" + (1000 + i));
        d.remember(IdHash.of(ids.get(i)), 16);
      }
      int n = DeviceStateCodec.encode(d, "L00").length;
      int avro = new AvroSerde<DeviceState>(DeviceState.getClassSchema())
          .encode(new DeviceStateMapper().toState(m.modelId(), "L00", d.memory, d.alert, 0.5f, TestEvents.T0, ids)).length;
      System.out.printf("stored state %s H=64 %s: %d B (memory arrays %d B); version-2 Avro form: %d B%n", cell,
          forecast ? "forecast" : "risk", n,
          4 * (d.memory.h.length + d.memory.c.length + d.memory.pred.length) + 8 * d.memory.detector.length, avro);
      return n;
    }
  }

  static void assertMemoryEquals(DeviceMemory want, DeviceMemory got) {
    assertArrayEquals(bits(want.h), bits(got.h));
    assertArrayEquals(bits(want.c), bits(got.c));
    assertArrayEquals(bits(want.pred), bits(got.pred));
    assertArrayEquals(want.detector, got.detector);
    assertEquals(want.lastEventTime, got.lastEventTime);
    assertEquals(want.eventCount, got.eventCount);
  }

  static void assertAlertEquals(AlertState want, AlertState got) {
    assertEquals(want.open, got.open);
    assertEquals(want.raisedAt, got.raisedAt);
    assertEquals(want.peak, got.peak);
    assertEquals(want.aboveCount, got.aboveCount);
    assertEquals(want.aboveSince, got.aboveSince);
    assertEquals(want.lastClearedAt, got.lastClearedAt);
    assertEquals(want.staleAlerted, got.staleAlerted);
    assertEquals(want.eventsSinceRaise, got.eventsSinceRaise);
    assertArrayEquals(java.util.Arrays.copyOf(want.pending, want.pendingCount), java.util.Arrays.copyOf(got.pending, got.pendingCount));
    assertArrayEquals(java.util.Arrays.copyOf(want.pendingHorizon, want.pendingCount),
        java.util.Arrays.copyOf(got.pendingHorizon, got.pendingCount));
  }

  private static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
    return out;
  }
}
