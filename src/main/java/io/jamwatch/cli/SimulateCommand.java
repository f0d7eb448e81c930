package io.jamwatch.cli;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.logs.RecordedLogWriter;
import io.jamwatch.sim.Mechanism;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.SimStats;
import io.jamwatch.sim.SimulatedLog;
import io.jamwatch.sim.SimulationChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch simulate}: writes a simulated recorded log, its jam ground truth and a picture. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulates conveyor lines and writes a recorded log (one *.avro per line), jams.csv"
        + " (ground truth), sim-config.json and readings.png.")
public final class SimulateCommand implements Callable<Integer> {

  @Option(names = "--lines", defaultValue = "2", description = "Conveyor lines. Default: ${DEFAULT-VALUE}.")
  int lines;

  @Option(names = "--scanners-per-line", defaultValue = "8", description = "Scanners per line. Default: ${DEFAULT-VALUE}.")
  int scannersPerLine;

  @Option(names = "--hours", defaultValue = "8", description = "Simulated hours. Default: ${DEFAULT-VALUE}.")
  double hours;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--start", defaultValue = "2026-01-05T06:00:00Z",
      description = "Event time of the start (ISO-8601 instant). Default: ${DEFAULT-VALUE}.")
  Instant start;

  @Option(names = "--out", required = true, description = "Output folder (must hold no *.avro yet).")
  Path out;

  @Option(names = "--no-chart", description = "Skip readings.png.")
  boolean noChart;

  @Override
  public Integer call() throws IOException {
    SimConfig cfg;
    try {
      if (!Double.isFinite(hours)) {
        throw new IllegalArgumentException("--hours must be finite for a written log, got " + hours);
      }
      cfg = SimConfig.defaults().withShape(lines, scannersPerLine, hours, seed)
          .withStartMillis(start.toEpochMilli());
      RecordedLogWriter.refuseExistingLog(out);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      return 2;
    }
    ProgressBar bar = new ProgressBar("simulate");
    double span = cfg.endMillis() - cfg.startMillis();
    SimulatedLog.Result result = SimulatedLog.write(cfg, out, (stats, timeMillis) ->
        bar.update((timeMillis - cfg.startMillis()) / span,
            String.format("%,d events  %d jams", stats.events(), stats.jams())));
    bar.finish(String.format("%,d events in %.1f s", result.stats().events(), bar.elapsedSeconds()));
    if (!noChart) {
      Path png = SimulationChart.write(out, result.truth(), out.resolve(SimulationChart.FILE_NAME));
      result = result.withChart(png);
    }
    printSummary(System.out, cfg, result, bar.elapsedSeconds());
    return 0;
  }

  private static void printSummary(PrintStream o, SimConfig cfg, SimulatedLog.Result r, double seconds) {
    SimStats s = r.stats();
    double deviceHours = cfg.devices() * cfg.hours();
    o.printf("simulated %d lines x %d scanners x %.1f h (seed %d) -> %s%n",
        cfg.lines(), cfg.scannersPerLine(), cfg.hours(), cfg.seed(), r.dir());
    o.printf("events      %,d (%,.0f per device-hour, %,.0f events/s wall)%n",
        s.events(), s.events() / deviceHours, s.events() / Math.max(1e-9, seconds));
    o.printf("packages    %,d%n", s.packages());
    o.printf("no-reads    %,d   heartbeats %,d   duplicates %,d   late %,d%n",
        s.count(EventType.NO_READ), s.count(EventType.HEARTBEAT), s.duplicates(), s.lateDeliveries());
    StringBuilder jams = new StringBuilder();
    for (Mechanism m : Mechanism.values()) {
      jams.append(String.format("  %s %d", m.label(), s.jams(m)));
    }
    o.printf("jams        %d:%s%n", s.jams(), jams);
    o.printf("files       %d x *.avro, %s%s%n", r.files(), JamTruth.FILE_NAME,
        r.chart() == null ? "" : ", " + r.chart().getFileName());
  }
}
