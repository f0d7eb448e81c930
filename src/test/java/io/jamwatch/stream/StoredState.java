package io.jamwatch.stream;

import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.IdHash;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A stored device state (DeviceStateCodec bytes) as the tests read it; equal when the bytes are. */
final class StoredState {
  final byte[] bytes;

  private StoredState(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The view of a store value, null for none. */
  static StoredState of(byte[] stored) {
    return stored == null ? null : new StoredState(DeviceStateCodec.upgrade(stored));
  }

  long getEventCount() {
    return DeviceStateCodec.eventCount(bytes);
  }

  Instant getLastEventTime() {
    return Instant.ofEpochMilli(DeviceStateCodec.lastEventTime(bytes));
  }

  /** The model fingerprint's hex (the model id's first 16 characters). */
  String getModelId() {
    return IdHash.hex(DeviceStateCodec.modelFingerprint(bytes));
  }

  boolean getAlertOpen() {
    return DeviceStateCodec.alertOpen(bytes);
  }

  boolean getStaleAlerted() {
    return DeviceStateCodec.staleAlerted(bytes);
  }

  float getLastScore() {
    return DeviceStateCodec.lastScore(bytes);
  }

  List<Long> getPendingOutcomes() {
    AlertState a = new AlertState();
    DeviceStateCodec.readAlert(bytes, a);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < a.pendingCount; i++) out.add(a.pending[i]);
    return out;
  }

  /** The eventId hashes, oldest first. */
  List<Long> getRecentEventIds() {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < DeviceStateCodec.recentCount(bytes); i++) out.add(b.getLong(DeviceStateCodec.FIXED + 8 * i));
    return out;
  }

  /** The last {@code n} bytes: the memory arrays of a model whose arrays take n bytes (e.g. a GRU risk head's h: 4 L H). */
  ByteBuffer tail(int n) {
    return ByteBuffer.wrap(bytes, bytes.length - n, n).slice();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredState s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StoredState" + Arrays.toString(bytes);
  }
}
