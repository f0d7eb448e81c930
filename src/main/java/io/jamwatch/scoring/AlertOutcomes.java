package io.jamwatch.scoring;

/**
 * What followed each RAISED alert: a jam within the alert's horizon (the model's: "a jam within
 * the next H") or not. Kafka-free; the per-device pending raises live in {@link AlertState} (and so
 * in the stored device state), so a restart neither loses nor doubles an outcome.
 *
 * <p>Per event at time {@code t}, before the alert policy's transition of that event is recorded:
 * every pending raise older than the horizon ({@code t - raisedAt > horizon}) resolves as "no jam";
 * if the event is a JAM, every remaining pending raise resolves as "jam followed" with lead {@code
 * t - raisedAt}. Then a RAISED of this event becomes pending. This is the backtest's rule (a raise
 * at R catches a jam at J when R &lt; J &lt;= R + horizon), so every RAISED gets exactly one outcome
 * once the device's event time passes its horizon or a jam comes.
 */
public final class AlertOutcomes {
  /** Horizon used when a model states none. */
  public static final long DEFAULT_HORIZON_MILLIS = 120_000L;

  /** Receives one resolved outcome (no allocation per event). */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param raisedAt the RAISED alert's event time
     * @param jamFollowed a JAM of the device came within the horizon
     * @param leadMillis JAM time minus raisedAt, -1 when no jam followed
     */
    void outcome(long raisedAt, boolean jamFollowed, long leadMillis);
  }

  private final long horizonMillis;

  public AlertOutcomes(long horizonMillis) {
    if (horizonMillis <= 0) {
      throw new IllegalArgumentException("alert outcome horizon must be > 0, got " + horizonMillis);
    }
    this.horizonMillis = horizonMillis;
  }

  /** From a model's stated horizon in seconds (0: {@link #DEFAULT_HORIZON_MILLIS}). */
  public static AlertOutcomes forHorizonSeconds(long seconds) {
    return new AlertOutcomes(seconds > 0 ? seconds * 1000 : DEFAULT_HORIZON_MILLIS);
  }

  public long horizonMillis() {
    return horizonMillis;
  }

  /** Resolves what the event at {@code t} settles; returns how many outcomes went to {@code sink}. */
  public int resolve(AlertState s, long t, boolean jam, Sink sink) {
    int n = 0;
    int keep = 0;
    for (int i = 0; i < s.pendingCount; i++) {
      long r = s.pending[i];
      if (t - r > horizonMillis) {
        sink.outcome(r, false, -1);
        n++;
      } else if (jam) {
        sink.outcome(r, true, t - r);
        n++;
      } else {
        s.pending[keep++] = r;
      }
    }
    s.pendingCount = keep;
    return n;
  }

  /** Resolves every pending raise as "no jam" (the device leaves, e.g. evicted after silence). */
  public int resolveAll(AlertState s, Sink sink) {
    for (int i = 0; i < s.pendingCount; i++) {
      sink.outcome(s.pending[i], false, -1);
    }
    int n = s.pendingCount;
    s.pendingCount = 0;
    return n;
  }

  /** Records a RAISED at {@code t} as pending. */
  public void raised(AlertState s, long t) {
    if (s.pendingCount == s.pending.length) {
      s.pending = java.util.Arrays.copyOf(s.pending, s.pending.length * 2);
    }
    s.pending[s.pendingCount++] = t;
  }
}
