package io.jamwatch.onnx;

import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a model file says about itself, carried as ONNX {@code metadata_props} (string key /
 * value pairs, as Tribuo writes its provenance) so a file is self-describing: the network shape, the
 * feature spec the encoder must use, which head produces the score, alert thresholds, the
 * forecast-surprise statistics, and where it came from.
 *
 * @param cell              recurrent cell
 * @param layers            L
 * @param hiddenSize        H
 * @param inputSize         F (must equal featureSpec.size())
 * @param linearBeforeReset GRU's linear_before_reset (false for other cells)
 * @param hasRisk           the file has the risk head (output {@code score})
 * @param hasForecast       the file has the forecast head (output {@code pred})
 * @param scoreHead         which head the published score comes from
 * @param featureSpec       the fitted encoder parameters
 * @param horizonSeconds    risk head: a jam within this many seconds is a positive
 * @param raiseThreshold    score at or above which an alert is raised
 * @param clearThreshold    score below which an open alert clears (hysteresis: &lt;= raise)
 * @param dataFingerprint   SHA-256 over the training log's decoded events, {@code logs.EventFingerprint} (or "" when not known)
 * @param validationMetrics e.g. pr_auc, roc_auc, loss on the validation split
 * @param surpriseStats     forecast head: statistics turning surprise into a score (null without forecast head)
 * @param warmupEvents      a device's first N events are flagged warming
 * @param exporterVersion   version of the writer
 * @param provenance        free-form training provenance (config, seed, command line)
 * @param extraHorizonSeconds risk head's horizon ladder: the extra horizons, in seconds, of output
 *     {@value #HORIZONS_OUTPUT} [T, B, K] (K = their number, in this order); empty = no such output
 * @param alertOnLadder     alerts are raised on the whole horizon ladder (the primary score and
 *     every extra horizon's probability, each alert claiming the shortest horizon whose probability
 *     reached the raise threshold: scoring/HorizonLadder), not on the primary score alone; the raise
 *     threshold was chosen that way. Written as {@code jamwatch.alert_signal=ladder} only when true
 */
public record ModelMetadata(
    CellType cell,
    int layers,
    int hiddenSize,
    int inputSize,
    boolean linearBeforeReset,
    boolean hasRisk,
    boolean hasForecast,
    Head scoreHead,
    FeatureSpec featureSpec,
    long horizonSeconds,
    float raiseThreshold,
    float clearThreshold,
    String dataFingerprint,
    Map<String, Double> validationMetrics,
    ForecastSurprise.Stats surpriseStats,
    int warmupEvents,
    String exporterVersion,
    Map<String, String> provenance,
    List<Long> extraHorizonSeconds,
    boolean alertOnLadder) {

  /** Name of the horizon ladder's output [T, B, K], the probability of a jam within each extra horizon. */
  public static final String HORIZONS_OUTPUT = "score_horizons";

  /** Without extra horizons. */
  public ModelMetadata(CellType cell, int layers, int hiddenSize, int inputSize, boolean linearBeforeReset,
      boolean hasRisk, boolean hasForecast, Head scoreHead, FeatureSpec featureSpec, long horizonSeconds,
      float raiseThreshold, float clearThreshold, String dataFingerprint, Map<String, Double> validationMetrics,
      ForecastSurprise.Stats surpriseStats, int warmupEvents, String exporterVersion, Map<String, String> provenance) {
    this(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead, featureSpec,
        horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics, surpriseStats,
        warmupEvents, exporterVersion, provenance, List.of(), false);
  }

  /** Alerts on the primary score alone. */
  public ModelMetadata(CellType cell, int layers, int hiddenSize, int inputSize, boolean linearBeforeReset,
      boolean hasRisk, boolean hasForecast, Head scoreHead, FeatureSpec featureSpec, long horizonSeconds,
      float raiseThreshold, float clearThreshold, String dataFingerprint, Map<String, Double> validationMetrics,
      ForecastSurprise.Stats surpriseStats, int warmupEvents, String exporterVersion, Map<String, String> provenance,
      List<Long> extraHorizonSeconds) {
    this(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead, featureSpec,
        horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics, surpriseStats,
        warmupEvents, exporterVersion, provenance, extraHorizonSeconds, false);
  }

  /** Version of the metadata layout; a reader refuses another. */
  public static final int FORMAT = 1;

  public static final String EXPORTER_VERSION = "jamwatch-onnx-exporter/1";
  public static final String PREFIX = "jamwatch.";
  public static final int DEFAULT_WARMUP_EVENTS = 20;

  /** The two heads on the recurrent body. */
  public enum Head {
    RISK,
    FORECAST;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Head parse(String s) {
      for (Head h : values()) if (h.key().equals(s)) return h;
      throw new IllegalArgumentException("unknown head '" + s + "' (risk or forecast)");
    }
  }

  public ModelMetadata {
    if (cell == null) throw new IllegalArgumentException("metadata: cell must be set");
    if (layers < 1 || layers > 4) throw new IllegalArgumentException("metadata: layers must be 1..4, got " + layers);
    if (hiddenSize < 1) throw new IllegalArgumentException("metadata: hidden size must be >= 1, got " + hiddenSize);
    if (featureSpec == null) throw new IllegalArgumentException("metadata: feature spec must be set");
    if (inputSize != featureSpec.size())
      throw new IllegalArgumentException(
          "metadata: input size " + inputSize + " differs from the feature spec's " + featureSpec.size());
    if (linearBeforeReset && cell != CellType.GRU)
      throw new IllegalArgumentException("metadata: linear_before_reset applies to GRU only");
    if (!hasRisk && !hasForecast) throw new IllegalArgumentException("metadata: a model needs at least one head");
    if (scoreHead == null) scoreHead = hasRisk ? Head.RISK : Head.FORECAST;
    if (scoreHead == Head.RISK && !hasRisk)
      throw new IllegalArgumentException("metadata: score head is risk but the model has no risk head");
    if (scoreHead == Head.FORECAST && !hasForecast)
      throw new IllegalArgumentException("metadata: score head is forecast but the model has no forecast head");
    if (hasForecast != (surpriseStats != null))
      throw new IllegalArgumentException("metadata: surprise statistics go with, and only with, a forecast head");
    if (horizonSeconds < 0) throw new IllegalArgumentException("metadata: horizon must be >= 0 s");
    if (!(raiseThreshold >= 0 && raiseThreshold <= 1 && clearThreshold >= 0 && clearThreshold <= raiseThreshold))
      throw new IllegalArgumentException(
          "metadata: thresholds need 0 <= clear <= raise <= 1, got raise "
              + raiseThreshold + ", clear " + clearThreshold);
    if (warmupEvents < 0) throw new IllegalArgumentException("metadata: warmup events must be >= 0");
    dataFingerprint = dataFingerprint == null ? "" : dataFingerprint;
    exporterVersion = exporterVersion == null ? EXPORTER_VERSION : exporterVersion;
    validationMetrics = Map.copyOf(validationMetrics == null ? Map.of() : validationMetrics);
    provenance = Map.copyOf(provenance == null ? Map.of() : provenance);
    extraHorizonSeconds = List.copyOf(extraHorizonSeconds == null ? List.of() : extraHorizonSeconds);
    if (!extraHorizonSeconds.isEmpty() && !hasRisk)
      throw new IllegalArgumentException("metadata: extra horizons need the risk head");
    for (long h : extraHorizonSeconds)
      if (h <= 0) throw new IllegalArgumentException("metadata: extra horizons must be > 0 s, got " + h);
    if (alertOnLadder && extraHorizonSeconds.isEmpty())
      throw new IllegalArgumentException("metadata: alerts on the horizon ladder need extra horizons");
    for (String k : provenance.keySet())
      if (k.isEmpty() || k.contains("=")) throw new IllegalArgumentException("metadata: bad provenance key '" + k + "'");
  }

  /**
   * Metadata describing {@code w} with {@code spec}; defaults for the rest (score from the risk head
   * if present, thresholds 0.5 / 0.4, no horizon, {@link #DEFAULT_WARMUP_EVENTS}). Refine with the
   * {@code with*} methods.
   */
  public static ModelMetadata describe(NetworkWeights w, FeatureSpec spec, ForecastSurprise.Stats surpriseStats) {
    return new ModelMetadata(
        w.cell, w.layers, w.hiddenSize, w.inputSize, w.linearBeforeReset, w.hasRisk, w.hasForecast, null, spec,
        0, 0.5f, 0.4f, "", Map.of(), surpriseStats, DEFAULT_WARMUP_EVENTS, EXPORTER_VERSION, Map.of());
  }

  public ModelMetadata withScoreHead(Head h) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, h,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, provenance, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withThresholds(float raise, float clear) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raise, clear, dataFingerprint, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, provenance, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withHorizonSeconds(long s) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, s, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, provenance, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withDataFingerprint(String fp) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, fp, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, provenance, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withValidationMetrics(Map<String, Double> m) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, m,
        surpriseStats, warmupEvents, exporterVersion, provenance, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withWarmupEvents(int n) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics,
        surpriseStats, n, exporterVersion, provenance, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withProvenance(Map<String, String> p) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, p, extraHorizonSeconds, alertOnLadder);
  }

  public ModelMetadata withExtraHorizonSeconds(List<Long> h) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, provenance, h, alertOnLadder);
  }

  /** Alerts raised on the horizon ladder ({@code true}; needs one) or on the primary score alone. */
  public ModelMetadata withAlertOnLadder(boolean ladder) {
    return new ModelMetadata(cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, scoreHead,
        featureSpec, horizonSeconds, raiseThreshold, clearThreshold, dataFingerprint, validationMetrics,
        surpriseStats, warmupEvents, exporterVersion, provenance, extraHorizonSeconds, ladder);
  }

  /** Refuses weights this metadata does not describe (a file must never mislabel its network). */
  public void checkDescribes(NetworkWeights w) {
    if (w.cell != cell || w.layers != layers || w.hiddenSize != hiddenSize || w.inputSize != inputSize
        || w.linearBeforeReset != linearBeforeReset || w.hasRisk != hasRisk || w.hasForecast != hasForecast
        || w.horizons != extraHorizonSeconds.size())
      throw new IllegalArgumentException(
          String.format(Locale.ROOT,
              "metadata (%s L=%d H=%d F=%d lbr=%b risk=%b forecast=%b horizons=%d) does not describe the weights "
                  + "(%s L=%d H=%d F=%d lbr=%b risk=%b forecast=%b horizons=%d)",
              cell, layers, hiddenSize, inputSize, linearBeforeReset, hasRisk, hasForecast, extraHorizonSeconds.size(),
              w.cell, w.layers, w.hiddenSize, w.inputSize, w.linearBeforeReset, w.hasRisk, w.hasForecast, w.horizons));
  }

  /** The metadata_props, keys sorted (so export is byte-for-byte deterministic). */
  public Map<String, String> toProps() {
    Map<String, String> p = new TreeMap<>();
    p.put(PREFIX + "format", Integer.toString(FORMAT));
    p.put(PREFIX + "cell", cell.name().toLowerCase(Locale.ROOT));
    p.put(PREFIX + "layers", Integer.toString(layers));
    p.put(PREFIX + "hidden_size", Integer.toString(hiddenSize));
    p.put(PREFIX + "input_size", Integer.toString(inputSize));
    p.put(PREFIX + "linear_before_reset", linearBeforeReset ? "1" : "0");
    p.put(PREFIX + "heads", hasRisk && hasForecast ? "risk,forecast" : hasRisk ? "risk" : "forecast");
    p.put(PREFIX + "score_head", scoreHead.key());
    p.put(PREFIX + "feature_spec", featureSpec.toJson());
    p.put(PREFIX + "horizon_seconds", Long.toString(horizonSeconds));
    if (!extraHorizonSeconds.isEmpty()) {
      // written only when present, so a file without the ladder keeps its bytes (and its model id)
      p.put(PREFIX + "extra_horizon_seconds",
          extraHorizonSeconds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
      p.put(PREFIX + "extra_horizon_output", HORIZONS_OUTPUT);
    }
    if (alertOnLadder) p.put(PREFIX + "alert_signal", "ladder");
    p.put(PREFIX + "raise_threshold", Float.toString(raiseThreshold));
    p.put(PREFIX + "clear_threshold", Float.toString(clearThreshold));
    p.put(PREFIX + "data_fingerprint", dataFingerprint);
    for (Map.Entry<String, Double> e : validationMetrics.entrySet())
      p.put(PREFIX + "validation." + e.getKey(), Double.toString(e.getValue()));
    if (surpriseStats != null) {
      p.put(PREFIX + "surprise.log_mean", Float.toString(surpriseStats.logMean()));
      p.put(PREFIX + "surprise.log_std", Float.toString(surpriseStats.logStd()));
      p.put(PREFIX + "surprise.short_window", Integer.toString(surpriseStats.shortWindow()));
      p.put(PREFIX + "surprise.long_window", Integer.toString(surpriseStats.longWindow()));
    }
    p.put(PREFIX + "warmup_events", Integer.toString(warmupEvents));
    p.put(PREFIX + "exporter_version", exporterVersion);
    for (Map.Entry<String, String> e : provenance.entrySet()) p.put(PREFIX + "provenance." + e.getKey(), e.getValue());
    return p;
  }

  /**
   * Reads metadata_props back. Keys outside the {@code jamwatch.} prefix are ignored; a missing key,
   * an unparsable value or another format version is refused with a message naming the key.
   */
  public static ModelMetadata fromProps(Map<String, String> props) {
    Props p = new Props(props);
    int format = p.integer("format");
    if (format != FORMAT)
      throw new IllegalArgumentException(
          "model metadata format " + format + " is not supported (this build reads format " + FORMAT + ")");
    CellType cell;
    try {
      cell = CellType.valueOf(p.get("cell").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model metadata key jamwatch.cell: unknown cell '" + p.get("cell") + "'");
    }
    String heads = p.get("heads");
    boolean risk = false, forecast = false;
    for (String h : heads.split(",")) {
      switch (Head.parse(h.trim())) {
        case RISK -> risk = true;
        case FORECAST -> forecast = true;
      }
    }
    FeatureSpec spec;
    try {
      spec = FeatureSpec.fromJson(p.get("feature_spec"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model metadata key jamwatch.feature_spec: " + e.getMessage(), e);
    }
    Map<String, Double> metrics = new TreeMap<>();
    Map<String, String> prov = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : props.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(PREFIX + "validation.")) {
        metrics.put(k.substring((PREFIX + "validation.").length()), p.dbl(k.substring(PREFIX.length())));
      } else if (k.startsWith(PREFIX + "provenance.")) {
        prov.put(k.substring((PREFIX + "provenance.").length()), e.getValue());
      }
    }
    ForecastSurprise.Stats stats = null;
    if (forecast) {
      stats =
          new ForecastSurprise.Stats(
              p.flt("surprise.log_mean"), p.flt("surprise.log_std"),
              p.integer("surprise.short_window"), p.integer("surprise.long_window"));
    }
    String lbr = p.get("linear_before_reset");
    if (!lbr.equals("0") && !lbr.equals("1"))
      throw new IllegalArgumentException("model metadata key jamwatch.linear_before_reset must be 0 or 1, got " + lbr);
    return new ModelMetadata(
        cell, p.integer("layers"), p.integer("hidden_size"), p.integer("input_size"), lbr.equals("1"),
        risk, forecast, Head.parse(p.get("score_head")), spec, p.lng("horizon_seconds"),
        p.flt("raise_threshold"), p.flt("clear_threshold"), p.get("data_fingerprint"), metrics, stats,
        p.integer("warmup_events"), p.get("exporter_version"), prov, extraHorizons(props), alertSignal(props));
  }

  private static boolean alertSignal(Map<String, String> props) {
    String v = props.getOrDefault(PREFIX + "alert_signal", "primary");
    return switch (v) {
      case "primary" -> false;
      case "ladder" -> true;
      default -> throw new IllegalArgumentException(
          "model metadata key jamwatch.alert_signal must be primary or ladder, got " + v);
    };
  }

  private static List<Long> extraHorizons(Map<String, String> props) {
    String v = props.get(PREFIX + "extra_horizon_seconds");
    if (v == null || v.isBlank()) return List.of();
    String out = props.get(PREFIX + "extra_horizon_output");
    if (!HORIZONS_OUTPUT.equals(out))
      throw new IllegalArgumentException("model metadata key " + PREFIX + "extra_horizon_output must be " + HORIZONS_OUTPUT + ", got " + out);
    List<Long> h = new java.util.ArrayList<>();
    for (String part : v.split(",")) {
      try {
        h.add(Long.parseLong(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("model metadata key " + PREFIX + "extra_horizon_seconds: not a number: '" + part + "'");
      }
    }
    return h;
  }

  /** Typed access to the props with messages naming the key. */
  private record Props(Map<String, String> m) {
    String get(String key) {
      String v = m.get(PREFIX + key);
      if (v == null) throw new IllegalArgumentException("model metadata lacks key " + PREFIX + key);
      return v;
    }

    int integer(String key) {
      try {
        return Integer.parseInt(get(key));
      } catch (NumberFormatException e) {
        throw bad(key);
      }
    }

    long lng(String key) {
      try {
        return Long.parseLong(get(key));
      } catch (NumberFormatException e) {
        throw bad(key);
      }
    }

    float flt(String key) {
      try {
        return Float.parseFloat(get(key));
      } catch (NumberFormatException e) {
        throw bad(key);
      }
    }

    double dbl(String key) {
      try {
        return Double.parseDouble(get(key));
      } catch (NumberFormatException e) {
        throw bad(key);
      }
    }

    private IllegalArgumentException bad(String key) {
      return new IllegalArgumentException("model metadata key " + PREFIX + key + ": not a number: '" + get(key) + "'");
    }
  }
}
