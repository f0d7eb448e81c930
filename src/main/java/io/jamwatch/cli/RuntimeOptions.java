package io.jamwatch.cli;

import io.jamwatch.onnx.ModelRuntime;
import picocli.CommandLine.Option;

/** {@code --runtime ort|java}: what steps the model (the config key {@code model.runtime}). */
public final class RuntimeOptions {
  @Option(names = "--runtime", paramLabel = "ort|java",
      description = "What steps the model: ort (ONNX Runtime, default) or java (the pure-Java forward, checked against"
          + " ONNX Runtime at load). Give the stream's model.runtime to reproduce its scores bit for bit.")
  String runtime;

  /** The runtime given, else {@code fallback}. */
  public ModelRuntime or(ModelRuntime fallback) {
    return runtime == null ? fallback : ModelRuntime.parse(runtime);
  }

  /** The runtime given, else ONNX Runtime. */
  public ModelRuntime runtime() {
    return or(ModelRuntime.ORT);
  }
}
