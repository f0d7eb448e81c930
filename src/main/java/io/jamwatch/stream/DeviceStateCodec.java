package io.jamwatch.stream;

import io.jamwatch.avro.DeviceState;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.DeviceRecord;
import io.jamwatch.scoring.IdHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The stored form of a device's state (the value of the {@code device-state} store and its
 * changelog): a fixed little-endian layout, version {@value #VERSION}, read into and written from a
 * reused {@link DeviceRecord} without per-event objects (the one allocation is the value array the
 * store keeps). The layout (also in {@code schemas/README.md}):
 *
 * <pre>
 * off  size        field
 *   0  1           magic 0x4A ('J'; an Avro single-object state, the version-2 form, starts 0xC3)
 *   1  1           version (4; a version-3 state, whose pending outcomes are 6 bytes each
 *                  without a claimed horizon, is read as it is)
 *   2  1           flags: bit0 alert open, bit1 STALE alerted, bit2 memory readable (0: migrated
 *                  from a version-1 state, reset at the next event)
 *   3  8   i64     model fingerprint (first 8 bytes of the SHA-256 model id, IdHash.modelFingerprint)
 *  11  6   i48     last event time (epoch ms)
 *  17  6   i48     last seen wall clock (epoch ms)
 *  23  6   i48     event count
 *  29  6   i48     alert raised at
 *  35  6   i48     above-threshold since
 *  41  6   i48     last cleared at (-2^47 = never)
 *  47  4   f32     last score
 *  51  4   f32     alert peak
 *  55  4   i32     consecutive events above the raise threshold
 *  59  4   i32     events since the last RAISED (2^31-1 = never)
 *  63  2   u16     R: recent eventIds
 *  65  2   u16     P: pending alert outcomes
 *  67  2   u16     N: line id bytes
 *  69  8R  i64[R]  IdHash of the last R eventIds, oldest first
 *      10P         RAISED alerts whose outcome is open, oldest first, each:
 *          i48     its event time
 *          u32     the horizon it claimed, in seconds (0: the default outcome horizon)
 *      N   utf-8   line id
 *      4S  f32[S]  h, then c (LSTM), then pred (forecast head): S = the model's sizes
 *      8D  f64[D]  detector state (unsupervised head)
 * </pre>
 *
 * The arrays' sizes are not stored: the fingerprint names the model that fixes them, and a state
 * whose remaining length is not the model's is unreadable (reset, counted). An i48 holds event
 * times and counts exactly up to 2^47 (year 6429); a value outside is refused at write.
 *
 * <p>A version-2 Avro {@link DeviceState} (the previous form, whose schema stays in {@code
 * schemas/DeviceState.avsc}) is migrated on read by {@link #upgrade}; its eventIds are hashed, its
 * model id fingerprinted. A version-1 state keeps its alert, recent ids and times but not its memory.
 */
public final class DeviceStateCodec {
  public static final byte MAGIC = 0x4A;
  public static final int VERSION = 4;
  /** The previous compact version: pending outcomes without a claimed horizon. */
  static final int VERSION_3 = 3;
  private static final int PENDING_BYTES = 10, PENDING_BYTES_V3 = 6;
  static final int FIXED = 69;
  private static final int OPEN = 1, STALE = 2, READABLE = 4;
  private static final long I48_MIN = -(1L << 47);
  private static final long I48_MAX = (1L << 47) - 1;

  private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle F64 = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private static final AvroSerde<DeviceState> AVRO = new AvroSerde<>(DeviceState.getClassSchema());

  private DeviceStateCodec() {}

  // ---- writing ----

  /** The stored bytes of {@code d}, last seen on line {@code lineId}. */
  public static byte[] encode(DeviceRecord d, String lineId) {
    DeviceMemory m = d.memory;
    AlertState a = d.alert;
    int lineBytes = utf8Length(lineId);
    if (lineBytes > 0xFFFF || d.recentCount > 0xFFFF || a.pendingCount > 0xFFFF)
      throw new IllegalStateException("device state too large to store: line id " + lineBytes + " bytes, "
          + d.recentCount + " recent ids, " + a.pendingCount + " pending outcomes");
    int size = FIXED + 8 * d.recentCount + PENDING_BYTES * a.pendingCount + lineBytes
        + 4 * (m.h.length + m.c.length + m.pred.length) + 8 * m.detector.length;
    byte[] b = new byte[size];
    b[0] = MAGIC;
    b[1] = VERSION;
    b[2] = (byte) ((a.open ? OPEN : 0) | (a.staleAlerted ? STALE : 0) | (d.readable ? READABLE : 0));
    I64.set(b, 3, d.modelFingerprint);
    putI48(b, 11, m.lastEventTime);
    putI48(b, 17, d.lastSeenWallClock);
    putI48(b, 23, m.eventCount);
    putI48(b, 29, a.raisedAt);
    putI48(b, 35, a.aboveSince);
    putI48(b, 41, a.lastClearedAt);
    F32.set(b, 47, d.lastScore);
    F32.set(b, 51, a.peak);
    I32.set(b, 55, a.aboveCount);
    I32.set(b, 59, a.eventsSinceRaise);
    I16.set(b, 63, (short) d.recentCount);
    I16.set(b, 65, (short) a.pendingCount);
    I16.set(b, 67, (short) lineBytes);
    int o = FIXED;
    for (int i = 0; i < d.recentCount; i++, o += 8) I64.set(b, o, d.recent[i]);
    for (int i = 0; i < a.pendingCount; i++, o += PENDING_BYTES) {
      putI48(b, o, a.pending[i]);
      long claim = a.pendingHorizon[i] / 1000;
      if (claim < 0 || claim > 0xFFFF_FFFFL)
        throw new IllegalStateException("claimed horizon " + a.pendingHorizon[i] + " ms does not fit the stored device state");
      I32.set(b, o + 6, (int) claim);
    }
    o = putUtf8(b, o, lineId);
    o = putFloats(b, o, m.h);
    o = putFloats(b, o, m.c);
    o = putFloats(b, o, m.pred);
    for (double v : m.detector) {
      F64.set(b, o, v);
      o += 8;
    }
    return b;
  }

  /** {@code b} with the STALE-alerted flag set (a copy; the store keeps values it is given). */
  public static byte[] withStaleAlerted(byte[] b) {
    byte[] c = b.clone();
    c[2] |= STALE;
    return c;
  }

  // ---- reading ----

  /**
   * Reads {@code bytes} (compact, or null: no state) into {@code d}, whose memory is sized for the
   * model of fingerprint {@code model}. The memory arrays are read only when the state was written
   * by that model; {@code d.readable} is false when they cannot be continued.
   */
  public static void decode(byte[] bytes, DeviceRecord d, long model) {
    if (bytes == null) {
      d.clear();
      return;
    }
    if (!isCompact(bytes)) {
      // An unknown stored form: nothing in it can be trusted, the device restarts (counted).
      d.clear();
      d.present = true;
      return;
    }
    DeviceMemory m = d.memory;
    AlertState a = d.alert;
    d.present = true;
    int flags = bytes[2];
    d.modelFingerprint = (long) I64.get(bytes, 3);
    m.lastEventTime = getI48(bytes, 11);
    d.lastSeenWallClock = getI48(bytes, 17);
    m.eventCount = getI48(bytes, 23);
    readAlert(bytes, a);
    d.lastScore = (float) F32.get(bytes, 47);
    int r = recentCount(bytes);
    d.ensureRecent(r);
    int o = FIXED;
    for (int i = 0; i < r; i++, o += 8) d.recent[i] = (long) I64.get(bytes, o);
    d.recentCount = r;
    o = arraysOffset(bytes);
    boolean readable = (flags & READABLE) != 0;
    if (readable && d.modelFingerprint == model) readable = readMemory(bytes, o, m);
    d.readable = readable;
  }

  /**
   * Copies the memory arrays of a compact state written by the model {@code m} is sized for into
   * {@code m}; false (m unspecified) when the state has other sizes or no readable memory.
   */
  public static boolean readMemory(byte[] bytes, DeviceMemory m) {
    if (!isCompact(bytes) || (bytes[2] & READABLE) == 0) return false;
    if (!readMemory(bytes, arraysOffset(bytes), m)) return false;
    m.lastEventTime = getI48(bytes, 11);
    m.eventCount = getI48(bytes, 23);
    return true;
  }

  private static boolean readMemory(byte[] b, int o, DeviceMemory m) {
    if (b.length - o != 4 * (m.h.length + m.c.length + m.pred.length) + 8 * m.detector.length) return false;
    o = getFloats(b, o, m.h);
    o = getFloats(b, o, m.c);
    o = getFloats(b, o, m.pred);
    for (int i = 0; i < m.detector.length; i++, o += 8) m.detector[i] = (double) F64.get(b, o);
    return true;
  }

  /** The alert fields (with the pending outcomes) of a compact state into {@code a}. */
  public static void readAlert(byte[] b, AlertState a) {
    a.open = (b[2] & OPEN) != 0;
    a.staleAlerted = (b[2] & STALE) != 0;
    a.raisedAt = getI48(b, 29);
    a.aboveSince = getI48(b, 35);
    a.lastClearedAt = getI48(b, 41);
    a.peak = (float) F32.get(b, 51);
    a.aboveCount = (int) I32.get(b, 55);
    a.eventsSinceRaise = (int) I32.get(b, 59);
    int p = pendingCount(b);
    a.ensurePending(p);
    int o = FIXED + 8 * recentCount(b);
    int step = pendingBytes(b);
    for (int i = 0; i < p; i++, o += step) {
      a.pending[i] = getI48(b, o);
      a.pendingHorizon[i] = step == PENDING_BYTES ? 1000L * Integer.toUnsignedLong((int) I32.get(b, o + 6)) : 0L;
    }
    a.pendingCount = p;
  }

  /**
   * True for the compact form of this version or of version 3 (false for an Avro version-2 state or
   * garbage).
   */
  public static boolean isCompact(byte[] b) {
    return b.length >= FIXED && b[0] == MAGIC && (b[1] == VERSION || b[1] == VERSION_3);
  }

  /** Bytes per pending outcome of a compact state of either version. */
  private static int pendingBytes(byte[] b) {
    return b[1] == VERSION_3 ? PENDING_BYTES_V3 : PENDING_BYTES;
  }

  /** True for a state in the previous form, an Avro single-object {@link DeviceState}. */
  public static boolean isAvro(byte[] b) {
    return b.length >= 2 && b[0] == (byte) 0xC3 && b[1] == 0x01;
  }

  // Field accessors for the sweep (no full decode): valid on compact states.

  public static long modelFingerprint(byte[] b) {
    return (long) I64.get(b, 3);
  }

  public static long lastEventTime(byte[] b) {
    return getI48(b, 11);
  }

  public static long lastSeenWallClock(byte[] b) {
    return getI48(b, 17);
  }

  public static long eventCount(byte[] b) {
    return getI48(b, 23);
  }

  public static boolean alertOpen(byte[] b) {
    return (b[2] & OPEN) != 0;
  }

  public static boolean staleAlerted(byte[] b) {
    return (b[2] & STALE) != 0;
  }

  public static long alertRaisedAt(byte[] b) {
    return getI48(b, 29);
  }

  public static float alertPeak(byte[] b) {
    return (float) F32.get(b, 51);
  }

  public static float lastScore(byte[] b) {
    return (float) F32.get(b, 47);
  }

  public static int pendingCount(byte[] b) {
    return Short.toUnsignedInt((short) I16.get(b, 65));
  }

  static int recentCount(byte[] b) {
    return Short.toUnsignedInt((short) I16.get(b, 63));
  }

  public static String lineId(byte[] b) {
    int n = Short.toUnsignedInt((short) I16.get(b, 67));
    return new String(b, FIXED + 8 * recentCount(b) + pendingBytes(b) * pendingCount(b), n, StandardCharsets.UTF_8);
  }

  private static int arraysOffset(byte[] b) {
    return FIXED + 8 * recentCount(b) + pendingBytes(b) * pendingCount(b) + Short.toUnsignedInt((short) I16.get(b, 67));
  }

  // ---- migration ----

  /**
   * {@code bytes} in the compact form: unchanged when already compact (or null), migrated when an
   * Avro version-2 (or 1) {@link DeviceState}. Unknown bytes are returned as they are ({@link
   * #decode} then restarts the device).
   */
  public static byte[] upgrade(byte[] bytes) {
    if (bytes == null || !isAvro(bytes)) return bytes;
    return fromAvro(AVRO.decode(bytes));
  }

  /** A previous-form state in the compact form (DeviceStateMapper reads its fields). */
  public static byte[] fromAvro(DeviceState s) {
    DeviceStateMapper mapper = new DeviceStateMapper();
    boolean readable = mapper.readable(s);
    DeviceMemory m = readable
        ? DeviceMemory.sized(s.getH().remaining() / 4, s.getC().remaining() > 0, s.getPred().remaining() / 4,
            s.getDetector().remaining() / 8)
        : DeviceMemory.sized(0, false, 0, 0);
    DeviceRecord d = new DeviceRecord(m);
    d.clear();
    d.present = true;
    // Arrays of inconsistent sizes are written but flagged unreadable (the device restarts).
    d.readable = readable && mapper.toMemory(s, m);
    m.lastEventTime = s.getLastEventTime().toEpochMilli();
    m.eventCount = s.getEventCount();
    mapper.toAlert(s, d.alert);
    d.modelFingerprint = IdHash.modelFingerprint(s.getModelId());
    d.lastScore = s.getLastScore();
    d.lastSeenWallClock = s.getLastSeenWallClock();
    d.ensureRecent(s.getRecentEventIds().size());
    for (String id : s.getRecentEventIds()) d.recent[d.recentCount++] = IdHash.of(id);
    return encode(d, s.getLineId());
  }

  // ---- primitives ----

  private static void putI48(byte[] b, int o, long v) {
    if (v == Long.MIN_VALUE) {
      v = I48_MIN;
    } else if (v <= I48_MIN || v > I48_MAX) {
      throw new IllegalStateException("value " + v + " does not fit the 48-bit field of the stored device state");
    }
    for (int i = 0; i < 6; i++) b[o + i] = (byte) (v >>> (8 * i));
  }

  private static long getI48(byte[] b, int o) {
    long v = 0;
    for (int i = 5; i >= 0; i--) v = (v << 8) | (b[o + i] & 0xFFL);
    v = (v << 16) >> 16; // sign-extend bit 47
    return v == I48_MIN ? Long.MIN_VALUE : v;
  }

  private static int putFloats(byte[] b, int o, float[] v) {
    for (float x : v) {
      F32.set(b, o, x);
      o += 4;
    }
    return o;
  }

  private static int getFloats(byte[] b, int o, float[] v) {
    for (int i = 0; i < v.length; i++, o += 4) v[i] = (float) F32.get(b, o);
    return o;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) n++;
      else n += 3;
    }
    return n;
  }

  private static int putUtf8(byte[] b, int o, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[o++] = (byte) c;
      } else if (c < 0x800) {
        b[o++] = (byte) (0xC0 | (c >> 6));
        b[o++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[o++] = (byte) (0xF0 | (cp >> 18));
        b[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[o++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        b[o++] = '?';
      } else {
        b[o++] = (byte) (0xE0 | (c >> 12));
        b[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[o++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return o;
  }
}
