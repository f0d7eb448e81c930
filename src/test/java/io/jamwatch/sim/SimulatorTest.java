package io.jamwatch.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {

  /** One clean run shared by the physics tests: 2 lines x 6 scanners x 6 h, no sensor faults. */
  private static final SimConfig CLEAN = SimConfig.defaults().withShape(2, 6, 6, 7).withoutFaults();
  private static List<ScannerEvent> clean;
  private static List<JamTruth> cleanTruth;
  private static SimStats cleanStats;

  @BeforeAll
  static void runCleanSimulation() {
    Simulator sim = new Simulator(CLEAN);
    clean = new ArrayList<>();
    sim.events().forEachRemaining(clean::add);
    cleanTruth = sim.truth();
    cleanStats = sim.stats();
  }

  private static long time(ScannerEvent e) {
    return e.getEventTime().toEpochMilli();
  }

  private static List<ScannerEvent> device(String id) {
    return clean.stream().filter(e -> e.getDeviceId().equals(id)).toList();
  }

  private static double mean(List<ScannerEvent> events, String reading, long from, long to) {
    return events.stream().filter(e -> time(e) >= from && time(e) < to)
        .filter(e -> e.getType() == EventType.PACKAGE_SCANNED && e.getReadings().containsKey(reading))
        .mapToDouble(e -> e.getReadings().get(reading)).average().orElse(Double.NaN);
  }

  private static double medianAbs(List<ScannerEvent> events, String reading, long from, long to) {
    double[] v = events.stream().filter(e -> time(e) >= from && time(e) < to)
        .filter(e -> e.getReadings().containsKey(reading))
        .mapToDouble(e -> Math.abs(e.getReadings().get(reading))).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  @Test
  void sameConfigAndSeedGiveByteIdenticalFiles(@TempDir Path dir) throws IOException {
    SimConfig cfg = SimConfig.defaults().withShape(2, 3, 1.5, 11);
    SimulatedLog.write(cfg, dir.resolve("a"), null);
    SimulatedLog.write(cfg, dir.resolve("b"), null);
    SimulatedLog.write(cfg.withShape(2, 3, 1.5, 12), dir.resolve("c"), null);
    List<String> names;
    try (Stream<Path> s = Files.list(dir.resolve("a"))) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("L01.avro", "L02.avro", "jams.csv", "sim-config.json"), names);
    for (String n : names) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(n)), Files.readAllBytes(dir.resolve("b").resolve(n)), n);
    }
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/L01.avro")),
        Files.readAllBytes(dir.resolve("c/L01.avro"))), "another seed must give another log");
  }

  @Test
  void yieldsEventsIncrementallyFromAnEndlessFeed() {
    Simulator sim = new Simulator(SimConfig.defaults().withShape(3, 4, Double.POSITIVE_INFINITY, 1));
    Iterator<ScannerEvent> it = sim.events();
    long last = Long.MIN_VALUE;
    for (int i = 0; i < 20_000; i++) {
      assertTrue(it.hasNext());
      last = Math.max(last, time(it.next()));
    }
    assertTrue(last > SimConfig.DEFAULT_START_MILLIS, "time advances");
  }

  @Test
  void runsOnlyOnce() {
    Simulator sim = new Simulator(SimConfig.defaults().withShape(1, 1, 0.01, 1));
    sim.events();
    assertThrows(IllegalStateException.class, sim::events);
  }

  @Test
  void withoutFaultsEventTimesNeverGoBackwards() {
    for (int i = 1; i < clean.size(); i++) {
      assertTrue(time(clean.get(i - 1)) <= time(clean.get(i)), "event " + i);
    }
  }

  @Test
  void everyEventHasAUniqueIdWithoutFaults() {
    Set<String> ids = new HashSet<>();
    for (ScannerEvent e : clean) {
      assertTrue(ids.add(e.getEventId()), "duplicate id " + e.getEventId());
    }
  }

  @Test
  void packagesFlowFromEachScannerToTheNextAfterATransit() {
    // Package lengths seen at S01 reappear, in the same order, at S02 about 4 s later.
    List<ScannerEvent> s1 = device("L01-S01").stream().filter(e -> e.getType() == EventType.PACKAGE_SCANNED).toList();
    List<ScannerEvent> s2 = device("L01-S02").stream().filter(e -> e.getType() == EventType.PACKAGE_SCANNED).toList();
    int matched = 0;
    for (ScannerEvent a : s1.subList(0, 300)) {
      float len = a.getReadings().get(Readings.PACKAGE_LENGTH_MM);
      // Transit: 6 m at 1.5 m/s +- a few percent of line speed.
      boolean found = s2.stream()
          .filter(b -> time(b) >= time(a) + 3_500 && time(b) <= time(a) + 4_500)
          .anyMatch(b -> Math.abs(b.getReadings().get(Readings.PACKAGE_LENGTH_MM) - len) < 15);
      if (found) {
        matched++;
      }
    }
    // NO_READs at S02 and packages removed at stops account for the few unmatched ones.
    assertTrue(matched > 270, "matched " + matched + " of 300");
  }

  @Test
  void jamStopsTheWholeLineUntilCleared() {
    assertFalse(cleanTruth.isEmpty());
    for (JamTruth j : cleanTruth) {
      if (j.clearTime() == -1) {
        continue;
      }
      long packagesDuringStop = clean.stream()
          .filter(e -> e.getLineId().equals(j.lineId()) && time(e) > j.jamTime() + 100 && time(e) < j.clearTime() - 100)
          .filter(e -> e.getType() == EventType.PACKAGE_SCANNED || e.getType() == EventType.NO_READ)
          .count();
      assertEquals(0, packagesDuringStop, "packages while " + j + " stopped the line");
      long heartbeats = clean.stream()
          .filter(e -> e.getDeviceId().equals(j.deviceId()) && time(e) > j.jamTime() && time(e) < j.clearTime())
          .filter(e -> e.getType() == EventType.HEARTBEAT).count();
      assertTrue(heartbeats >= (j.clearTime() - j.jamTime()) / 10_000 - 1, "heartbeats during " + j);
    }
  }

  @Test
  void truthMatchesTheJamEventsOfTheLog() {
    List<ScannerEvent> jams = clean.stream().filter(e -> e.getType() == EventType.JAM).toList();
    assertEquals(jams.size(), cleanTruth.size());
    for (int i = 0; i < jams.size(); i++) {
      assertEquals(jams.get(i).getDeviceId(), cleanTruth.get(i).deviceId());
      assertEquals(time(jams.get(i)), cleanTruth.get(i).jamTime());
    }
    Map<String, Long> byMechanism = new HashMap<>();
    cleanTruth.forEach(j -> byMechanism.merge(j.mechanism(), 1L, Long::sum));
    for (Mechanism m : Mechanism.values()) {
      assertTrue(cleanStats.jams(m) > 0, "no " + m + " jam in 72 device-hours");
      assertEquals(cleanStats.jams(m), byMechanism.getOrDefault(m.label(), 0L), m.label());
    }
  }

  @Test
  void wearJamsArePrecededByCreepingCurrentAndVibration() {
    int checked = 0;
    for (JamTruth j : cleanTruth) {
      if (!j.mechanism().equals(JamTruth.WEAR)) {
        continue;
      }
      List<ScannerEvent> d = device(j.deviceId());
      double early = mean(d, Readings.MOTOR_CURRENT_A, j.precursorStart(), j.precursorStart() + 120_000);
      double late = mean(d, Readings.MOTOR_CURRENT_A, j.jamTime() - 120_000, j.jamTime());
      double vEarly = mean(d, Readings.VIBRATION_RMS, j.precursorStart(), j.precursorStart() + 120_000);
      double vLate = mean(d, Readings.VIBRATION_RMS, j.jamTime() - 120_000, j.jamTime());
      assertTrue(late - early > 0.8, j + ": current " + early + " -> " + late);
      assertTrue(vLate - vEarly > 0.6, j + ": vibration " + vEarly + " -> " + vLate);
      checked++;
    }
    assertTrue(checked > 0);
  }

  @Test
  void wobbleJamsFollowAWobbleThatSettledMinutesBefore() {
    int checked = 0;
    for (JamTruth j : cleanTruth) {
      if (!j.mechanism().equals(JamTruth.WOBBLE)) {
        continue;
      }
      List<ScannerEvent> d = device(j.deviceId());
      long p = j.precursorStart();
      double wobbling = medianAbs(d, Readings.LATERAL_OFFSET_MM, p + 5_000, p + 20_000);
      // The wobble ended at least 2 min before a drift of at most 2 min: [jam-4min, jam-2min) is quiet.
      double quiet = medianAbs(d, Readings.LATERAL_OFFSET_MM, j.jamTime() - 240_000, j.jamTime() - 120_000);
      assertTrue(wobbling > 10, j + ": wobble |offset| median " + wobbling);
      assertTrue(quiet < 7, j + ": quiet |offset| median " + quiet);
      assertTrue(j.jamTime() - p > 3 * 60_000, j + ": jam follows the wobble by minutes");
      checked++;
    }
    assertTrue(checked > 0);
  }

  @Test
  void accumulationJamsArePrecededByShrinkingGaps() {
    int checked = 0;
    for (JamTruth j : cleanTruth) {
      if (!j.mechanism().equals(JamTruth.ACCUMULATION)) {
        continue;
      }
      List<ScannerEvent> d = device(j.deviceId());
      double before = mean(d, Readings.GAP_MS, j.precursorStart() - 120_000, j.precursorStart());
      double last = mean(d, Readings.GAP_MS, j.jamTime() - 20_000, j.jamTime());
      if (Double.isNaN(before)) {
        continue; // the line was stopped right before the surge
      }
      assertTrue(last < 0.3 * before, j + ": gap " + before + " -> " + last);
      checked++;
    }
    assertTrue(checked > 0);
  }

  @Test
  void labellerMarksTheHorizonBeforeEverySimulatedJamAndExcludesTheStop() {
    long logEnd = CLEAN.endMillis();
    for (String deviceId : cleanTruth.stream().map(JamTruth::deviceId).distinct().toList()) {
      List<ScannerEvent> d = device(deviceId);
      byte[] labels = io.jamwatch.logs.Labeller.label(d, 120_000, logEnd);
      for (JamTruth j : cleanTruth) {
        if (!j.deviceId().equals(deviceId)) {
          continue;
        }
        long positives = 0;
        for (int i = 0; i < d.size(); i++) {
          long t = time(d.get(i));
          if (t >= j.jamTime() - 120_000 && t < j.jamTime() && labels[i] == io.jamwatch.logs.Labeller.POSITIVE) {
            positives++;
          }
          if (t >= j.jamTime() && (j.clearTime() == -1 || t <= j.clearTime())) {
            assertEquals(io.jamwatch.logs.Labeller.IN_JAM, labels[i], j + " at " + t);
          }
        }
        // Unless another stop of the line filled the horizon, the device scanned packages before its jam.
        assertTrue(positives > 0 || anotherStopBefore(j), "no positive before " + j);
      }
    }
  }

  private static boolean anotherStopBefore(JamTruth j) {
    return cleanTruth.stream().anyMatch(o -> o != j && o.lineId().equals(j.lineId())
        && o.clearTime() >= j.jamTime() - 120_000 && o.jamTime() < j.jamTime());
  }

  @Test
  void defaultFaultsAreBoundedAndPresent() {
    Simulator sim = new Simulator(SimConfig.defaults().withShape(1, 8, 2, 3));
    Set<String> ids = new HashSet<>();
    Map<String, Long> lastTime = new HashMap<>();
    long dup = 0, backwards = 0, n = 0, missing = 0;
    for (Iterator<ScannerEvent> it = sim.events(); it.hasNext(); ) {
      ScannerEvent e = it.next();
      n++;
      if (!ids.add(e.getEventId())) {
        dup++;
      }
      Long prev = lastTime.put(e.getDeviceId(), time(e));
      if (prev != null && time(e) < prev) {
        backwards++;
      }
      if (e.getType() == EventType.PACKAGE_SCANNED && e.getReadings().size() < Readings.ALL.size()) {
        missing++;
      }
    }
    assertEquals(dup, sim.stats().duplicates());
    assertTrue(dup > 0 && dup < 0.01 * n, "duplicates " + dup + " of " + n);
    assertTrue(backwards > 0 && backwards < 0.02 * n, "late " + backwards + " of " + n);
    assertTrue(missing > 0, "some readings missing");
  }

  @Test
  void configRejectsNonsenseNamingTheParameter() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SimConfig.defaults().withShape(0, 8, 8, 1));
    assertTrue(e.getMessage().contains("lines"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SimConfig.defaults().withShape(1, 8, -1, 1));
    assertTrue(e.getMessage().contains("hours"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SimConfig.defaults().withJamRates(-1, 0, 0, 0));
    assertTrue(e.getMessage().contains("wearPerDeviceHour"), e.getMessage());
  }
}
