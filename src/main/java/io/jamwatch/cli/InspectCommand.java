package io.jamwatch.cli;

import io.jamwatch.scoring.DetectorConfig;
import io.jamwatch.scoring.DetectorStages;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.onnx.StepperParity;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.OnnxModelCheck;
import io.jamwatch.scoring.ScoringModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jamwatch inspect MODEL.onnx}: the model card (its metadata), the inputs and outputs as ONNX
 * Runtime sees them (opened with default options), the model-file checks and the model id.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show a model file: its card (metadata), inputs and outputs with shapes, and its model id.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model file.")
  Path model;

  @Option(names = "--json", description = "Print the card as JSON (machine-readable) instead of text.")
  boolean json;

  @Option(names = "--runtime-check", paramLabel = "STEPS", defaultValue = "0",
      description = "Also run the java runtime's load-time check against ONNX Runtime with this many seeded random steps"
          + " (0 = skip; the load itself uses " + StepperParity.STEPS + ") and print the largest difference per output.")
  int runtimeCheckSteps;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(model)) throw new CommandLine.ParameterException(spec.commandLine(), "no such model file: " + model);
    byte[] bytes = Files.readAllBytes(model);
    ModelMetadata m = ScoringModel.readMetadata(bytes, model.toString()); // refuses what cannot be scored
    ModelProto proto = ModelProto.parseFrom(bytes);
    String id = OnnxExporter.modelId(bytes);
    List<String> io = new ArrayList<>();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession s = OrtEnvironment.getEnvironment().createSession(bytes, o)) {
      for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) io.add("input  " + describe(e.getValue()));
      for (Map.Entry<String, NodeInfo> e : s.getOutputInfo().entrySet()) io.add("output " + describe(e.getValue()));
    }
    if (json) {
      Map<String, Object> card = new LinkedHashMap<>();
      card.put("modelId", id);
      card.put("file", model.toString());
      card.put("bytes", bytes.length);
      card.put("opset", proto.getOpsetImport(0).getVersion());
      card.put("io", io);
      card.put("metadata", new java.util.TreeMap<>(m.toProps()));
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(card));
      return 0;
    }
    out.printf(Locale.ROOT, "model id   %s%n", id);
    out.printf(Locale.ROOT, "file       %s (%,d bytes), producer %s %s, IR %d, opset %d%n", model, bytes.length,
        proto.getProducerName(), proto.getProducerVersion(), proto.getIrVersion(), proto.getOpsetImport(0).getVersion());
    out.printf(Locale.ROOT, "network    %s, %d layer(s), hidden %d, input %d%s%n", m.cell(), m.layers(), m.hiddenSize(),
        m.inputSize(), m.cell().name().equals("GRU") ? ", linear_before_reset " + (m.linearBeforeReset() ? 1 : 0) : "");
    out.printf(Locale.ROOT, "heads      %s; score from %s%n", m.toProps().get(ModelMetadata.PREFIX + "heads"), m.scoreHead().key());
    out.printf(Locale.ROOT, "horizon    %d s; alert raise >= %s, clear < %s; warm-up %d events%n", m.horizonSeconds(),
        m.raiseThreshold(), m.clearThreshold(), m.warmupEvents());
    if (!m.extraHorizonSeconds().isEmpty())
      out.printf(Locale.ROOT, "ladder     extra horizons %s s; alerts raised on %s%n",
          m.extraHorizonSeconds().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")),
          m.alertOnLadder() ? "the whole ladder (each alert claims the shortest horizon at the raise threshold)"
              : "the primary score alone");
    if (m.surpriseStats() != null)
      out.printf(Locale.ROOT, "surprise   ln(MSE+eps) mean %s std %s; short window %d, long window %s%n",
          m.surpriseStats().logMean(), m.surpriseStats().logStd(), m.surpriseStats().shortWindow(),
          m.surpriseStats().longWindow() == 0 ? "training fit" : Integer.toString(m.surpriseStats().longWindow()));
    if (m.featureSpec().deviceWindowEvents() > 0)
      out.printf(Locale.ROOT, "features   per-device standardisation over %d events; state %d doubles per device%n",
          m.featureSpec().deviceWindowEvents(), 2 * m.featureSpec().readings().size());
    if (m.scoreHead() == ModelMetadata.Head.FORECAST) {
      DetectorConfig dc = ScoringModel.readDetector(bytes, model.toString());
      int stateDoubles = new DetectorStages(dc, m.featureSpec().readings().size(), true).stateSize();
      out.printf(Locale.ROOT, "detector   %s; state %d doubles (%d B) per device%n", dc.describe(), stateDoubles,
          stateDoubles * Double.BYTES);
    }
    out.printf(Locale.ROOT, "data       fingerprint %s%n", m.dataFingerprint().isEmpty() ? "(none)" : m.dataFingerprint());
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(m.validationMetrics()).entrySet())
      out.printf(Locale.ROOT, "validation %s = %.4f%n", e.getKey(), e.getValue());
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(m.provenance()).entrySet())
      out.printf(Locale.ROOT, "provenance %s = %s%n", e.getKey(), e.getValue());
    out.printf(Locale.ROOT, "exporter   %s%n", m.exporterVersion());
    FeatureSpec fs = m.featureSpec();
    out.printf(Locale.ROOT, "features   %d (fitted on %,d events), clip +-%s%n", fs.size(), fs.fittedEvents(), fs.clip());
    for (FeatureSpec.ReadingSpec r : fs.readings())
      out.printf(Locale.ROOT, "  reading  %-24s %-12s mean %-12s std %s  (+ missing indicator)%n", r.name(),
          r.transform().name().toLowerCase(Locale.ROOT), r.mean(), r.std());
    out.printf(Locale.ROOT, "  type     one-hot over %s%n", fs.eventTypes());
    out.printf(Locale.ROOT, "  gap      log1p(seconds since previous) mean %s std %s  (+ no-previous indicator)%n",
        fs.gapMean(), fs.gapStd());
    for (String s : io) out.println(s);
    List<String> problems = OnnxModelCheck.problems(proto);
    out.println("checks     " + (problems.isEmpty() ? "passed" : String.join("; ", problems)));
    if (problems.isEmpty() && runtimeCheckSteps > 0) {
      try (ScoringModel ort = ScoringModel.load(bytes, model.toString(), ModelRuntime.ORT);
          ScoringModel java = ScoringModel.load(bytes, model.toString(), ModelRuntime.JAVA)) {
        StepperParity.Result r = StepperParity.compare(ort.stepper(), java.stepper(), runtimeCheckSteps, StepperParity.SEED);
        out.println("runtime    java accepted; " + r.describe());
      } catch (IllegalArgumentException e) {
        out.println("runtime    java refused: " + e.getMessage());
        return 1;
      }
    }
    return problems.isEmpty() ? 0 : 1;
  }

  private static String describe(NodeInfo n) throws OrtException {
    if (!(n.getInfo() instanceof TensorInfo t)) return n.getName() + " " + n.getInfo();
    long[] shape = t.getShape();
    String[] names = t.getDimensionNames();
    List<String> dims = new ArrayList<>();
    for (int i = 0; i < shape.length; i++)
      dims.add(shape[i] >= 0 ? Long.toString(shape[i]) : (names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?"));
    return String.format(Locale.ROOT, "%-6s %s %s", n.getName(), t.type.name().toLowerCase(Locale.ROOT), dims);
  }
}
