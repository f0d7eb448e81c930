package io.jamwatch.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ONNX checker ({@code onnx.checker.check_model(full_check=True)} plus strict shape
 * inference) over exported models of every cell, 1-3 layers and every head combination, when a
 * Python with the {@code onnx} package is on the machine (Debian: {@code apt-get install
 * python3-onnx}); skipped otherwise, since the Java-side rules ({@link OnnxModelCheck}) always run.
 */
class OfficialOnnxCheckerTest {
  @TempDir Path dir;

  static final String SCRIPT =
      "import sys, onnx\n"
          + "from onnx import checker, shape_inference\n"
          + "for f in sys.argv[1:]:\n"
          + "    m = onnx.load(f)\n"
          + "    checker.check_model(m, full_check=True)\n"
          + "    shape_inference.infer_shapes(m, check_type=True, strict_mode=True)\n"
          + "print('checked', len(sys.argv) - 1)\n";

  private static String python() {
    for (String p : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process pr = new ProcessBuilder(p, "-c", "import onnx").redirectErrorStream(true).start();
        if (pr.waitFor(30, TimeUnit.SECONDS) && pr.exitValue() == 0) return p;
      } catch (IOException | InterruptedException e) {
        // not this one; try the next
      }
    }
    return null;
  }

  @Test
  void exportedModelsPassTheOfficialChecker() throws Exception {
    String py = python();
    assumeTrue(py != null, "no python3 with the onnx package");
    List<String> cmd = new ArrayList<>(List.of(py, "-c", SCRIPT));
    Object[][] cfg = {{CellType.RNN, false, 2}, {CellType.GRU, false, 1}, {CellType.GRU, true, 3}, {CellType.LSTM, false, 2}};
    for (Object[] c : cfg) {
      for (int heads = 0; heads < 3; heads++) {
        NetworkWeights w = NetworkWeights.random((CellType) c[0], 9, 6, (Integer) c[2], (Boolean) c[1],
            heads != 1, heads != 0, new SplittableRandom(heads));
        Path f = dir.resolve(c[0] + "-" + c[1] + "-" + c[2] + "-" + heads + ".onnx");
        OnnxExporter.export(w, TestModels.metadata(w), f);
        cmd.add(f.toString());
      }
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), out);
    assertEquals("checked 12", out.trim());
    assertEquals(12, Files.list(dir).count());
  }
}
