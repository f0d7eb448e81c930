package io.jamwatch.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.jamwatch.model.CellType;
import io.jamwatch.model.JavaStepper;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.Stepper;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The java runtime: weights read back from the file, checked against ONNX Runtime at load, refused when it disagrees. */
class ModelRuntimeTest {
  static final int F = 9, H = 12;

  /** The head variants of the exporter: risk only, forecast only (residual on some features, input clip), both. */
  enum Heads { RISK, FORECAST, BOTH }

  static NetworkWeights net(CellType cell, boolean lbr, int layers, Heads heads, long seed) {
    NetworkWeights w = NetworkWeights.random(cell, F, H, layers, lbr, heads != Heads.FORECAST, heads != Heads.RISK,
        new java.util.SplittableRandom(seed));
    if (heads != Heads.RISK) {
      w.makeResidual(new int[] {0, 2, 4, 6}, 0.5f);
      w.setInputClip(3f);
    }
    return w;
  }

  static byte[] export(NetworkWeights w) {
    return OnnxExporter.build(w, TestModels.metadata(w)).toByteArray();
  }

  static Stream<Arguments> nets() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Heads h : Heads.values()) {
      b.add(Arguments.of(CellType.RNN, false, 1, h));
      b.add(Arguments.of(CellType.RNN, false, 2, h));
      b.add(Arguments.of(CellType.GRU, false, 1, h));
      b.add(Arguments.of(CellType.GRU, true, 2, h));
      b.add(Arguments.of(CellType.LSTM, false, 1, h));
      b.add(Arguments.of(CellType.LSTM, false, 3, h));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} lbr={1} L={2} {3}")
  @MethodSource("nets")
  void javaRuntimeAgreesWithOrtOnEveryOutputAndIsAccepted(CellType cell, boolean lbr, int layers, Heads heads) {
    NetworkWeights w = net(cell, lbr, layers, heads, 31);
    byte[] model = export(w);
    ModelMetadata meta = TestModels.metadata(w);
    try (Stepper java = ModelRuntime.JAVA.open(model, meta); OrtStepper ort = new OrtStepper(model, meta)) {
      assertTrue(java instanceof JavaStepper);
      StepperParity.Result r = StepperParity.compare(ort, java, StepperParity.STEPS, 99);
      System.out.printf("java runtime %s lbr=%b L=%d %s: %s%n", cell, lbr, layers, heads, r.describe());
      assertTrue(r.passes(), r.describe());
    }
  }

  @Test
  void javaRuntimeReadsTheHorizonLadderAndAgreesWithOrt() {
    NetworkWeights w = NetworkWeights.random(CellType.GRU, F, H, 2, true, true, false, 3, new java.util.SplittableRandom(41));
    ModelMetadata meta = TestModels.metadata(w);
    byte[] model = export(w);
    NetworkWeights back = OnnxWeights.read(OnnxExporter.build(w, meta), meta);
    assertArrayEquals(w.horizonW, back.horizonW);
    assertArrayEquals(w.horizonB, back.horizonB);
    try (Stepper java = ModelRuntime.JAVA.open(model, meta); OrtStepper ort = new OrtStepper(model, meta)) {
      assertEquals(3, java.horizons());
      StepperParity.Result r = StepperParity.compare(ort, java, StepperParity.STEPS, 98);
      assertTrue(r.passes(), r.describe());
    }
  }

  @Test
  void weightsReadFromTheFileAreTheExportedOnesBitForBit() {
    NetworkWeights w = net(CellType.GRU, true, 2, Heads.BOTH, 5);
    ModelMetadata meta = TestModels.metadata(w);
    NetworkWeights back = OnnxWeights.read(OnnxExporter.build(w, meta), meta);
    for (int l = 0; l < w.layers; l++) {
      assertArrayEquals(w.W[l], back.W[l]);
      assertArrayEquals(w.R[l], back.R[l]);
      assertArrayEquals(w.Wb[l], back.Wb[l]);
      assertArrayEquals(w.Rb[l], back.Rb[l]);
    }
    assertArrayEquals(w.riskW, back.riskW);
    assertArrayEquals(w.riskB, back.riskB);
    assertArrayEquals(w.predW, back.predW);
    assertArrayEquals(w.predB, back.predB);
    assertArrayEquals(w.predSkip, back.predSkip);
    assertEquals(w.inputClip(), back.inputClip());
    assertTrue(back.linearBeforeReset);
  }

  static Stream<Arguments> perturbations() {
    return Stream.of(
        Arguments.of("score", CellType.GRU), Arguments.of("pred", CellType.GRU), Arguments.of("h1", CellType.GRU),
        Arguments.of("c1", CellType.LSTM));
  }

  /** A stepper whose weights are nudged by 1e-3 in one place is refused, naming the output it breaks. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("perturbations")
  void perturbedStepperIsRefusedNamingTheOutput(String output, CellType cell) {
    NetworkWeights w = net(cell, false, 1, Heads.BOTH, 8);
    NetworkWeights bad = w.copy();
    switch (output) {
      case "score" -> bad.riskB[0] += 1e-3f;
      case "pred" -> bad.predB[1] += 1e-3f;
      // h1: the top layer's h; c1: LSTM's input gate bias moves c (and h through it; c moves more)
      case "h1" -> bad.Wb[0][2 * H] += 1e-3f;
      case "c1" -> {
        for (int j = 0; j < H; j++) bad.Wb[0][3 * H + j] += 1e-3f;
      }
      default -> throw new AssertionError(output);
    }
    byte[] model = export(w);
    try (OrtStepper ort = new OrtStepper(model, TestModels.metadata(w)); JavaStepper java = new JavaStepper(bad)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StepperParity.check(ort, java, "java"));
      System.out.println("refused: " + e.getMessage());
      assertTrue(e.getMessage().contains("on output " + output + " by "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    // and the unperturbed twin passes the same check
    try (OrtStepper ort = new OrtStepper(model, TestModels.metadata(w)); JavaStepper java = new JavaStepper(w)) {
      StepperParity.check(ort, java, "java");
    }
  }

  @Test
  void modelWhoseGraphTheExporterWouldNotWriteIsRefusedByTheJavaRuntimeOnly() throws Exception {
    NetworkWeights w = net(CellType.GRU, false, 1, Heads.RISK, 3);
    ModelProto p = OnnxExporter.build(w, TestModels.metadata(w));
    // a graph ONNX Runtime runs fine, but with a node the Java forward does not know about:
    // the score goes through a second Sigmoid
    ModelProto.Builder b = p.toBuilder();
    var g = b.getGraphBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getOpType().equals("Sigmoid")) g.getNodeBuilder(i).setOutput(0, "score_once");
    }
    g.addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("Sigmoid").setName("again")
        .addInput("score_once").addOutput("score"));
    byte[] edited = b.build().toByteArray();
    Path f = Files.createTempFile("edited", ".onnx");
    try {
      Files.write(f, edited);
      try (ScoringModel ort = ScoringModel.load(f, ModelRuntime.ORT)) {
        assertEquals(ModelRuntime.ORT, ort.runtime());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoringModel.load(f, ModelRuntime.JAVA));
      System.out.println("refused: " + e.getMessage());
      assertTrue(e.getMessage().contains("model.runtime=java"), e.getMessage());
      assertTrue(e.getMessage().contains("not the one this build's exporter writes"), e.getMessage());
    } finally {
      Files.delete(f);
    }
  }

  @Test
  void bundledDefaultModelRunsUnderTheJavaRuntime() {
    try (ScoringModel java = ScoringModel.load(Path.of("models/default.onnx"), ModelRuntime.JAVA);
        ScoringModel ort = ScoringModel.load(Path.of("models/default.onnx"))) {
      assertEquals(ModelRuntime.JAVA, java.runtime());
      StepperParity.Result r = StepperParity.compare(ort.stepper(), java.stepper(), 2000, 7);
      System.out.println("models/default.onnx " + r.describe());
      assertTrue(r.passes(), r.describe());
    }
  }

  @Test
  void parsesRuntimeNamesAndRefusesOthersInOneLine() {
    assertEquals(ModelRuntime.JAVA, ModelRuntime.parse(" Java "));
    assertEquals(ModelRuntime.ORT, ModelRuntime.parse("ort"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRuntime.parse("tflite"));
    assertEquals("model runtime 'tflite' is not one of ort, java", e.getMessage());
  }
}
