package io.jamwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code replay} against a broker that is not there: a few lines and exit code 2. */
class BrokerTroubleTest {

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<String> stderrOf(Runnable r) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("jamwatch ")).toList();
  }

  @Test
  void runSaysInOneLineThatNoBrokerAnswered(@TempDir Path dir) throws Exception {
    int port = closedPort();
    Path cfg = dir.resolve("c.properties");
    Files.writeString(cfg, "kafka.bootstrap.servers=127.0.0.1:" + port + "\n");
    int[] rc = new int[1];
    List<String> lines = stderrOf(() -> rc[0] = JamwatchCli.commandLine()
        .execute("run", "--config", cfg.toString(), "--broker-wait", "3"));
    assertEquals(2, rc[0]);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("jamwatch run: no Kafka broker answered at 127.0.0.1:" + port), last);
    assertTrue(last.contains("kafka.bootstrap.servers"), last);
    assertTrue(lines.size() <= 2, "one status line and the verdict: " + lines);
    assertFalse(String.join("\n", lines).contains("\tat "), "no stack trace");
  }

  @Test
  void replaySaysTheSame(@TempDir Path dir) throws Exception {
    int port = closedPort();
    Files.createDirectories(dir.resolve("logs"));
    int[] rc = new int[1];
    List<String> lines = stderrOf(() -> rc[0] = JamwatchCli.commandLine().execute("replay", "--logs",
        dir.resolve("logs").toString(), "--bootstrap-servers", "127.0.0.1:" + port, "--broker-wait", "2"));
    assertEquals(2, rc[0]);
    assertTrue(lines.get(lines.size() - 1).startsWith("jamwatch replay: no Kafka broker answered at 127.0.0.1:" + port),
        lines.toString());
  }

  @Test
  void dashboardSaysTheSame() throws Exception {
    int port = closedPort();
    int[] rc = new int[1];
    List<String> lines = stderrOf(() -> rc[0] = JamwatchCli.commandLine().execute("dashboard", "--bootstrap",
        "127.0.0.1:" + port, "--port", "0", "--broker-wait", "2"));
    assertEquals(2, rc[0]);
    assertTrue(lines.get(lines.size() - 1).startsWith("jamwatch dashboard: no Kafka broker answered at 127.0.0.1:" + port),
        lines.toString());
  }
}
