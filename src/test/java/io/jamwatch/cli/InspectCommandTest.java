package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.onnx.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    CommandLine cl = JamwatchCli.commandLine();
    StringWriter out = new StringWriter(), err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void printsCardInputsOutputsAndModelId() {
    NetworkWeights w = TestModels.random(CellType.LSTM, 9, 6, 2, false, 1);
    Path f = dir.resolve("m.onnx");
    String id = OnnxExporter.export(w, TestModels.metadata(w), f);
    String[] r = run("inspect", f.toString());
    assertEquals("0", r[0], r[2]);
    String out = r[1];
    assertTrue(out.contains("model id   " + id), out);
    assertTrue(out.contains("LSTM, 2 layer(s), hidden 6, input 9"), out);
    assertTrue(out.contains("heads      risk,forecast; score from risk"), out);
    assertTrue(out.contains("input  x      float [T, B, 9]"), out);
    assertTrue(out.contains("input  c0     float [2, B, 6]"), out);
    assertTrue(out.contains("output pred   float [T, B, 9]"), out);
    assertTrue(out.contains("output score  float [T, B]"), out);
    assertTrue(out.contains("validation pr_auc = 0.6250"), out);
    assertTrue(out.contains("checks     passed"), out);
  }

  @Test
  void runtimeCheckPrintsTheJavaRuntimesDifferencePerOutput() {
    NetworkWeights w = TestModels.random(CellType.GRU, 9, 6, 2, true, 1);
    Path f = dir.resolve("r.onnx");
    OnnxExporter.export(w, TestModels.metadata(w), f);
    String[] r = run("inspect", "--runtime-check", "50", f.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("runtime    java accepted; max |java - ort| over 50 random steps: score "), r[1]);
  }

  @Test
  void jsonCardCarriesTheMetadata() {
    NetworkWeights w = TestModels.random(CellType.GRU, 9, 6, 1, true, 1);
    Path f = dir.resolve("g.onnx");
    String id = OnnxExporter.export(w, TestModels.metadata(w), f);
    String[] r = run("inspect", "--json", f.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("\"modelId\" : \"" + id + "\""), r[1]);
    assertTrue(r[1].contains("\"jamwatch.linear_before_reset\" : \"1\""), r[1]);
  }

  @Test
  void refusesAFileThatIsNotAModel() throws Exception {
    Path f = dir.resolve("junk.onnx");
    Files.writeString(f, "hello");
    String[] r = run("inspect", f.toString());
    assertNotEquals("0", r[0]);
    assertTrue(r[2].contains("not an ONNX model"), r[2]);
  }

  @Test
  void refusesAFileThatIsNotAModelWithOneLineAndExitCode2() throws Exception {
    Path f = dir.resolve("notes.txt");
    java.nio.file.Files.writeString(f, "not a model");
    String[] r = run("inspect", f.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("jamwatch inspect: model " + f + " is not an ONNX model file"), r[2]);
    assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
  }
}
