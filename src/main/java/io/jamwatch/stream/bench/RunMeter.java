package io.jamwatch.stream.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Watches one run: samples the topology's processed-events counter every 10 ms and measures the
 * window from 10 % to 100 % of the input (start-up, rebalance and restore stay outside), with the
 * CPU time of the stream threads (ThreadMXBean, threads named {@code <client.id>[-...]-StreamThread-*}),
 * of this whole JVM and of the broker process over the same window. Prints a progress line every 5 s.
 */
final class RunMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long STALL_NANOS = Duration.ofMinutes(3).toNanos();

  /**
   * What one run measured over its window. {@code streamThreads}: the client's live stream threads
   * found at the end (their CPU is {@code streamCpuNanos}; a very short window can read 0 ns where
   * the OS accounts CPU time in 10 ms ticks).
   */
  record Window(long events, double seconds, long streamCpuNanos, long jvmCpuNanos, long brokerCpuNanos, int streamThreads) {
    double eventsPerSecond() {
      return events / seconds;
    }

    double streamCpuMicrosPerEvent() {
      return streamCpuNanos / 1e3 / events;
    }

    double jvmCpuMicrosPerEvent() {
      return jvmCpuNanos / 1e3 / events;
    }

    double brokerCpuMicrosPerEvent() {
      return brokerCpuNanos < 0 ? Double.NaN : brokerCpuNanos / 1e3 / events;
    }
  }

  private RunMeter() {}

  static Window await(
      LongSupplier processed, long n, String clientId, LongSupplier brokerCpu, PrintStream console, String label)
      throws InterruptedException {
    String prefix = clientId + "-";
    long start = System.nanoTime();
    long t10 = 0;
    long cpu10 = 0;
    long jvm10 = 0;
    long broker10 = 0;
    long lastDone = -1;
    long lastChange = start;
    long lastPrint = start;
    long printedDone = 0;
    long printedAt = start;
    while (true) {
      Thread.sleep(10);
      long done = processed.getAsLong();
      long now = System.nanoTime();
      if (done != lastDone) {
        lastDone = done;
        lastChange = now;
      } else if (now - lastChange > STALL_NANOS) {
        throw new IllegalStateException(label + ": no progress for 3 minutes at " + done + " of " + n + " events");
      }
      if (t10 == 0 && done >= n / 10) {
        t10 = now;
        cpu10 = streamCpu(prefix);
        jvm10 = jvmCpu();
        broker10 = brokerCpu.getAsLong();
      }
      if (done >= n) {
        long cpu = streamCpu(prefix) - cpu10;
        long jvm = jvmCpu() - jvm10;
        long b = brokerCpu.getAsLong();
        long events = done - n / 10;
        return new Window(events, (now - t10) / 1e9, cpu, jvm, broker10 < 0 || b < 0 ? -1 : b - broker10,
            streamThreads(prefix));
      }
      if (now - lastPrint >= 5_000_000_000L) {
        double rate = (done - printedDone) / ((now - printedAt) / 1e9);
        console.printf(Locale.ROOT, "  %s: %3.0f%% (%,d of %,d events), %,.0f events/s%n", label, 100.0 * done / n, done, n, rate);
        lastPrint = now;
        printedDone = done;
        printedAt = now;
      }
    }
  }

  /** The live stream threads of one client. */
  static int streamThreads(String prefix) {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.getName().contains("-StreamThread-")) n++;
    }
    return n;
  }

  /** CPU time of the live stream threads of one client (ns). */
  static long streamCpu(String prefix) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.getName().contains("-StreamThread-")) {
        long c = THREADS.getThreadCpuTime(t.getId());
        if (c > 0) sum += c;
      }
    }
    return sum;
  }

  static long jvmCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
