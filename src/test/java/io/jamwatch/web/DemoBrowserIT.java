package io.jamwatch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.features.FeatureSpec;
import io.jamwatch.logs.TrustedAvroClasses;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.sim.Readings;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.Simulator;
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
 * `jamwatch demo` end to end in a real headless Chromium: the packaged jar runs the in-JVM broker,
 * the simulator, the detector and the dashboard; the page must show tiles changing colour, an
 * alert raised by the real processor with occlusion reasons, and the alerting scanner's history.
 * The model is a small GRU whose risk follows the vibration reading (so alerts come within
 * seconds on the simulator's noise); screenshot in target/demo-dashboard.png. Skipped only when
 * no Chromium is installed.
 */
class DemoBrowserIT {

  @TempDir Path dir;

  @Test
  void demoPageShowsLiveScoresAnExplainedAlertAndAScannerHistory() throws Exception {
    BrowserScript.requireBrowser();
    Path jar = Path.of("target/jamwatch.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "run after `package`: " + jar);
    Path model = vibrationModel(dir.resolve("vibration.onnx"));
    Path shot = Path.of("target/demo-dashboard.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process demo = new ProcessBuilder("java", "-Xss16m", "-Xmx1g", "-jar", jar.toString(), "demo",
            "--model", model.toString(), "--port", Integer.toString(port), "--lines", "2", "--scanners", "6",
            "--speed", "10x", "--duration", "400")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("demo.log").toFile())
        .start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + port + "/");
      awaitUp(uri, demo);
      BrowserScript.run(uri.toString(), shot, "any", line -> {},
          () -> "\n--- demo log tail:\n" + tail(dir.resolve("demo.log")));
    } finally {
      demo.destroy(); // SIGTERM: the demo stops cleanly
      if (!demo.waitFor(30, TimeUnit.SECONDS)) demo.destroyForcibly();
    }
    assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " missing or empty");
  }

  private static void awaitUp(URI uri, Process demo) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      assertTrue(demo.isAlive(), "demo exited early with " + (demo.isAlive() ? "" : demo.exitValue()));
      try {
        if (http.send(HttpRequest.newBuilder(uri.resolve("/api/status")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
      } catch (java.io.IOException notYet) {
        // the demo is still starting its broker
      }
      Thread.sleep(500);
    }
    throw new AssertionError("demo dashboard did not come up at " + uri);
  }

  /**
   * A GRU whose update gate is shut (h = candidate) with candidate unit 0 = tanh(0.8 z_vibration)
   * and risk = sigmoid(3 h_0): the risk follows the vibration smoothly (gains small enough not to
   * saturate, so tiles change colour with the reading's noise).
   */
  private static Path vibrationModel(Path out) {
    TrustedAvroClasses.register();
    FeatureSpec spec = FeatureSpec.fit(new Simulator(SimConfig.defaults().withShape(1, 4, 0.5, 1)).events());
    int in = spec.size();
    int h = 4;
    int k = spec.featureNames().indexOf(Readings.VIBRATION_RMS);
    assertTrue(k >= 0, "no " + Readings.VIBRATION_RMS + " feature in " + spec.featureNames());
    NetworkWeights w = new NetworkWeights(CellType.GRU, in, h, 1, true, true, false);
    for (int j = 0; j < h; j++) w.Wb[0][j] = -30f;
    w.W[0][(2 * h) * in + k] = 0.8f;
    w.riskW[0] = 3f;
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, null).withThresholds(0.6f, 0.4f).withWarmupEvents(3), out);
    return out;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (java.io.IOException e) {
      return "(no demo log: " + e + ")";
    }
  }
}
