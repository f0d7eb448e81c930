package io.jamwatch.scoring;

import io.jamwatch.onnx.OnnxModelCheck;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OrtStepper;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureEncoder;
import io.jamwatch.nn.ForecastSurprise;
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
 *   <li>forecast head: the anomaly likelihood of the surprise of this event against the forecast
 *       made at the previous event ({@link ForecastSurprise}); 0 for a device's first event, which
 *       has no forecast to be surprised by.
 * </ul>
 *
 * A model whose metadata or feature spec this build cannot honour is refused at load with a
 * message naming what. Holds one {@link OrtStepper}: not thread-safe, one per stream thread.
 */
public final class ScoringModel implements AutoCloseable {
  private final String modelId;
  private final ModelMetadata meta;
  private final FeatureEncoder encoder;
  private final OrtStepper stepper;
  private final ForecastSurprise surprise; // null unless the score is the forecast's
  private final float[] x; // [F] work buffer

  private ScoringModel(String modelId, ModelMetadata meta, OrtStepper stepper) {
    this.modelId = modelId;
    this.meta = meta;
    this.encoder = new FeatureEncoder(meta.featureSpec());
    this.stepper = stepper;
    this.surprise =
        meta.scoreHead() == ModelMetadata.Head.FORECAST ? ForecastSurprise.of(meta.featureSpec(), meta.surpriseStats()) : null;
    this.x = new float[meta.inputSize()];
  }

  /** Loads an .onnx file written by {@link OnnxExporter}. */
  public static ScoringModel load(Path onnx) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(onnx);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + onnx, e);
    }
    return load(bytes, onnx.toString());
  }

  /** Loads model bytes; {@code source} names them in error messages. */
  public static ScoringModel load(byte[] bytes, String source) {
    ModelMetadata meta = readMetadata(bytes, source);
    OrtStepper stepper;
    try {
      stepper = new OrtStepper(bytes, meta);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model " + source + " cannot be used: " + e.getMessage(), e);
    }
    return new ScoringModel(OnnxExporter.modelId(bytes), meta, stepper);
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

  public ModelMetadata metadata() {
    return meta;
  }

  public FeatureEncoder encoder() {
    return encoder;
  }

  /** A fresh device memory sized for this model. */
  public DeviceMemory newMemory() {
    float[] s = new float[0];
    if (surprise != null) {
      s = new float[surprise.stateSize()];
      surprise.initState(s);
    }
    return new DeviceMemory(meta.layers() * meta.hiddenSize(), meta.cell().hasCellState(),
        meta.hasForecast() ? meta.inputSize() : 0, s);
  }

  /**
   * Encodes {@code e} (with the device's previous event time from {@code m}), steps once, updates
   * {@code m} in place and returns the score in [0, 1].
   */
  public float score(ScannerEvent e, DeviceMemory m) {
    encoder.encode(e, m.lastEventTime, x);
    return scoreEncoded(x, e.getEventTime().toEpochMilli(), m);
  }

  /**
   * The step behind {@link #score} for an already encoded event (for explanations that occlude
   * features of a copy of the memory). {@code encoded} is read only.
   */
  public float scoreEncoded(float[] encoded, long eventTimeMillis, DeviceMemory m) {
    if (encoded.length != meta.inputSize())
      throw new IllegalArgumentException("encoded event has " + encoded.length + " features, model needs " + meta.inputSize());
    if (m.h.length != meta.layers() * meta.hiddenSize() || m.pred.length != (meta.hasForecast() ? meta.inputSize() : 0))
      throw new IllegalArgumentException("device memory is not sized for model " + modelId);
    float s;
    if (surprise == null) {
      s = stepper.step(encoded, m.h, m.c, m.pred.length > 0 ? m.pred : null);
    } else {
      // The forecast made at the previous event is judged before the step overwrites it.
      long n = m.eventCount;
      s = n == 0 ? 0f : surprise.score(m.surprise, n - 1, surprise.surprise(m.pred, encoded));
      stepper.step(encoded, m.h, m.c, m.pred);
    }
    m.lastEventTime = eventTimeMillis;
    m.eventCount++;
    return s;
  }

  /** True while the device has stepped at most warmupEvents events (its state is still filling). */
  public boolean warming(DeviceMemory m) {
    return m.eventCount <= meta.warmupEvents();
  }

  /** The stepper (for benchmarks and tools that need raw steps). */
  public OrtStepper stepper() {
    return stepper;
  }

  @Override
  public void close() {
    stepper.close();
  }
}
