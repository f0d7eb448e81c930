package io.jamwatch.scoring;

/**
 * The alert fields of one device's state ({@link DeviceRecord#alert}), mutable and reused; stored
 * by the stream's DeviceStateCodec.
 */
public final class AlertState {
  /** lastClearedAt value meaning "never cleared". */
  public static final long NEVER = Long.MIN_VALUE;

  public boolean open;
  public long raisedAt;
  public float peak;
  public int aboveCount;
  public long aboveSince;
  public long lastClearedAt = NEVER;
  public boolean staleAlerted;
  /** Events applied since the last RAISED (saturating; {@code Integer.MAX_VALUE} = never raised). */
  public int eventsSinceRaise = Integer.MAX_VALUE;

  /**
   * Event times of RAISED alerts whose outcome is still open, oldest first, in {@code
   * pending[0..pendingCount)} (see {@link AlertOutcomes}); grown on demand, reused otherwise.
   */
  public long[] pending = new long[4];
  /**
   * The horizon each pending raise claimed, in millis, parallel to {@link #pending} (0: the
   * outcome horizon's default, for raises stored before alerts claimed their own horizon).
   */
  public long[] pendingHorizon = new long[4];
  public int pendingCount;

  /** Makes room for {@code n} pending raises (both arrays), keeping the first {@link #pendingCount}. */
  public void ensurePending(int n) {
    if (pending.length < n) pending = java.util.Arrays.copyOf(pending, Math.max(n, 2 * pending.length));
    if (pendingHorizon.length < pending.length) pendingHorizon = java.util.Arrays.copyOf(pendingHorizon, pending.length);
  }

  public boolean everCleared() {
    return lastClearedAt != NEVER;
  }

  public void reset() {
    open = false;
    raisedAt = 0;
    peak = 0f;
    aboveCount = 0;
    aboveSince = 0;
    lastClearedAt = NEVER;
    staleAlerted = false;
    eventsSinceRaise = Integer.MAX_VALUE;
    pendingCount = 0;
  }
}
