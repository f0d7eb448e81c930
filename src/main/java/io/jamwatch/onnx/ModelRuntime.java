package io.jamwatch.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jamwatch.model.JavaStepper;
import io.jamwatch.model.Stepper;
import java.util.Locale;

/**
 * What steps a model file's whole graph (cells, stacked layers, input clip, heads with the risk
 * sigmoid and the forecast's x + delta): {@code model.runtime=ort|java}.
 *
 * <ul>
 *   <li>{@link #ORT} (default): ONNX Runtime ({@link OrtStepper}).
 *   <li>{@link #JAVA}: the pure-Java {@link JavaStepper} on the weights read back from the file's
 *       initializers ({@link OnnxWeights}, which refuses a graph the exporter would not write),
 *       with activations whose bits do not depend on the JVM or CPU. At load it is checked against
 *       ONNX Runtime on seeded random inputs and states ({@link StepperParity}): a difference over
 *       1e-5 on any output refuses the model.
 * </ul>
 *
 * The stream and the offline scorer take the runtime from the same setting, so they step with the
 * same code and agree bit for bit under either.
 */
public enum ModelRuntime {
  ORT,
  JAVA;

  /** The config and command-line spelling: "ort" or "java". */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelRuntime parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (ModelRuntime r : values()) if (r.key().equals(t)) return r;
    throw new IllegalArgumentException("model runtime '" + text + "' is not one of ort, java");
  }

  /**
   * A stepper for model bytes that {@code meta} describes (the caller has run the model-file
   * checks). Refused with an IllegalArgumentException whose message says why.
   */
  public Stepper open(byte[] modelBytes, ModelMetadata meta) {
    if (this == ORT) return new OrtStepper(modelBytes, meta);
    JavaStepper java = new JavaStepper(OnnxWeights.read(parse(modelBytes), meta));
    try (OrtStepper ort = new OrtStepper(modelBytes, meta)) {
      StepperParity.check(ort, java, key());
    }
    return java;
  }

  private static ModelProto parse(byte[] bytes) {
    try {
      return ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model file: " + e.getMessage(), e);
    }
  }
}
