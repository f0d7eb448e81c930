package io.jamwatch.scoring;

import io.jamwatch.model.NormalTail;
import java.util.Arrays;

/**
 * The post-step detector of an unsupervised score, pure Java after the ONNX step, with all its
 * per-device state in one {@code double[]} the caller keeps (in {@link DeviceMemory#detector}, and
 * in the stream's state store). Allocates nothing per event. Configured by {@link DetectorConfig}.
 *
 * <p><b>Error terms</b> (forecast: the network's forecast of this event in encoded units;
 * persistence: this reading minus the last one). Per reading i with error r_i, the running mean
 * squared error m_i (an average whose weight 1/n turns into 1/errorWindow) scales it: the
 * normalised error is q = mean_i r_i^2 / m_i over the present readings (m_i before this event: an
 * event is judged by the past), and the bounded raw score is q / (q + errorScale^2), in [0, 1).
 *
 * <p><b>Likelihood</b> (Ahmad, Lavin, Purdy &amp; Agha 2017, Neurocomputing 262, section 4.3, the
 * NAB/HTM anomaly likelihood): a = the mean of the last {@code shortWindow} raw scores; the tail
 * probability Q = 1 - Phi((a - mu) / sigma) under a Gaussian (mu, sigma^2) of past averages,
 * re-estimated as an exponentially weighted average of effective length {@code longWindow}, with
 * mu &gt;= meanFloor and sigma^2 &gt;= varianceFloor. Its strength is L = -ln Q, computed in double
 * from the log of the erfc fit so it neither underflows nor saturates: a single 100-sigma error
 * gives a far larger L than a 10-sigma one. With {@code firstOfRun}, an event whose Q and the
 * previous event's Q are both below 1e-5 reports Q = 1e-3 instead (only the first of a run of very
 * unlikely events is very unlikely, as Numenta's likelihood filter does). With {@code impulse}, the
 * same test also runs on the single raw score against a Gaussian of single raw scores, and the
 * smaller tail wins: averaging over W events is the matched filter for a sustained anomaly, the
 * single event for an isolated one, so one large deviation raises the score on its own.
 *
 * <p><b>Novelty</b>: reading i beyond its running [min, max] by more than {@code noveltyMargin} of
 * the range max - min, once {@code noveltyLearningEvents} events have shaped the range, has strength
 * L = noveltyWeight * ln(1e10) * excess / margin; the range then takes the reading in.
 *
 * <p><b>Reference period</b>: with {@code referenceEvents} &gt; 0, every running statistic (error
 * scales, means, the likelihood's Gaussian, the ranges) stops adapting after that many events of
 * the device, so a fault that lasts is judged against the normal it followed (SKAB's protocol fits
 * on a file's first rows only); 0 adapts for ever (NAB, and conveyors whose normal drifts).
 *
 * <p><b>Score</b>: L = the max over the terms that are on, mapped to [0, 1) by s = L / (L + ln 1e5):
 * a tail of 1e-5 scores 0.5, 1e-10 scores 0.667; monotone, without a ceiling it could tie at.
 *
 * <p>State layout (all doubles; NaN = not yet seen): per error term [R] mean squared error, [W] ring
 * of raw scores, then mu, sigma^2, the number of averages seen, the previous-Q-was-red flag and the
 * single-score mu and sigma^2;
 * persistence adds [R] last readings; novelty has [R] min, [R] max and an event count.
 */
public final class DetectorStages {
  /** ln(1e5): the strength L at which the score is 0.5. */
  static final double HALF_SCORE_STRENGTH = Math.log(1e5);
  static final double RED_TAIL = 1e-5;
  static final double YELLOW_TAIL = 1e-3;
  private static final double LN_1E10 = Math.log(1e10);
  private static final double MIN_MEAN_SQUARE = 1e-12;

  private final DetectorConfig cfg;
  private final int readings; // R
  private final boolean forecast;
  private final int forecastOff; // offsets into the state, -1 when the term is off
  private final int persistenceOff;
  private final int noveltyOff;
  private final int levelOff;
  private final int size;
  private final int termSize;

  /**
   * @param readings R, the readings the terms compare (the model's feature spec readings)
   * @param hasForecast whether the model makes a forecast (the forecast term needs one)
   */
  public DetectorStages(DetectorConfig cfg, int readings, boolean hasForecast) {
    if (readings < 1) throw new IllegalArgumentException("the detector needs at least one reading, got " + readings);
    this.cfg = cfg;
    this.readings = readings;
    this.forecast = cfg.forecastTerm() && hasForecast;
    termSize = readings + cfg.shortWindow() + 6;
    int off = 0;
    forecastOff = forecast ? off : -1;
    off += forecast ? termSize : 0;
    persistenceOff = cfg.persistenceTerm() ? off : -1;
    off += cfg.persistenceTerm() ? termSize + readings : 0;
    noveltyOff = cfg.noveltyTerm() ? off : -1;
    off += cfg.noveltyTerm() ? 2 * readings + 1 : 0;
    levelOff = cfg.levelTerm() ? off : -1;
    off += cfg.levelTerm() ? termSize + readings : 0;
    size = off;
  }

