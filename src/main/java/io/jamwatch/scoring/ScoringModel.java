package io.jamwatch.scoring;

import io.jamwatch.onnx.OnnxModelCheck;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.onnx.OrtStepper;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureEncoder;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.Stepper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded model file and THE one scoring path: the stream and the offline scorer both call {@link
 * #score}, so their scores are bit-identical. Per event: encode with the model's own feature spec
 * (from its metadata), step the ONNX Runtime session once with the device's state, and turn the
 * head's output into the score:
 *
 * <ul>
 *   <li>risk head: the calibrated probability of a jam within the horizon;
 *   <li>forecast head: the post-step detector ({@link DetectorStages}: the likelihoods of the
 *       error of the forecast made at the previous event and of the persistence error, and range
 *       novelty, as {@link DetectorConfig} says), whose state lives in {@link DeviceMemory#detector}.
 * </ul>
 *
 * <p>The detector configuration is carried in the model file (metadata_props {@value
 * #DETECTOR_PROP}, JSON; {@link #withDetector} writes it); a file without it uses {@link
 * DetectorConfig#defaults()}. A model-free scorer ({@link #modelFree}) runs the same detector on a
 * feature spec alone, without a network (the ablation row "model-free").
 *
 * A model whose metadata or feature spec this build cannot honour is refused at load with a
 * message naming what. Holds one {@link Stepper} of the chosen {@link ModelRuntime} ({@link
 * OrtStepper} by default): not thread-safe, one per stream thread.
 */
public final class ScoringModel implements AutoCloseable {
  /** metadata_props key of the detector configuration (JSON, {@link DetectorConfig#toJson()}). */
  public static final String DETECTOR_PROP = ModelMetadata.PREFIX + "detector";

  private final String modelId;
  private final ModelMetadata meta; // null for a model-free scorer
  private final FeatureSpec spec;
  private final FeatureEncoder encoder;
  private final Stepper stepper; // null for a model-free scorer
  private final ModelRuntime runtime;
  private final DetectorStages stages; // null unless the score is unsupervised
  private final int warmupEvents;
  private final String[] readingNames; // [R]
  private final int[] readingIdx; // [R] index of reading i's value in the encoded event
  private final double[] values; // [R] work buffer: this event's readings
  private final float[] x; // [F] work buffer
  private final long[] ladderMillis; // [K] the extra horizons (the horizon ladder), from the metadata
  private final float[] ladder; // [K] work buffer: their probabilities at the last step
  private final boolean ladderAlerts; // alerts raised on the ladder (metadata alert_signal=ladder)
  private final HorizonLadder alertLadder; // the horizons alerts claim; null without a primary horizon
  private final float[] rungs; // [1 or K+1] the last alertSignal's rung probabilities

  private ScoringModel(String modelId, ModelMetadata meta, FeatureSpec spec, Stepper stepper, ModelRuntime runtime,
      DetectorConfig detector, int warmupEvents) {
    this.modelId = modelId;
    this.meta = meta;
    this.spec = spec;
    this.encoder = new FeatureEncoder(spec);
    this.stepper = stepper;
    this.runtime = runtime;
    boolean unsupervised = meta == null || meta.scoreHead() == ModelMetadata.Head.FORECAST;
    this.stages = unsupervised ? new DetectorStages(detector, spec.readings().size(), meta != null) : null;
    this.warmupEvents = warmupEvents;
    this.readingNames = spec.readingNames().toArray(new String[0]);
    this.readingIdx = new int[readingNames.length];
    for (int i = 0; i < readingIdx.length; i++) readingIdx[i] = 2 * i; // FeatureSpec layout: [2i] value, [2i+1] missing
    this.values = new double[readingNames.length];
    this.x = new float[spec.size()];
    this.ladderMillis = meta == null ? new long[0] : meta.extraHorizonSeconds().stream().mapToLong(v -> v * 1000).toArray();
    this.ladder = new float[ladderMillis.length];
    this.ladderAlerts = meta != null && meta.alertOnLadder() && stepper != null;
    long primary = meta == null ? 0 : meta.horizonSeconds() * 1000;
    long[] claims = new long[ladderAlerts ? 1 + ladderMillis.length : 1];
    claims[0] = primary;
    if (ladderAlerts) System.arraycopy(ladderMillis, 0, claims, 1, ladderMillis.length);
    this.alertLadder = primary > 0 ? new HorizonLadder(claims) : null;
    if (ladderAlerts && alertLadder == null)
      throw new IllegalArgumentException("model " + modelId + ": alerts on the horizon ladder need a primary horizon");
    this.rungs = new float[claims.length];
  }

  /**
   * The detector alone on a feature spec, no network: the persistence and novelty terms (the
   * forecast term is off, there is no forecast). Its model id names the spec and the configuration.
   */
  public static ScoringModel modelFree(FeatureSpec spec, DetectorConfig detector, int warmupEvents) {
    String id = "model-free:" + Integer.toHexString((spec.toJson() + detector.toJson()).hashCode());
    return new ScoringModel(id, null, spec, null, ModelRuntime.ORT, detector, warmupEvents);
  }

  /** Model bytes with {@code detector} written into their metadata (replacing any earlier one). */
  public static byte[] withDetector(byte[] model, DetectorConfig detector) {
    return withProp(model, DETECTOR_PROP, detector.toJson());
  }

  /**
   * Model bytes whose alerts are raised on the horizon ladder ({@code ladder}) or on the primary
   * score alone (metadata {@code jamwatch.alert_signal}), the rest unchanged: for a backtest that
   * compares the two on the same weights (the raise threshold in the file was chosen for the
   * file's own signal).
   */
  public static byte[] withAlertSignal(byte[] model, boolean ladder) {
    return withProp(model, ModelMetadata.PREFIX + "alert_signal", ladder ? "ladder" : null);
  }

  /** Model bytes with metadata_props {@code key} set to {@code value} (null: removed), the rest unchanged. */
  private static byte[] withProp(byte[] model, String key, String value) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model file: " + e.getMessage(), e);
    }
    ModelProto.Builder b = proto.toBuilder();
    for (int i = b.getMetadataPropsCount() - 1; i >= 0; i--) {
      if (b.getMetadataProps(i).getKey().equals(key)) b.removeMetadataProps(i);
    }
    if (value != null) b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    return b.build().toByteArray();
  }

  /** Loads an .onnx file written by {@link OnnxExporter}, stepped by ONNX Runtime. */
  public static ScoringModel load(Path onnx) {
    return load(onnx, ModelRuntime.ORT);
  }

  /** Loads an .onnx file written by {@link OnnxExporter}, stepped by {@code runtime}. */
  public static ScoringModel load(Path onnx, ModelRuntime runtime) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(onnx);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + onnx, e);
    }
    return load(bytes, onnx.toString(), runtime);
  }

  /** Loads model bytes, stepped by ONNX Runtime; {@code source} names them in error messages. */
  public static ScoringModel load(byte[] bytes, String source) {
    return load(bytes, source, ModelRuntime.ORT);
  }

  /**
   * Loads model bytes, stepped by {@code runtime} (for {@code java}: refused unless it agrees with
   * ONNX Runtime, see {@link ModelRuntime}); {@code source} names them in error messages.
   */
  public static ScoringModel load(byte[] bytes, String source, ModelRuntime runtime) {
    ModelMetadata meta = readMetadata(bytes, source);
    Stepper stepper;
    try {
      stepper = runtime.open(bytes, meta);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "model " + source + (runtime == ModelRuntime.ORT ? " cannot be used: " : " is refused for model.runtime="
              + runtime.key() + ": ") + e.getMessage(), e);
    }
    return new ScoringModel(OnnxExporter.modelId(bytes), meta, meta.featureSpec(), stepper, runtime,
        readDetector(bytes, source), meta.warmupEvents());
  }

  /** The detector configuration in model bytes, or the default when the file has none. */
  public static DetectorConfig readDetector(byte[] bytes, String source) {
    try {
      for (StringStringEntryProto p : ModelProto.parseFrom(bytes).getMetadataPropsList()) {
        if (p.getKey().equals(DETECTOR_PROP)) return DetectorConfig.fromJson(p.getValue());
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new IllegalArgumentException("model " + source + ": bad detector configuration: " + e.getMessage(), e);
    }
    return DetectorConfig.defaults();
  }

  /**
   * Parses and validates the metadata and graph of model bytes without opening ONNX Runtime: the
   * checks {@link #load} applies before it steps anything.
   */
  public static ModelMetadata readMetadata(byte[] bytes, String source) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("model " + source + " is not an ONNX model file: " + e.getMessage(), e);
    }
    Map<String, String> props = new HashMap<>();
    for (StringStringEntryProto p : proto.getMetadataPropsList()) props.put(p.getKey(), p.getValue());
    if (!props.containsKey(ModelMetadata.PREFIX + "format"))
      throw new IllegalArgumentException(
          "model " + source + " has no jamwatch metadata (metadata_props jamwatch.*): it was not written by "
              + "`jamwatch train`, so its feature spec is unknown and it cannot be scored");
    ModelMetadata meta;
    try {
      meta = ModelMetadata.fromProps(props);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model " + source + " cannot be used: " + e.getMessage(), e);
    }
    List<String> unknownTypes =
        meta.featureSpec().eventTypes().stream()
            .filter(t -> Arrays.stream(EventType.values()).noneMatch(v -> v.name().equals(t)))
            .toList();
    if (!unknownTypes.isEmpty())
      throw new IllegalArgumentException(
          "model " + source + " cannot be used: its feature spec encodes event types " + unknownTypes
              + " that this build does not know (a newer schema?)");
    List<String> problems = OnnxModelCheck.problems(proto);
    if (!problems.isEmpty())
      throw new IllegalArgumentException("model " + source + " fails the model-file checks: " + String.join("; ", problems));
    return meta;
  }

  /** SHA-256 hex of the model file. */
  public String modelId() {
    return modelId;
  }

  /** The model file's metadata; null for a {@link #modelFree} scorer. */
  public ModelMetadata metadata() {
    return meta;
  }

  /** The post-step detector, or null when the score is the risk head's probability. */
  public DetectorStages detector() {
    return stages;
  }

  public FeatureEncoder encoder() {
    return encoder;
  }

  /** A fresh device memory sized for this model. */
  public DeviceMemory newMemory() {
    double[] d = new double[doubleStateSize()];
    if (stages != null) stages.initState(d);
    encoder.initDeviceState(d, encoderStateOffset());
    int state = meta == null ? 0 : meta.layers() * meta.hiddenSize();
    return new DeviceMemory(state, meta != null && meta.cell().hasCellState(),
        meta != null && meta.hasForecast() ? meta.inputSize() : 0, d);
  }

  /**
   * Encodes {@code e} (with the device's previous event time from {@code m}), steps once, updates
   * {@code m} in place and returns the score in [0, 1].
   */
  public float score(ScannerEvent e, DeviceMemory m) {
    checkMemory(m);
    encoder.encode(e, m.lastEventTime, m.detector, encoderStateOffset(), x);
    if (stages != null) readings(e, values); // only the detector stages read the raw readings
    return scoreEncoded(x, values, e.getEventTime().toEpochMilli(), m);
  }

  /** The event's readings [R] in the feature spec's order, NaN where missing or not finite. */
  public void readings(ScannerEvent e, double[] out) {
    Map<String, Float> r = e.getReadings();
    for (int i = 0; i < readingNames.length; i++) {
      Float v = r == null ? null : r.get(readingNames[i]);
      out[i] = v == null || !Float.isFinite(v) ? Double.NaN : v;
    }
  }

  /** R, the readings of the feature spec. */
  public int readingCount() {
    return readingNames.length;
  }

  /**
   * The step behind {@link #score} for an already encoded event and its raw readings (for
   * explanations that occlude features of a copy of the memory). {@code encoded} and {@code
   * readings} [R, NaN = missing] are read only.
   */
  public float scoreEncoded(float[] encoded, double[] readings, long eventTimeMillis, DeviceMemory m) {
    if (encoded.length != spec.size())
      throw new IllegalArgumentException("encoded event has " + encoded.length + " features, model needs " + spec.size());
    int hSize = meta == null ? 0 : meta.layers() * meta.hiddenSize();
    int pSize = meta != null && meta.hasForecast() ? meta.inputSize() : 0;
    if (m.h.length != hSize || m.pred.length != pSize || m.detector.length != doubleStateSize())
      throw new IllegalArgumentException("device memory is not sized for model " + modelId);
    float s;
    if (stages == null) {
      s = stepper.step(encoded, m.h, m.c, m.pred.length > 0 ? m.pred : null);
    } else {
      // The forecast made at the previous event is judged before the step overwrites it.
      boolean hasForecast = stages.usesForecast() && m.eventCount > 0;
      double strength = stages.strength(m.detector, readings, encoded, hasForecast ? m.pred : null, readingIdx);
      s = (float) DetectorStages.score(strength);
      if (stepper != null) stepper.step(encoded, m.h, m.c, m.pred);
    }
    m.lastEventTime = eventTimeMillis;
    m.eventCount++;
    return s;
  }

  /**
   * The horizons alerts may claim: the primary horizon, then the horizon ladder's (the {@value
   * ModelMetadata#HORIZONS_OUTPUT} output) when alerts are raised on the ladder ({@link
   * ModelMetadata#alertOnLadder}); null for a model without a primary horizon (an unsupervised
   * score), whose alerts are judged on {@link AlertOutcomes#DEFAULT_HORIZON_MILLIS}.
   */
  public HorizonLadder ladder() {
    return alertLadder;
  }

  /**
   * The alert signal of the last {@link #score} call ({@code score} is what it returned): on a
   * ladder model the largest of the rung probabilities of that same step ({@link
   * HorizonLadder#signal}), kept for {@link #claimMillis}; else {@code score} itself. Call before
   * anything else steps this model (an explanation re-steps it).
   */
  public float alertSignal(float score) {
    rungs[0] = score;
    if (!ladderAlerts) return score;
    stepper.horizonScores(ladder);
    System.arraycopy(ladder, 0, rungs, 1, ladder.length);
    return HorizonLadder.signal(rungs);
  }

  /**
   * The rung probabilities behind the last {@link #alertSignal} ([0] the primary score), live and
   * overwritten by the next call; only [0] on a model that alerts on its primary score.
   */
  public float[] rungScores() {
    return rungs;
  }

  /**
   * The horizon an alert raised at threshold {@code raise} on the last {@link #alertSignal} claims,
   * and is judged on: on a ladder model the shortest horizon whose probability reached {@code raise}
   * ({@link HorizonLadder#claim}); else the primary horizon; 0 for a model that states none (the
   * outcome horizon's default).
   */
  public long claimMillis(float raise) {
    if (alertLadder == null) return 0L;
    return ladderAlerts ? alertLadder.claim(rungs, raise) : alertLadder.millis(0);
  }

  /**
   * Doubles of a device's {@link DeviceMemory#detector} state: the detector stages' state, then the
   * encoder's per-device standardisation (when the feature spec has one).
   */
  public int doubleStateSize() {
    return encoderStateOffset() + encoder.deviceStateSize();
  }

  /** Where the encoder's per-device standardisation state starts in {@link DeviceMemory#detector}. */
  public int encoderStateOffset() {
    return stages == null ? 0 : stages.stateSize();
  }

  private void checkMemory(DeviceMemory m) {
    if (m.detector.length != doubleStateSize())
      throw new IllegalArgumentException("device memory is not sized for model " + modelId);
  }

  /** True while the device has stepped at most warmupEvents events (its state is still filling). */
  public boolean warming(DeviceMemory m) {
    return m.eventCount <= warmupEvents;
  }

  /** The stepper (for benchmarks and tools that need raw steps). */
  public Stepper stepper() {
    return stepper;
  }

  /** What steps the model: ONNX Runtime or the Java forward. */
  public ModelRuntime runtime() {
    return runtime;
  }

  @Override
  public void close() {
    if (stepper != null) stepper.close();
  }
}
