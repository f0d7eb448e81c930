package io.jamwatch.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jamwatch.eval.bench.CsvTimestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabCorpusTest {

  private static void toyCorpus(Path root) throws IOException {
    Path d = Files.createDirectories(root.resolve("data/catA"));
    Files.createDirectories(root.resolve("labels"));
    StringBuilder sb = new StringBuilder("timestamp,value\n");
    for (int i = 0; i < 6; i++) {
      sb.append("2015-02-26 21:4").append(i).append(":00,").append(i * 1.5).append('\n');
    }
    Files.writeString(d.resolve("s.csv"), sb.toString());
    Files.writeString(root.resolve("labels/combined_windows.json"),
        "{\"catA/s.csv\": [[\"2015-02-26 21:42:00.000000\", \"2015-02-26 21:43:00.000000\"]],"
            + " \"catB/missing.csv\": []}");
  }

  @Test
  void readsSeriesAndWindowsAndReportsLabelsWithoutData(@TempDir Path root) throws IOException {
    toyCorpus(root);
    NabCorpus c = NabCorpus.read(root);
    assertEquals(1, c.series().size());
    NabSeries s = c.series().get(0);
    assertEquals("catA/s.csv", s.relPath());
    assertEquals(6, s.size());
    assertEquals(7.5, s.values()[5]);
    assertEquals(List.of(new NabSeries.Window(s.timestamps()[2], s.timestamps()[3])), s.windows());
    assertEquals(List.of("catB/missing.csv"), c.unmatchedLabels());
  }

  @Test
  void writesResultsInNabLayoutWithWindowLabels(@TempDir Path root) throws IOException {
    toyCorpus(root);
    NabSeries s = NabCorpus.read(root).series().get(0);
    Path out = NabResultsWriter.write(root.resolve("results"), "jamwatch", s,
        new double[] {0, 0.25, 0.5, 1, 0, 0});
    assertEquals(root.resolve("results/jamwatch/catA/jamwatch_s.csv"), out);
    List<String> lines = Files.readAllLines(out);
    assertEquals("timestamp,value,anomaly_score,label", lines.get(0));
    assertEquals("2015-02-26 21:40:00,0,0.0,0", lines.get(1));
    assertEquals("2015-02-26 21:42:00,3,0.5,1", lines.get(3));
    assertEquals("2015-02-26 21:43:00,4.5,1.0,1", lines.get(4));
    assertEquals("2015-02-26 21:44:00,6,0.0,0", lines.get(5));
  }

  @Test
  void dataFileWithoutLabelEntryIsAnError(@TempDir Path root) throws IOException {
    toyCorpus(root);
    Files.writeString(root.resolve("data/catA/extra.csv"), "timestamp,value\n2015-02-26 21:40:00,1\n");
    IOException e = assertThrows(IOException.class, () -> NabCorpus.read(root));
    assertTrue(e.getMessage().contains("catA/extra.csv"), e.getMessage());
  }

  @Test
  void timestampsRoundTripInCorpusFormat() {
    long t = CsvTimestamps.parse("2014-04-10 07:15:00.000000", "test");
    assertEquals("2014-04-10 07:15:00", CsvTimestamps.format(t));
  }

  @Test
  void sharedCopyHasLabelsForEveryFile() throws IOException {
    Path shared = Path.of("../shared/eval/nab");
    assumeTrue(Files.isDirectory(shared), "shared NAB copy not present");
    NabCorpus c = NabCorpus.read(shared);
    assertEquals(44, c.series().size());
    assertEquals(83, c.series().stream().mapToInt(x -> x.windows().size()).sum());
    // every window bound must be a row timestamp of its file
    for (NabSeries s : c.series()) {
      NabScorer.windowIndices(s);
    }
  }
}
