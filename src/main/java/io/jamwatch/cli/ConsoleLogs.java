package io.jamwatch.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * The console of a long-running command is jamwatch's own output (progress, status lines, one-line
 * errors): the libraries' logs (the Kafka clients and the embedded broker log thousands of INFO
 * lines, and an unreachable broker one warning per retry) go to a file named on the console at
 * start. slf4j-simple takes its output file once, when the first logger is created, so this runs
 * in {@code main} before any command class is loaded. {@code -Dorg.slf4j.simpleLogger.logFile=...}
 * (e.g. {@code System.err}) overrides it.
 */
final class ConsoleLogs {
  static final String LOG_FILE = "org.slf4j.simpleLogger.logFile";
  /** Commands that talk to Kafka or run a broker. */
  static final Set<String> ROUTED = Set.of("run", "demo", "bench", "replay", "dashboard");

  private ConsoleLogs() {}

  /** Routes library logs of {@code args}' command to a file; returns it, or null if not routed. */
  static Path route(String[] args) {
    String command = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        command = a;
        break;
      }
    }
    if (command == null || !ROUTED.contains(command) || System.getProperty(LOG_FILE) != null
        || java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      return null;
    }
    Path file = Path.of(System.getProperty("java.io.tmpdir"),
        "jamwatch-" + command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
    System.setProperty(LOG_FILE, file.toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    System.err.println("jamwatch " + command + ": library logs go to " + file);
    return file;
  }
}
