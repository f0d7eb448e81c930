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
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs src/test/browser/dashboard.mjs (playwright-core driving Debian's headless Chromium; .ci/run
 * installs both) against a dashboard page, for the browser ITs.
 */
final class BrowserScript {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path SCRIPT_DIR = Path.of("src/test/browser");

  private BrowserScript() {}

  /** Skips the calling test when no Chromium is installed; fails when playwright-core is missing. */
  static void requireBrowser() {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "SKIPPED: no Chromium at " + CHROMIUM + " (apt-get install chromium; .ci/run does)");
    assertTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")),
        "playwright-core is not installed: run `npm --prefix src/test/browser ci` (.ci/run does)");
  }

  /**
   * Runs the script on {@code page}, saving the screenshot to {@code shot}; {@code target} names the
   * scanner to watch ("any" for the first to alert). Every output line is echoed and handed to
   * {@code onLine}; the script must exit 0 within 30 s of closing its output, else the test fails
   * with the output and {@code context}.
   */
  static void run(String page, Path shot, String target, Consumer<String> onLine, Supplier<String> context)
      throws Exception {
    Process node = new ProcessBuilder("node", "dashboard.mjs", page, shot.toString(), target)
        .directory(SCRIPT_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        System.out.println(line);
        output.add(line);
        onLine.accept(line);
      }
    }
    assertTrue(node.waitFor(30, TimeUnit.SECONDS), "browser script did not exit");
    assertEquals(0, node.exitValue(), "browser script failed:\n" + String.join("\n", output) + context.get());
  }
}
