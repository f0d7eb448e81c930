package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.logs.CsvImporter;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.logs.RecordedLogReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateAndImportCommandTest {

  @TempDir Path dir;

  @Test
  void simulateWritesLogTruthConfigAndPicture() throws IOException {
    Path out = dir.resolve("sim");
    int code = JamwatchCli.commandLine().execute("simulate", "--lines", "1", "--scanners-per-line", "3",
        "--hours", "0.5", "--seed", "5", "--out", out.toString());
    assertEquals(0, code);
    assertTrue(Files.size(out.resolve("L01.avro")) > 10_000);
    assertTrue(Files.exists(out.resolve(JamTruth.FILE_NAME)));
    assertTrue(Files.exists(out.resolve("sim-config.json")));
    assertTrue(Files.size(out.resolve("readings.png")) > 1_000);
    try (RecordedLogReader.EventStream s = RecordedLogReader.open(out)) {
      assertTrue(s.hasNext());
    }
  }

  @Test
  void simulateRefusesAFolderHoldingALog() throws IOException {
    Path out = Files.createDirectories(dir.resolve("sim"));
    Files.writeString(out.resolve("x.avro"), "");
    assertEquals(2, JamwatchCli.commandLine().execute("simulate", "--hours", "0.1", "--out", out.toString()));
  }

  @Test
  void importCsvImportsGoodRowsAndRejectsBadOnes() throws IOException {
    Path in = dir.resolve("export.csv");
    Files.writeString(in, "deviceId,lineId,eventTime,type,gap_ms\nD1,L1,1000,PACKAGE_SCANNED,900\nD1,L1,x,PACKAGE_SCANNED,1\n");
    Path out = dir.resolve("log");
    assertEquals(0, JamwatchCli.commandLine().execute("import-csv", "--in", in.toString(), "--out", out.toString()));
    assertEquals(2, Files.readAllLines(out.resolve(CsvImporter.REJECTS_CSV)).size());
    assertEquals(1, JamwatchCli.commandLine().execute("import-csv", "--strict", "--in", in.toString(),
        "--out", dir.resolve("strict").toString()));
  }
}
