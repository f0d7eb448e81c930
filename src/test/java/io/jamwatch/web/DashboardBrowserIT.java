package io.jamwatch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core from
 * src/test/browser; .ci/run installs both): the page opens, a tile changes colour as its risk
 * rises, the alert appears with its reasons, the scanner's history opens. The screenshot lands in
 * target/dashboard.png. Skipped only when no Chromium is installed.
 */
class DashboardBrowserIT {

  @Test
  void showsTilesChangingColourAnAlertWithReasonsAndAScannerHistory() throws Exception {
    BrowserScript.requireBrowser();
    Path shot = Path.of("target/dashboard.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    Files.deleteIfExists(shot);

    try (TestBroker broker = TestBroker.start();
        PlantFeeder feeder = new PlantFeeder(broker)) {
      // History first, then the dashboard: it catches up on it as it would after a restart.
      feeder.start();
      try (Dashboard dashboard = Dashboard.start(DashboardConfig.defaults()
          .withBootstrap(broker.bootstrap()).withServer("127.0.0.1", 0))) {
        BrowserScript.run(dashboard.uri().toString(), shot, PlantFeeder.TARGET,
            line -> {
              if (line.equals("READY")) feeder.startRamp();
            },
            () -> "");
      }
    }
    assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " missing or empty");
  }
}
