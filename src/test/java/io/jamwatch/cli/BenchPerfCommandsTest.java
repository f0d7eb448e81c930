package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchPerfCommandsTest {

  @Test
  void benchListsThePerformanceHarnessesBesideThePublicBenchmarks() {
    StringWriter out = new StringWriter();
    CommandLine cl = JamwatchCli.commandLine();
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("bench", "--help"));
    for (String sub : new String[] {"skab", "nab", "stream", "jmh"}) {
      assertTrue(out.toString().contains(sub), "bench --help names " + sub + ":\n" + out);
    }
  }

  @Test
  void streamHarnessRefusesANonPositiveEventCountWithAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = JamwatchCli.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("bench", "stream", "--events", "0"));
    assertTrue(err.toString().contains("events must be >= 10, got 0"), err.toString());
  }
}
