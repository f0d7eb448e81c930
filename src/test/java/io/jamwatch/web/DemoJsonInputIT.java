package io.jamwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jamwatch demo --input-format json --output-format json} from the packaged jar: the
 * simulated line goes through the JSON path (gateway messages read through the printed mapping),
 * the scores come out as JSON, and the dashboard fills as with the default format. The console
 * holds jamwatch's lines only: no library log line, the broker's included.
 */
class DemoJsonInputIT {
  @TempDir Path dir;

  @Test
  void demoWithJsonInputAndOutputFillsTheDashboardWithACleanConsole() throws Exception {
    Path jar = Path.of("target/jamwatch.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "run after `package`: " + jar);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("demo.log");
    Process demo = new ProcessBuilder("java", "-Xss16m", "-Xmx1g", "-jar", jar.toString(), "demo",
            "--input-format", "json", "--output-format", "json", "--port", Integer.toString(port),
            "--lines", "2", "--scanners", "4", "--speed", "10x", "--duration", "300")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      JsonNode lines = null;
      while (System.nanoTime() < deadline) {
        assertTrue(demo.isAlive(), () -> "demo exited early:\n" + read(log));
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/api/lines")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            lines = json.readTree(r.body());
            if (lines.size() == 2 && lines.get(0).get("devices").size() == 4 && lines.get(1).get("devices").size() == 4) {
              break;
            }
          }
        } catch (java.io.IOException notYet) {
          // still starting
        }
        Thread.sleep(500);
      }
      assertTrue(lines != null && lines.size() == 2, () -> "dashboard never filled; console:\n" + read(log));
      String metrics = http.send(HttpRequest.newBuilder(uri.resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String reason : List.of("INVALID_JSON", "MISSING_FIELD", "WRONG_TYPE", "UNPARSEABLE_TIME")) {
        assertFalse(metrics.lines().anyMatch(l -> l.startsWith("jamwatch_dead_letters_total{reason=\"" + reason + "\"")
            && !l.trim().endsWith(" 0.0")), "no " + reason + " from the demo's own JSON:\n" + metrics);
      }
    } finally {
      demo.destroy(); // SIGTERM: the demo stops cleanly
      if (!demo.waitFor(30, TimeUnit.SECONDS)) demo.destroyForcibly();
    }
    String console = read(log);
    assertTrue(console.contains("mapping.device-id         = /scanner/id"), console);
    assertTrue(console.lines().findFirst().orElse("").startsWith("jamwatch demo: library logs go to "), console);
    List<String> foreign = console.lines()
        .map(l -> l.replace("\r", "\n"))
        .flatMap(String::lines)
        .filter(l -> !l.isBlank() && !l.startsWith("jamwatch demo:") && !l.startsWith("  ")
            && !l.matches("^(CREATED|REBALANCING|RUNNING|PENDING_SHUTDOWN|NOT_RUNNING|ERROR|PENDING_ERROR)\\b.*"))
        .toList();
    assertEquals(List.of(), foreign, "only jamwatch's lines on the console");
    assertEquals(0, demo.exitValue(), console);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
