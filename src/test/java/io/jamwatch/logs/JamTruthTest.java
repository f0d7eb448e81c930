package io.jamwatch.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JamTruthTest {

  @TempDir Path dir;

  @Test
  void roundTripsThroughJamsCsv() {
    List<JamTruth> jams = List.of(
        new JamTruth("L01-S03", "L01", 5_000, 65_000, JamTruth.WEAR, 1_000),
        new JamTruth("L02-S01", "L02", 7_000, -1, JamTruth.SUDDEN, -1));
    JamTruth.write(dir, jams);
    assertEquals(jams, JamTruth.read(dir));
  }

  @Test
  void logWithoutJamsCsvHasNoTruth() {
    assertEquals(List.of(), JamTruth.read(dir));
  }

  @Test
  void badRowNamesFileAndLine() throws IOException {
    Files.writeString(dir.resolve("jams.csv"), JamTruth.HEADER + "\nL01-S01,L01,5,6,wear,1\nL01-S01,L01,5,6,gremlins,1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JamTruth.read(dir));
    assertTrue(e.getMessage().contains("jams.csv:3:") && e.getMessage().contains("gremlins"), e.getMessage());
  }

  @Test
  void refusesPrecursorOnSuddenJam() {
    assertThrows(IllegalArgumentException.class, () -> new JamTruth("d", "l", 5, 6, JamTruth.SUDDEN, 1));
  }
}