  public DetectorConfig config() {
    return cfg;
  }

  /** Whether the forecast term runs (on in the config and the model forecasts). */
  public boolean usesForecast() {
    return forecast;
  }

  /** Length of the per-device state. */
  public int stateSize() {
    return size;
  }

  /** A fresh device: nothing seen. */
  public void initState(double[] s) {
    checkState(s);
    Arrays.fill(s, 0, size, 0.0);
    if (forecast) initTerm(s, forecastOff);
    if (persistenceOff >= 0) {
      initTerm(s, persistenceOff);
      Arrays.fill(s, persistenceOff + termSize, persistenceOff + termSize + readings, Double.NaN);
    }
    if (noveltyOff >= 0) {
      Arrays.fill(s, noveltyOff, noveltyOff + 2 * readings, Double.NaN);
      s[noveltyOff + 2 * readings] = 0;
    }
    if (levelOff >= 0) {
      initTerm(s, levelOff);
      Arrays.fill(s, levelOff + termSize, levelOff + termSize + readings, Double.NaN);
    }
  }

  private void initTerm(double[] s, int off) {
    Arrays.fill(s, off, off + readings, Double.NaN);
  }

  /**
   * Judges one event and updates the state. Returns the strength L &gt;= 0 (see the class comment).
   *
   * @param values  the event's readings [R] (NaN = missing), in the feature spec's order
   * @param x       the encoded event (forecast term), or null
   * @param pred    the forecast of this event made at the previous one, or null when there is none
   *                (a device's first event); read at {@code predIdx[i]}
   * @param predIdx for reading i, the index of its value in x and pred
   */
  public double strength(double[] s, double[] values, float[] x, float[] pred, int[] predIdx) {
    checkState(s);
    double l = 0;
    if (forecast) {
      if (x != null && pred != null) {
        double q = 0;
        int n = 0;
        for (int i = 0; i < readings; i++) {
          if (Double.isNaN(values[i])) continue;
          double r = x[predIdx[i]] - pred[predIdx[i]];
          q += normalisedSquare(s, forecastOff, i, r);
          n++;
        }
        l = Math.max(l, likelihood(s, forecastOff, n == 0 ? Double.NaN : q / n));
      }
    }
    if (persistenceOff >= 0) {
      l = Math.max(l, referenceTerm(s, persistenceOff, values, false));
    }
    if (noveltyOff >= 0) {
      l = Math.max(l, novelty(s, values));
    }
    if (levelOff >= 0) {
      // Error of "the next value equals the long-run mean": a shift that persists keeps it high,
      // where the persistence error sees only the step itself.
      l = Math.max(l, referenceTerm(s, levelOff, values, true));
    }
    return l;
  }

  /** The score in [0, 1) of a strength: L / (L + ln 1e5). */
  public static double score(double strength) {
    return strength <= 0 ? 0 : strength / (strength + HALF_SCORE_STRENGTH);
  }

  /**
   * An error term against a reference value per reading, kept after the term's slots: the last
   * reading (persistence) or its running mean (level, weighted as the error scale is). Returns the
   * likelihood strength of the normalised error.
   */
  private double referenceTerm(double[] s, int off, double[] values, boolean runningMean) {
    int ref = off + termSize;
    double seen = s[seenSlot(off)];
    double q = 0;
    int n = 0;
    for (int i = 0; i < readings; i++) {
      double v = values[i];
      if (Double.isNaN(v)) continue;
      double r0 = s[ref + i];
      if (!Double.isNaN(r0)) {
        q += normalisedSquare(s, off, i, v - r0);
        n++;
      }
      if (!runningMean || Double.isNaN(r0)) {
        s[ref + i] = v;
      } else if (!frozen(seen)) {
        s[ref + i] = r0 + (v - r0) / runningDivisor(seen);
      }
    }
    return likelihood(s, off, n == 0 ? Double.NaN : q / n);
  }

  /** The slot counting the raw scores a term has pushed (its events). */
  private int seenSlot(int off) {
    return off + readings + cfg.shortWindow() + 2;
  }

  /** A new value's weight in a term's running averages is 1 / this: n while few are seen, then errorWindow. */
  private double runningDivisor(double seen) {
    return Math.min(Math.max(seen, 1), cfg.errorWindow());
  }

