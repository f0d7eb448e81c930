package io.jamwatch.logs;

import static io.jamwatch.logs.Events.event;
import static io.jamwatch.logs.Events.scan;
import static io.jamwatch.logs.Labeller.CENSORED;
import static io.jamwatch.logs.Labeller.IN_JAM;
import static io.jamwatch.logs.Labeller.NEGATIVE;
import static io.jamwatch.logs.Labeller.POSITIVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabellerTest {

  private static final String D = "L01-S01";
  private static final long H = 120_000;
  private static final long END = 10_000_000;

  private static ScannerEvent jam(long t) {
    return event(D, t, EventType.JAM);
  }

  private static ScannerEvent cleared(long t) {
    return event(D, t, EventType.JAM_CLEARED);
  }

  @Test
  void labelsEventsWithinHorizonBeforeJamPositive() {
    List<ScannerEvent> ev = List.of(scan(D, 100_000), scan(D, 200_000), scan(D, 300_000), jam(320_000),
        cleared(400_000));
    // 200_000 -> jam in 120 s exactly (inclusive), 100_000 -> 220 s: negative.
    assertArrayEquals(new byte[] {NEGATIVE, POSITIVE, POSITIVE, IN_JAM, IN_JAM}, Labeller.label(ev, H, END));
  }

  @Test
  void excludesEventsBetweenJamAndJamCleared() {
    List<ScannerEvent> ev = List.of(scan(D, 1_000_000), jam(1_050_000), event(D, 1_060_000, EventType.HEARTBEAT),
        event(D, 1_070_000, EventType.NO_READ), cleared(1_100_000), scan(D, 1_110_000));
    assertArrayEquals(new byte[] {POSITIVE, IN_JAM, IN_JAM, IN_JAM, IN_JAM, NEGATIVE}, Labeller.label(ev, H, END));
  }

  @Test
  void censorsEventsWhoseHorizonRunsPastLogEnd() {
    long end = 1_000_000;
    List<ScannerEvent> ev = List.of(scan(D, 800_000), scan(D, 880_000), scan(D, 880_001), scan(D, 990_000));
    // 880_000 + 120_000 = end exactly: the log still covers the horizon.
    assertArrayEquals(new byte[] {NEGATIVE, NEGATIVE, CENSORED, CENSORED}, Labeller.label(ev, H, end));
  }

  @Test
  void jamWithinHorizonIsPositiveEvenWhenHorizonRunsPastLogEnd() {
    long end = 1_000_000;
    List<ScannerEvent> ev = List.of(scan(D, 950_000), jam(960_000));
    assertArrayEquals(new byte[] {POSITIVE, IN_JAM}, Labeller.label(ev, H, end));
  }

  @Test
  void labelsEachOfMultipleJamsFromItsOwnTime() {
    List<ScannerEvent> ev = List.of(
        scan(D, 0), scan(D, 100_000), jam(110_000), cleared(200_000),
        scan(D, 210_000), scan(D, 500_000), scan(D, 600_000), jam(650_000), cleared(700_000),
        scan(D, 710_000));
    assertArrayEquals(new byte[] {POSITIVE, POSITIVE, IN_JAM, IN_JAM,
        NEGATIVE, NEGATIVE, POSITIVE, IN_JAM, IN_JAM, NEGATIVE}, Labeller.label(ev, H, END));
  }

  @Test
  void deviceWithNoJamIsNegativeUpToTheCensoredTail() {
    long end = 1_000_000;
    List<ScannerEvent> ev = List.of(scan(D, 0), event(D, 400_000, EventType.HEARTBEAT), scan(D, 900_000));
    assertArrayEquals(new byte[] {NEGATIVE, NEGATIVE, CENSORED}, Labeller.label(ev, H, end));
  }

  @Test
  void jamNeverClearedKeepsTheRestInJam() {
    List<ScannerEvent> ev = List.of(scan(D, 0), jam(1_000), event(D, 5_000, EventType.HEARTBEAT));
    assertArrayEquals(new byte[] {POSITIVE, IN_JAM, IN_JAM}, Labeller.label(ev, H, END));
  }

  @Test
  void logStartingMidJamExcludesEventsUpToTheClear() {
    List<ScannerEvent> ev = List.of(event(D, 0, EventType.HEARTBEAT), cleared(1_000), scan(D, 2_000));
    // Without the JAM we cannot know the first heartbeat was in a stop; only the clear itself is excluded.
    assertArrayEquals(new byte[] {NEGATIVE, IN_JAM, NEGATIVE}, Labeller.label(ev, H, END));
  }

  @Test
  void emptyDeviceGivesNoLabels() {
    assertArrayEquals(new byte[0], Labeller.label(List.of(), H, END));
  }

  @Test
  void refusesNonPositiveHorizon() {
    assertThrows(IllegalArgumentException.class, () -> Labeller.label(List.of(), 0, END));
  }
}
