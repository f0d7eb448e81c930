package io.jamwatch.stream;

import io.jamwatch.scoring.AlertState;
import io.jamwatch.avro.DeviceState;
import io.jamwatch.scoring.DeviceMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The reader (and, for tests' fixtures, the writer) of the PREVIOUS stored form, the Avro {@link
 * DeviceState} of {@code schemas/DeviceState.avsc} (versions 1 and 2; float32 arrays as
 * little-endian bytes), to and from {@link DeviceMemory} + {@link AlertState}. The store now holds
 * {@link DeviceStateCodec}'s compact version 3, which migrates a version-2 state through this
 * mapper on read. A state of an unknown {@link #VERSION} or whose arrays do not fit is not read as
 * memory: the device restarts.
 */
public final class DeviceStateMapper {
  /**
   * Version of the stored form this mapper reads and writes. 2: the post-step detector's state
   * ({@code detector}, float64) replaced the forecast-surprise ring, and the alert's suppression
   * count was added (and, later within version 2, the optional pending alert outcomes: a version-2
   * state without them reads as none pending). A version-1 state is not read: the device restarts fresh, counted as an
   * unreadable state (its scores would have meant something else).
   */
  public static final int VERSION = 2;

  public boolean readable(DeviceState s) {
    return s.getVersion() == VERSION;
  }

  /**
   * Copies the recurrent memory out of {@code s} into {@code m} (whose arrays are sized by the
   * model). Returns false, leaving {@code m} unspecified, when the stored arrays do not have the
   * model's sizes.
   */
  public boolean toMemory(DeviceState s, DeviceMemory m) {
    if (!(read(s.getH(), m.h) && read(s.getC(), m.c) && read(s.getPred(), m.pred)
        && readDoubles(s.getDetector(), m.detector))) {
      return false;
    }
    m.lastEventTime = s.getLastEventTime().toEpochMilli();
    m.eventCount = s.getEventCount();
    return true;
  }

  public void toAlert(DeviceState s, AlertState a) {
    a.open = s.getAlertOpen();
    a.raisedAt = s.getAlertRaisedAt();
    a.peak = s.getAlertPeak();
    a.aboveCount = s.getAboveCount();
    a.aboveSince = s.getAboveSince();
    a.lastClearedAt = s.getLastClearedAt();
    a.staleAlerted = s.getStaleAlerted();
    a.eventsSinceRaise = s.getEventsSinceRaise();
    List<Long> p = s.getPendingOutcomes();
    a.ensurePending(p.size());
    for (int i = 0; i < p.size(); i++) {
      a.pending[i] = p.get(i);
      a.pendingHorizon[i] = 0L; // the Avro form kept no claim: the default outcome horizon
    }
    a.pendingCount = p.size();
  }

  private static List<Long> pending(AlertState a) {
    if (a.pendingCount == 0) {
      return List.of();
    }
    List<Long> out = new java.util.ArrayList<>(a.pendingCount);
    for (int i = 0; i < a.pendingCount; i++) {
      out.add(a.pending[i]);
    }
    return out;
  }

  public DeviceState toState(
      String modelId,
      String lineId,
      DeviceMemory m,
      AlertState a,
      float lastScore,
      long wallClock,
      List<String> recentEventIds) {
    return DeviceState.newBuilder()
        .setVersion(VERSION)
        .setModelId(modelId)
        .setLineId(lineId)
        .setH(write(m.h))
        .setC(write(m.c))
        .setPred(write(m.pred))
        .setSurpriseWindow(EMPTY)
        .setDetector(writeDoubles(m.detector))
        .setLastEventTime(java.time.Instant.ofEpochMilli(m.lastEventTime))
        .setLastSeenWallClock(wallClock)
        .setEventCount(m.eventCount)
        .setLastScore(lastScore)
        .setAlertOpen(a.open)
        .setAlertRaisedAt(a.raisedAt)
        .setAlertPeak(a.peak)
        .setAboveCount(a.aboveCount)
        .setAboveSince(a.aboveSince)
        .setLastClearedAt(a.lastClearedAt)
        .setStaleAlerted(a.staleAlerted)
        .setEventsSinceRaise(a.eventsSinceRaise)
        .setPendingOutcomes(pending(a))
        .setRecentEventIds(recentEventIds)
        .build();
  }

  /** Float32 little-endian bytes of {@code v}. */
  public static ByteBuffer write(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b;
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** Float64 little-endian bytes of {@code v}. */
  public static ByteBuffer writeDoubles(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(v);
    return b;
  }

  private static boolean readDoubles(ByteBuffer bytes, double[] into) {
    if (bytes.remaining() != into.length * Double.BYTES) {
      return false;
    }
    bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(into);
    return true;
  }

  private static boolean read(ByteBuffer bytes, float[] into) {
    if (bytes.remaining() != into.length * Float.BYTES) {
      return false;
    }
    bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into);
    return true;
  }
}
