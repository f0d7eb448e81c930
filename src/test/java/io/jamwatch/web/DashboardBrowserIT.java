package io.jamwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core from
 * src/test/browser; .ci/run installs both): the page opens, a tile changes colour as its risk
 * rises, the alert appears with its reasons, the scanner's history opens. The screenshot lands in
 * target/dashboard.png. Skipped only when no Chromium is installed.
 */
class DashboardBrowserIT {

  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path SCRIPT_DIR = Path.of("src/test/browser");

  @Test
  void showsTilesChangingColourAnAlertWithReasonsAndAScannerHistory() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "SKIPPED: no Chromium at " + CHROMIUM + " (apt-get install chromium; .ci/run does)");
    assertTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")),
        "playwright-core is not installed: run `npm --prefix src/test/browser ci` (.ci/run does)");
    Path shot = Path.of("target/dashboard.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    Files.deleteIfExists(shot);

    try (TestBroker broker = TestBroker.start();
        PlantFeeder feeder = new PlantFeeder(broker)) {
      // History first, then the dashboard: it catches up on it as it would after a restart.
      feeder.start();
      try (Dashboard dashboard = Dashboard.start(DashboardConfig.defaults()
          .withBootstrap(broker.bootstrap()).withServer("127.0.0.1", 0))) {
      Process node = new ProcessBuilder("node", "dashboard.mjs", dashboard.uri().toString(), shot.toString(), PlantFeeder.TARGET)
          .directory(SCRIPT_DIR.toFile())
          .redirectErrorStream(true)
          .start();
      List<String> output = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          System.out.println(line);
          output.add(line);
          if (line.equals("READY")) feeder.startRamp();
        }
      }
      assertTrue(node.waitFor(30, TimeUnit.SECONDS), "browser script did not exit");
      assertEquals(0, node.exitValue(), "browser script failed:\n" + String.join("\n", output));
      }
    }
    assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " missing or empty");
  }
}
