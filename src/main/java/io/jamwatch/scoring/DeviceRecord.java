package io.jamwatch.scoring;

import java.util.Arrays;

/**
 * Everything kept for one device between two events, the in-memory form of the stream's stored
 * state (stream/DeviceStateCodec reads and writes it in place) and the offline scorer's per-device
 * entry. {@link DeviceScorer#apply} reads and updates it; mutable and reused, not thread-safe.
 *
 * <ul>
 *   <li>{@code present}: the device has a state (false: its first event, or evicted);
 *   <li>{@code readable}: the stored memory may be continued (false: a stored form whose scores
 *       meant something else, e.g. version 1, or arrays not of the model's sizes); alert, recent
 *       ids and last event time are read regardless;
 *   <li>{@code modelFingerprint}: {@link IdHash#modelFingerprint} of the model that wrote the memory;
 *   <li>{@code memory}: the model's recurrent and detector state, {@code memory.lastEventTime} the
 *       last applied event's time;
 *   <li>{@code recent[0..recentCount)}: {@link IdHash#of} the last applied eventIds, oldest first.
 * </ul>
 */
public final class DeviceRecord {
  public final DeviceMemory memory;
  public final AlertState alert = new AlertState();
  public boolean present;
  public boolean readable;
  public long modelFingerprint;
  public float lastScore;
  public long lastSeenWallClock;
  public long[] recent = new long[17];
  public int recentCount;

  public DeviceRecord(DeviceMemory memory) {
    this.memory = memory;
  }

  /** No state: the device's next event is its first. */
  public void clear() {
    present = false;
    readable = false;
    modelFingerprint = 0;
    lastScore = 0f;
    lastSeenWallClock = 0;
    recentCount = 0;
    alert.reset();
    memory.reset();
  }

  /** True when {@code hash} is among the recent eventIds. */
  public boolean seen(long hash) {
    for (int i = 0; i < recentCount; i++) {
      if (recent[i] == hash) return true;
    }
    return false;
  }

  /** Appends {@code hash} as the newest recent id, keeping the newest {@code keep}. */
  public void remember(long hash, int keep) {
    if (keep <= 0) return;
    if (recentCount == recent.length) recent = Arrays.copyOf(recent, recent.length * 2);
    recent[recentCount++] = hash;
    if (recentCount > keep) {
      int drop = recentCount - keep;
      System.arraycopy(recent, drop, recent, 0, keep);
      recentCount = keep;
    }
  }

  /** Room for {@code n} recent ids (before a reader fills {@code recent[0..n)}). */
  public void ensureRecent(int n) {
    if (recent.length < n + 1) recent = new long[n + 1];
  }
}
