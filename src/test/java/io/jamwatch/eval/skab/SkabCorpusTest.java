package io.jamwatch.eval.skab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkabCorpusTest {

  private static final String HEADER =
      "datetime;Accelerometer1RMS;Current;Volume Flow RateRMS;anomaly;changepoint";

  @Test
  void readsLabelledAndNormalOnlyFilesInNaturalOrderWithCrlf(@TempDir Path root) throws IOException {
    Path v = Files.createDirectories(root.resolve("data/valve9"));
    Files.writeString(v.resolve("10.csv"), HEADER + "\r\n2020-03-09 10:14:33;0.1;1.5;32.0;0.0;0.0\r\n");
    Files.writeString(
        v.resolve("2.csv"),
        HEADER + "\n2020-03-09 10:14:33;0.1;1.5;32.0;0.0;0.0\n2020-03-09 10:14:34;0.2;1.6;31.0;1.0;1.0\n");
    Path free = Files.createDirectories(root.resolve("data/anomaly-free"));
    Files.writeString(free.resolve("anomaly-free.csv"),
        "datetime;Accelerometer1RMS;Current;Volume Flow RateRMS\r\n2020-02-08 13:30:47;0.2;2.1;122.6\r\n");

    SkabCorpus c = SkabCorpus.read(root);
    assertEquals(2, c.labelled().size());
    assertEquals("valve9/2.csv", c.labelled().get(0).relPath()); // 2 before 10
    assertEquals("valve9/2", c.labelled().get(0).deviceId());
    SkabCorpus.SkabFile f = c.labelled().get(0);
    assertEquals(java.util.List.of("Accelerometer1RMS", "Current", "Volume Flow RateRMS"), f.sensors());
    assertArrayEquals(new byte[] {0, 1}, f.anomaly());
    assertArrayEquals(new byte[] {0, 1}, f.changepoint());
    assertEquals(1000L, f.timestamps()[1] - f.timestamps()[0]);
    assertEquals(31.0f, f.values()[1][2]);
    assertEquals(1, c.normalOnly().size());
  }

  @Test
  void malformedNumberNamesFileLineAndColumn(@TempDir Path root) throws IOException {
    Path v = Files.createDirectories(root.resolve("data/x"));
    Files.writeString(v.resolve("0.csv"), HEADER + "\n2020-03-09 10:14:33;0.1;oops;32.0;0.0;0.0\n");
    IOException e = assertThrows(IOException.class, () -> SkabCorpus.read(root));
    assertTrue(e.getMessage().contains("x/0.csv line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("Current"), e.getMessage());
  }

  @Test
  void sharedCopyMatchesSourceStatistics() throws IOException {
    Path shared = Path.of("../shared/eval/skab");
    assumeTrue(Files.isDirectory(shared), "shared SKAB copy not present");
    SkabCorpus c = SkabCorpus.read(shared);
    SkabCorpus.SkabFile other2 =
        c.labelled().stream().filter(f -> f.relPath().equals("other/2.csv")).findFirst().orElseThrow();
    // SOURCE.md: other/2.csv 780 rows, anomaly rows 104..487, changepoints 104,144,430,488
    assertEquals(780, other2.rows());
    int first = -1;
    int last = -1;
    for (int i = 0; i < other2.rows(); i++) {
      if (other2.anomaly()[i] == 1) {
        last = i;
        if (first < 0) {
          first = i;
        }
      }
    }
    assertEquals(104, first);
    assertEquals(487, last);
    assertEquals(1, other2.changepoint()[430]);
    assertEquals(1, c.normalOnly().size());
    assertEquals(9405, c.normalOnly().get(0).rows());
    assertEquals(8, other2.sensors().size());
  }
}
