package io.jamwatch.sim;

import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Speed harness for the simulator (a benchmark, never a test): generation alone, then generation
 * plus writing the recorded log, for one shape, wall time measured once each.
 *
 * <pre>
 * java -cp target/jamwatch.jar io.jamwatch.sim.SimulatorThroughput LINES SCANNERS HOURS [OUT_DIR]
 * </pre>
 * The written log goes to OUT_DIR (default: a temporary folder, deleted afterwards).
 */
public final class SimulatorThroughput {

  /**
   * One measured run: wall seconds, and CPU seconds of the running thread (the simulator is
   * single-threaded), which on a shared machine says more about the code than the wall clock.
   */
  public record Run(String what, long events, double seconds, double cpuSeconds) {
    public double eventsPerSecond() {
      return events / seconds;
    }

    public double eventsPerCpuSecond() {
      return events / cpuSeconds;
    }

    @Override
    public String toString() {
      return String.format("%-22s %,14d events  wall %8.1f s %,11.0f events/s  thread CPU %8.1f s %,11.0f events/s",
          what, events, seconds, eventsPerSecond(), cpuSeconds, eventsPerCpuSecond());
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static double cpu() {
    return THREADS.getCurrentThreadCpuTime() / 1e9;
  }

  private SimulatorThroughput() {}

  /** Generates every event of {@code cfg} and drops it. */
  public static Run generate(SimConfig cfg) {
    long t0 = System.nanoTime();
    double c0 = cpu();
    long n = 0;
    long sink = 0;
    Iterator<ScannerEvent> it = new Simulator(cfg).events();
    while (it.hasNext()) {
      sink += it.next().getReadings().size();
      n++;
    }
    double s = (System.nanoTime() - t0) / 1e9;
    double c = cpu() - c0;
    if (sink < 0) {
      throw new IllegalStateException("unreachable: keeps the JIT from dropping the loop");
    }
    return new Run("generate", n, s, c);
  }

  /** Generates and writes the recorded log of {@code cfg} into {@code dir}. */
  public static Run generateAndWrite(SimConfig cfg, Path dir) {
    long t0 = System.nanoTime();
    double c0 = cpu();
    SimulatedLog.Result r = SimulatedLog.write(cfg, dir, null);
    return new Run("generate + write log", r.stats().events(), (System.nanoTime() - t0) / 1e9, cpu() - c0);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: SimulatorThroughput LINES SCANNERS_PER_LINE HOURS [OUT_DIR]");
      System.exit(2);
    }
    SimConfig cfg = SimConfig.defaults().withShape(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Double.parseDouble(args[2]), 42);
    boolean temp = args.length < 4;
    Path dir = temp ? Files.createTempDirectory("jamwatch-sim-bench") : Path.of(args[3]);
    System.out.printf("shape: %d lines x %d scanners = %d devices, %.1f h; %d cores, java %s%n",
        cfg.lines(), cfg.scannersPerLine(), cfg.devices(), cfg.hours(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    Run g = generate(cfg);
    System.out.println(g);
    Run w = generateAndWrite(cfg, dir);
    System.out.println(w);
    System.out.printf("log size: %,d bytes (%.1f bytes/event)%n", size(dir), size(dir) / (double) w.events());
    if (temp) {
      delete(dir);
    }
  }

  private static long size(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
