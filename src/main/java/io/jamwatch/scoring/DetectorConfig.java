package io.jamwatch.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * The post-step detector of an unsupervised (forecast-head or model-free) score: which terms are
 * on and how each turns a prediction error into a likelihood ({@link DetectorStages}). Immutable;
 * built with {@link #builder()}, whose {@code build()} checks every value (as Random Cut Forest's
 * builders do). Carried inside the model file (metadata_props {@code jamwatch.detector}, JSON) so
 * the stream, {@code score}, {@code backtest} and {@code bench} run the same configuration.
 *
 * <p>Terms (each switchable, each an ablation row in BENCHMARKS.md):
 *
 * <ul>
 *   <li><b>forecast</b>: the error of the network's forecast of this event (forecast head only);
 *   <li><b>persistence</b>: the error of "the next value equals the last one";
 *   <li><b>novelty</b>: a reading beyond the range seen so far by more than a margin of that range
 *       (Numenta's "spatial anomaly" of the NAB HTM detector).
 * </ul>
 *
 * The forecast and persistence errors each go through the anomaly likelihood of Ahmad, Lavin, Purdy
 * &amp; Agha (2017), Neurocomputing 262: a bounded raw score, averaged over {@link #shortWindow()}
 * events, judged against a Gaussian of those averages re-estimated over {@link #longWindow()}
 * events, with floors on its mean and variance. The terms combine by max on a log scale.
 */
public final class DetectorConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean forecastTerm;
  private final boolean persistenceTerm;
  private final boolean noveltyTerm;
  private final boolean levelTerm;
  private final int errorWindow;
  private final double errorScale;
  private final int shortWindow;
  private final int longWindow;
  private final double meanFloor;
  private final double varianceFloor;
  private final boolean firstOfRun;
  private final boolean impulse;
  private final double noveltyMargin;
  private final int noveltyLearningEvents;
  private final double noveltyWeight;
  private final int referenceEvents;

  private DetectorConfig(Builder b) {
    forecastTerm = b.forecastTerm;
    persistenceTerm = b.persistenceTerm;
    noveltyTerm = b.noveltyTerm;
    levelTerm = b.levelTerm;
    errorWindow = b.errorWindow;
    errorScale = b.errorScale;
    shortWindow = b.shortWindow;
    longWindow = b.longWindow;
    meanFloor = b.meanFloor;
    varianceFloor = b.varianceFloor;
    firstOfRun = b.firstOfRun;
    impulse = b.impulse;
    noveltyMargin = b.noveltyMargin;
    noveltyLearningEvents = b.noveltyLearningEvents;
    noveltyWeight = b.noveltyWeight;
    referenceEvents = b.referenceEvents;
  }

  /** The product default: forecast + persistence + novelty, likelihood over 10 / 2,000 events. */
  public static DetectorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change a few values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.forecastTerm = forecastTerm;
    b.persistenceTerm = persistenceTerm;
    b.noveltyTerm = noveltyTerm;
    b.levelTerm = levelTerm;
    b.errorWindow = errorWindow;
    b.errorScale = errorScale;
    b.shortWindow = shortWindow;
    b.longWindow = longWindow;
    b.meanFloor = meanFloor;
    b.varianceFloor = varianceFloor;
    b.firstOfRun = firstOfRun;
    b.impulse = impulse;
    b.noveltyMargin = noveltyMargin;
    b.noveltyLearningEvents = noveltyLearningEvents;
    b.noveltyWeight = noveltyWeight;
    b.referenceEvents = referenceEvents;
    return b;
  }

  /** Checked builder; defaults are the product's (README "Unsupervised score"). */
  public static final class Builder {
    private boolean forecastTerm = true;
    private boolean persistenceTerm = true;
    private boolean noveltyTerm = true;
    private boolean levelTerm = false;
    private int errorWindow = 500;
    private double errorScale = 3.0;
    private int shortWindow = 10;
    private int longWindow = 2000;
    private double meanFloor = 0.03;
    private double varianceFloor = 3e-4;
    private boolean firstOfRun = true;
    private boolean impulse = false;
    private double noveltyMargin = 0.05;
    private int noveltyLearningEvents = 100;
    private double noveltyWeight = 1.0;
    private int referenceEvents = 0;

    private Builder() {}

    /** Likelihood of the network's forecast error (forecast-head models only). */
    public Builder forecastTerm(boolean on) {
      forecastTerm = on;
      return this;
    }

    /** Likelihood of the error of "next = last". */
    public Builder persistenceTerm(boolean on) {
      persistenceTerm = on;
      return this;
    }

    /** Range novelty (a reading beyond the running min/max by more than a margin of the range). */
    public Builder noveltyTerm(boolean on) {
      noveltyTerm = on;
      return this;
    }

    /** Likelihood of the error of "next = the running mean" (a level shift that persists). */
    public Builder levelTerm(boolean on) {
      levelTerm = on;
      return this;
    }

    /** Effective length (events) of each feature's running mean squared error, the error's scale. */
    public Builder errorWindow(int events) {
      errorWindow = events;
      return this;
    }

    /** Normalised error (in running RMS units) at which the bounded raw score is 0.5. */
    public Builder errorScale(double rmsUnits) {
      errorScale = rmsUnits;
      return this;
    }

    /** Raw scores averaged before the likelihood (W of Ahmad et al.). */
    public Builder shortWindow(int events) {
      shortWindow = events;
      return this;
    }

    /** Effective length of the re-estimated Gaussian over averaged raw scores. */
    public Builder longWindow(int events) {
      longWindow = events;
      return this;
    }

    /** Floors of the Gaussian's mean and variance (keep a quiet series from alarming on noise). */
    public Builder floors(double mean, double variance) {
      meanFloor = mean;
      varianceFloor = variance;
      return this;
    }

    /** Report only the first of consecutive very unlikely events (the rest count as merely unlikely). */
    public Builder firstOfRun(boolean on) {
      firstOfRun = on;
      return this;
    }

    /** Also judge each single raw score (not only the short-window average): isolated anomalies. */
    public Builder impulse(boolean on) {
      impulse = on;
      return this;
    }

    /** Novelty fires beyond the running range by more than this fraction of it. */
    public Builder noveltyMargin(double fractionOfRange) {
      noveltyMargin = fractionOfRange;
      return this;
    }

    /** Events a device must have seen before novelty may fire (its range is still forming). */
    public Builder noveltyLearningEvents(int events) {
      noveltyLearningEvents = events;
      return this;
    }

    /**
     * Strength of a novelty at the margin, as a multiple of the log-likelihood of a 1e-10 tail
     * (1 = as surprising as a 1e-10 event); it grows in proportion to the excess beyond the margin.
     */
    public Builder noveltyWeight(double w) {
      noveltyWeight = w;
      return this;
    }

    /**
     * 0 (default): the running statistics adapt for ever; N &gt; 0: they are fitted on a device's
     * first N events and then frozen (a reference period).
     */
    public Builder referenceEvents(int events) {
      referenceEvents = events;
      return this;
    }

    public DetectorConfig build() {
      check(errorWindow >= 2, "errorWindow must be >= 2, got " + errorWindow);
      check(errorScale > 0 && Double.isFinite(errorScale), "errorScale must be > 0, got " + errorScale);
      check(shortWindow >= 1 && shortWindow <= 1000, "shortWindow must be in [1, 1000], got " + shortWindow);
      check(longWindow > shortWindow, "longWindow (" + longWindow + ") must exceed shortWindow (" + shortWindow + ")");
      check(meanFloor >= 0 && meanFloor < 1, "meanFloor must be in [0, 1), got " + meanFloor);
      check(varianceFloor > 0 && varianceFloor < 1, "varianceFloor must be in (0, 1), got " + varianceFloor);
      check(noveltyMargin >= 0 && Double.isFinite(noveltyMargin), "noveltyMargin must be >= 0, got " + noveltyMargin);
      check(noveltyLearningEvents >= 1, "noveltyLearningEvents must be >= 1, got " + noveltyLearningEvents);
      check(referenceEvents >= 0, "referenceEvents must be >= 0, got " + referenceEvents);
      check(noveltyWeight > 0 && Double.isFinite(noveltyWeight), "noveltyWeight must be > 0, got " + noveltyWeight);
      check(forecastTerm || persistenceTerm || noveltyTerm || levelTerm, "at least one detector term must be on");
      return new DetectorConfig(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) throw new IllegalArgumentException("detector config: " + message);
    }
  }

  public boolean forecastTerm() {
    return forecastTerm;
  }

  public boolean persistenceTerm() {
    return persistenceTerm;
  }

  public boolean noveltyTerm() {
    return noveltyTerm;
  }

  public boolean levelTerm() {
    return levelTerm;
  }

  public int errorWindow() {
    return errorWindow;
  }

  public double errorScale() {
    return errorScale;
  }

  public int shortWindow() {
    return shortWindow;
  }

  public int longWindow() {
    return longWindow;
  }

  public double meanFloor() {
    return meanFloor;
  }

  public double varianceFloor() {
    return varianceFloor;
  }

  public boolean firstOfRun() {
    return firstOfRun;
  }

  public boolean impulse() {
    return impulse;
  }

  public double noveltyMargin() {
    return noveltyMargin;
  }

  public int noveltyLearningEvents() {
    return noveltyLearningEvents;
  }

  public double noveltyWeight() {
    return noveltyWeight;
  }

  public int referenceEvents() {
    return referenceEvents;
  }

  /** The terms that are on, e.g. "forecast+persistence+novelty". */
  public String terms() {
    StringBuilder s = new StringBuilder();
    if (forecastTerm) s.append("forecast");
    if (persistenceTerm) s.append(s.length() > 0 ? "+" : "").append("persistence");
    if (noveltyTerm) s.append(s.length() > 0 ? "+" : "").append("novelty");
    if (levelTerm) s.append(s.length() > 0 ? "+" : "").append("level");
    return s.toString();
  }

  /** One line for reports. */
  public String describe() {
    return String.format(Locale.ROOT,
        "terms %s; error RMS over %d events, raw 0.5 at %.1f RMS; likelihood over %d-event averages vs a "
            + "Gaussian re-estimated over %d (floors mean %.3g, var %.3g)%s; novelty margin %.2f of range after %d events, weight %.2f",
        terms(), errorWindow, errorScale, shortWindow, longWindow, meanFloor, varianceFloor,
        (impulse ? " and single scores" : "") + (firstOfRun ? ", first of a run" : ""), noveltyMargin, noveltyLearningEvents, noveltyWeight)
        + (referenceEvents > 0 ? "; statistics frozen after " + referenceEvents + " events" : "");
  }

  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("forecastTerm", forecastTerm);
    o.put("persistenceTerm", persistenceTerm);
    o.put("noveltyTerm", noveltyTerm);
    o.put("levelTerm", levelTerm);
    o.put("errorWindow", errorWindow);
    o.put("errorScale", errorScale);
    o.put("shortWindow", shortWindow);
    o.put("longWindow", longWindow);
    o.put("meanFloor", meanFloor);
    o.put("varianceFloor", varianceFloor);
    o.put("firstOfRun", firstOfRun);
    o.put("impulse", impulse);
    o.put("noveltyMargin", noveltyMargin);
    o.put("noveltyLearningEvents", noveltyLearningEvents);
    o.put("noveltyWeight", noveltyWeight);
    o.put("referenceEvents", referenceEvents);
    return o.toString();
  }

  /** Parses {@link #toJson()}; absent keys keep their defaults (older files). */
  public static DetectorConfig fromJson(String json) {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("detector config is not JSON: " + e.getMessage(), e);
    }
    Builder b = builder();
    if (o.has("forecastTerm")) b.forecastTerm(o.get("forecastTerm").asBoolean());
    if (o.has("persistenceTerm")) b.persistenceTerm(o.get("persistenceTerm").asBoolean());
    if (o.has("noveltyTerm")) b.noveltyTerm(o.get("noveltyTerm").asBoolean());
    if (o.has("levelTerm")) b.levelTerm(o.get("levelTerm").asBoolean());
    if (o.has("errorWindow")) b.errorWindow(o.get("errorWindow").asInt());
    if (o.has("errorScale")) b.errorScale(o.get("errorScale").asDouble());
    if (o.has("shortWindow")) b.shortWindow(o.get("shortWindow").asInt());
    if (o.has("longWindow")) b.longWindow(o.get("longWindow").asInt());
    if (o.has("meanFloor") || o.has("varianceFloor"))
      b.floors(o.path("meanFloor").asDouble(0.03), o.path("varianceFloor").asDouble(3e-4));
    if (o.has("firstOfRun")) b.firstOfRun(o.get("firstOfRun").asBoolean());
    if (o.has("impulse")) b.impulse(o.get("impulse").asBoolean());
    if (o.has("noveltyMargin")) b.noveltyMargin(o.get("noveltyMargin").asDouble());
    if (o.has("noveltyLearningEvents")) b.noveltyLearningEvents(o.get("noveltyLearningEvents").asInt());
    if (o.has("noveltyWeight")) b.noveltyWeight(o.get("noveltyWeight").asDouble());
    if (o.has("referenceEvents")) b.referenceEvents(o.get("referenceEvents").asInt());
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DetectorConfig d && d.toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(toJson());
  }

  @Override
  public String toString() {
    return describe();
  }
}
