package io.jamwatch.stream.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark report says about the machine it ran on (Linux /proc where present). */
final class MachineInfo {
  private MachineInfo() {}

  static String describe() {
    String cpu = "unknown CPU";
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (Exception e) {
      // not Linux: keep "unknown CPU"
    }
    return String.format("%s, %d cores, %d MiB heap max, %s %s", cpu, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"));
  }

  /** The 1-, 5- and 15-minute load averages, or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }
}