  /**
   * r^2 over the running mean square of reading i of the term at {@code off} (then updated with
   * r^2, weight 1/n while the term has seen few events, then 1/errorWindow).
   */
  private double normalisedSquare(double[] s, int off, int i, double r) {
    double r2 = r * r;
    int k = off + i;
    double m = s[k];
    if (Double.isNaN(m)) {
      s[k] = r2; // nothing to compare the first error with
      return 0;
    }
    double seen = s[seenSlot(off)];
    double q = r2 / Math.max(m, MIN_MEAN_SQUARE);
    if (!frozen(seen)) s[k] = m + (r2 - m) / runningDivisor(seen);
    return q;
  }

  /**
   * Pushes the normalised error q (NaN: no reading to compare, the raw score is then 0) and returns
   * the likelihood strength -ln Q.
   */
  private double likelihood(double[] s, int off, double q) {
    int w = cfg.shortWindow();
    int ring = off + readings;
    int mu = ring + w, var = mu + 1, seen = seenSlot(off), red = mu + 3, mu1 = mu + 4, var1 = mu + 5;
    double raw = Double.isNaN(q) ? 0 : q / (q + cfg.errorScale() * cfg.errorScale());
    long n = (long) s[seen];
    s[ring + (int) (n % w)] = raw;
    int k = (int) Math.min(n + 1, w);
    double sum = 0;
    for (int i = 0; i < k; i++) sum += s[ring + i];
    double a = sum / k;
    double strength = 0;
    if (n >= 1) {
      double m = Math.max(s[mu], cfg.meanFloor());
      double sd = Math.sqrt(Math.max(s[var], cfg.varianceFloor()));
      double logTail = logUpperTail((a - m) / sd);
      if (cfg.impulse()) {
        // The same test on the single raw score: one huge error is as telling as a sustained one.
        double sd1 = Math.sqrt(Math.max(s[var1], cfg.varianceFloor()));
        logTail = Math.min(logTail, logUpperTail((raw - Math.max(s[mu1], cfg.meanFloor())) / sd1));
      }
      boolean isRed = logTail <= Math.log(RED_TAIL);
      if (cfg.firstOfRun() && isRed && s[red] != 0) logTail = Math.log(YELLOW_TAIL);
      s[red] = isRed ? 1 : 0;
      strength = -logTail;
    }
    // Re-estimate after judging: weight 1/n while the history is short, then 1/longWindow.
    double alpha = 1.0 / Math.min(n + 1, cfg.longWindow());
    if (frozen(n)) {
      // the reference period is over: the Gaussian stays as fitted
    } else if (n == 0) {
      s[mu] = a;
      s[var] = 0;
      s[mu1] = raw;
      s[var1] = 0;
    } else {
      double d = a - s[mu];
      s[mu] += alpha * d;
      s[var] = (1 - alpha) * (s[var] + alpha * d * d);
      double d1 = raw - s[mu1];
      s[mu1] += alpha * d1;
      s[var1] = (1 - alpha) * (s[var1] + alpha * d1 * d1);
    }
    s[seen] = n + 1;
    return Math.max(0, strength);
  }

  private double novelty(double[] s, double[] values) {
    int min = noveltyOff, max = noveltyOff + readings, cnt = noveltyOff + 2 * readings;
    boolean learned = s[cnt] >= cfg.noveltyLearningEvents();
    double best = 0;
    for (int i = 0; i < readings; i++) {
      double v = values[i];
      if (Double.isNaN(v)) continue;
      double lo = s[min + i], hi = s[max + i];
      if (Double.isNaN(lo)) {
        s[min + i] = v;
        s[max + i] = v;
        continue;
      }
      double range = hi - lo;
      if (learned && range > 0) {
        double excess = Math.max(v - hi, lo - v) / range;
        if (excess > cfg.noveltyMargin()) {
          double rel = cfg.noveltyMargin() > 0 ? excess / cfg.noveltyMargin() : 1 + excess;
          best = Math.max(best, cfg.noveltyWeight() * LN_1E10 * rel);
        }
      }
      if (frozen(s[cnt])) continue;
      if (v < lo) s[min + i] = v;
      if (v > hi) s[max + i] = v;
    }
    s[cnt] += 1;
    return best;
  }

  /** True once a term has seen the reference period's events (never when the config adapts always). */
  private boolean frozen(double seen) {
    return cfg.referenceEvents() > 0 && seen >= cfg.referenceEvents();
  }

  /** ln Q(z), Q the standard normal upper tail ({@link NormalTail}). */
  static double logUpperTail(double z) {
    return NormalTail.logUpperTail(z);
  }

  // The state is s[0, size); a caller may keep more after it (ScoringModel: the encoder's per-device standardisation).
  private void checkState(double[] s) {
    if (s.length < size)
      throw new IllegalArgumentException("detector state must have " + size + " values, got " + s.length);
  }
}
