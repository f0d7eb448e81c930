package io.jamwatch.onnx;

import io.jamwatch.scoring.ScoringModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The saved model format is pinned by a golden file: the export of fixed (seeded) weights must give
 * exactly the committed bytes, so any change to the file format shows up as a failing test and a
 * binary diff. After an intended format change, regenerate with
 * {@code java -cp target/test-classes:target/classes:... io.jamwatch.onnx.GoldenModelTest} run from
 * the project root (or run {@link #main} from the IDE) and commit the new file.
 */
class GoldenModelTest {
  static final String RESOURCE = "/golden/gru-l2-h4-lbr1.onnx";

  static NetworkWeights weights() {
    return TestModels.random(CellType.GRU, 9, 4, 2, true, 2024);
  }

  @Test
  void exportOfFixedWeightsEqualsTheGoldenFile() throws IOException {
    NetworkWeights w = weights();
    byte[] now = OnnxExporter.build(w, TestModels.metadata(w)).toByteArray();
    byte[] golden;
    try (InputStream in = GoldenModelTest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new AssertionError("golden file " + RESOURCE + " missing: run GoldenModelTest.main");
      golden = in.readAllBytes();
    }
    assertEquals(OnnxExporter.modelId(golden), OnnxExporter.modelId(now),
        "the model file format changed; if intended, regenerate " + RESOURCE + " with GoldenModelTest.main");
    assertArrayEquals(golden, now);
  }

  @Test
  void goldenFileStillScoresLikeTheReference() throws IOException {
    Path tmp = Files.createTempFile("golden", ".onnx");
    try (InputStream in = GoldenModelTest.class.getResourceAsStream(RESOURCE)) {
      Files.write(tmp, in.readAllBytes());
    }
    NetworkWeights w = weights();
    float[] x = TestModels.gaussian(9, 1);
    try (ScoringModel m = ScoringModel.load(tmp)) {
      float[] h = new float[8], pred = new float[9];
      float s = m.stepper().step(x, h, null, pred);
      float ref = io.jamwatch.model.ReferenceForward.forward(w, x, 1, 1, null, null).score()[0];
      assertEquals(ref, s, 1e-6f);
    } finally {
      Files.delete(tmp);
    }
  }

  public static void main(String[] args) throws IOException {
    NetworkWeights w = weights();
    Path out = Path.of("src/test/resources" + RESOURCE);
    String id = OnnxExporter.export(w, TestModels.metadata(w), out);
    System.out.println("wrote " + out + " (model id " + id + ")");
  }
}
