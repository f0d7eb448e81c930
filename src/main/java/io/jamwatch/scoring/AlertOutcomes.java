package io.jamwatch.scoring;

/**
 * What followed each RAISED alert: a jam within the horizon the alert claimed ("a jam within the
 * next H": the model's primary horizon, or the ladder rung it was raised on, {@link HorizonLadder})
 * or not. Kafka-free; the per-device pending raises live in {@link AlertState} (and so
 * in the stored device state), so a restart neither loses nor doubles an outcome.
 *
 * <p>Per event at time {@code t}, before the alert policy's transition of that event is recorded:
 * every pending raise older than its horizon ({@code t - raisedAt > horizon}) resolves as "no jam";
 * if the event is a JAM, every remaining pending raise resolves as "jam followed" with lead {@code
 * t - raisedAt}. Then a RAISED of this event becomes pending. This is the backtest's rule (a raise
 * at R claiming H catches a jam at J when R &lt; J &lt;= R + H), so every RAISED gets exactly one outcome
 * once the device's event time passes its horizon or a jam comes.
 */
public final class AlertOutcomes {
  /** Horizon used when a model states none (and for a pending raise stored without its own). */
  public static final long DEFAULT_HORIZON_MILLIS = 120_000L;

  /** Receives one resolved outcome (no allocation per event). */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param raisedAt the RAISED alert's event time
     * @param jamFollowed a JAM of the device came within the horizon
     * @param leadMillis JAM time minus raisedAt, -1 when no jam followed
     * @param horizonMillis the horizon the alert claimed, on which it was judged
     */
    void outcome(long raisedAt, boolean jamFollowed, long leadMillis, long horizonMillis);
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

  /** The default horizon: a raise's own claim when it made none. */
  public long horizonMillis() {
    return horizonMillis;
  }

  /** Resolves what the event at {@code t} settles; returns how many outcomes went to {@code sink}. */
  public int resolve(AlertState s, long t, boolean jam, Sink sink) {
    int n = 0;
    int keep = 0;
    for (int i = 0; i < s.pendingCount; i++) {
      long r = s.pending[i];
      long h = horizonOf(s, i);
      if (t - r > h) {
        sink.outcome(r, false, -1, h);
        n++;
      } else if (jam) {
        sink.outcome(r, true, t - r, h);
        n++;
      } else {
        s.pendingHorizon[keep] = s.pendingHorizon[i];
        s.pending[keep++] = r;
      }
    }
    s.pendingCount = keep;
    return n;
  }

  /** Resolves every pending raise as "no jam" (the device leaves, e.g. evicted after silence). */
  public int resolveAll(AlertState s, Sink sink) {
    for (int i = 0; i < s.pendingCount; i++) {
      sink.outcome(s.pending[i], false, -1, horizonOf(s, i));
    }
    int n = s.pendingCount;
    s.pendingCount = 0;
    return n;
  }

  /** Records a RAISED at {@code t} claiming the default horizon as pending. */
  public void raised(AlertState s, long t) {
    raised(s, t, 0L);
  }

  /**
   * Records a RAISED at {@code t} that claims {@code claimMillis} ("a jam within ~this"; 0: the
   * default horizon) as pending: it is judged on that horizon.
   */
  public void raised(AlertState s, long t, long claimMillis) {
    if (claimMillis < 0) throw new IllegalArgumentException("claimed horizon must be >= 0, got " + claimMillis);
    s.ensurePending(s.pendingCount + 1);
    s.pendingHorizon[s.pendingCount] = claimMillis;
    s.pending[s.pendingCount++] = t;
  }

  /** The horizon pending raise {@code i} is judged on. */
  public long horizonOf(AlertState s, int i) {
    long h = s.pendingHorizon[i];
    return h > 0 ? h : horizonMillis;
  }
}
