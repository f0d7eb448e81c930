package io.jamwatch.web;

import io.jamwatch.avro.JamAlert;

import static io.jamwatch.web.Records.cleared;
import static io.jamwatch.web.Records.event;
import static io.jamwatch.web.Records.raised;
import static io.jamwatch.web.Records.reason;
import static io.jamwatch.web.Records.risk;
import static io.jamwatch.web.Records.stale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardViewTest {

  private static final long T0 = 1_700_000_000_000L;

  private final DashboardView view = new DashboardView(
      DashboardConfig.defaults().withHistory(Duration.ofMinutes(10), 600).withLimits(2, 3));

  @Test
  void groupsDevicesIntoLinesInIdOrderWithTheirCurrentRisk() {
    view.onRisk(risk("L02-S01", "L02", T0, 0.1f, false));
    view.onRisk(risk("L01-S02", "L01", T0, 0.2f, false));
    view.onRisk(risk("L01-S01", "L01", T0, 0.3f, true));
    view.onRisk(risk("L01-S01", "L01", T0 + 1000, 0.4f, false));

    List<DashboardView.LineView> lines = view.lines();
    assertEquals(List.of("L01", "L02"), lines.stream().map(DashboardView.LineView::lineId).toList());
    DashboardView.Tile s1 = lines.get(0).devices().get(0);
    assertEquals("L01-S01", s1.deviceId());
    assertEquals(0.4f, s1.score());
    assertFalse(s1.warming());
    assertEquals(T0 + 1000, s1.eventTime());
    assertEquals("L01-S02", lines.get(0).devices().get(1).deviceId());
  }

  @Test
  void marksWarmingAndStaleAndClearsStaleOnTheNextScore() {
    view.markLive();
    view.onRisk(risk("L01-S01", "L01", T0, 0.3f, true));
    assertTrue(view.devices().get(0).warming());
    view.onAlert(stale("L01-S01", "L01", T0 + 60_000));
    assertTrue(view.devices().get(0).stale());
    view.onRisk(risk("L01-S01", "L01", T0 + 61_000, 0.3f, false));
    assertFalse(view.devices().get(0).stale());
    assertFalse(view.devices().get(0).warming());
  }

  @Test
  void opensAndClearsAlertsKeepingTheirReasonsAndThePeakWhileOpen() {
    view.onRisk(risk("L01-S01", "L01", T0, 0.8f, false));
    view.onAlert(raised("L01-S01", "L01", T0, 0.8f, List.of(reason("vibration_rms", 0.31f), reason("gap_ms", 0.12f))));
    view.onRisk(risk("L01-S01", "L01", T0 + 1000, 0.95f, false));
    view.onRisk(risk("L01-S01", "L01", T0 + 2000, 0.85f, false));

    DashboardView.Alerts a = view.alerts();
    assertEquals(1, a.open().size());
    DashboardView.AlertView open = a.open().get(0);
    assertEquals(0.95f, open.peak());
    assertEquals(List.of(new DashboardView.Reason("vibration_rms", 0.31f), new DashboardView.Reason("gap_ms", 0.12f)), open.reasons());
    assertTrue(view.devices().get(0).alertOpen());

    view.onAlert(cleared("L01-S01", "L01", T0, T0 + 30_000, 0.2f, 0.95f));
    a = view.alerts();
    assertTrue(a.open().isEmpty());
    assertEquals(1, a.cleared().size());
    assertEquals(30_000, a.cleared().get(0).durationMillis());
    assertEquals(T0 + 30_000, a.cleared().get(0).clearedAt());
    assertEquals("vibration_rms", a.cleared().get(0).reasons().get(0).group(), "reasons of the raise stay on the cleared alert");
    assertFalse(view.devices().get(0).alertOpen());
    DashboardView.Span span = view.history("L01-S01").orElseThrow().alerts().get(0);
    assertEquals(new DashboardView.Span(T0, T0 + 30_000, 0.95f), span);
  }

  @Test
  void holdsAStaleReadWhileCatchingUpSoThatOlderScoresCannotClearIt() {
    view.onRisk(risk("L01-S01", "L01", T0, 0.3f, false));
    view.onAlert(stale("L01-S01", "L01", T0 + 120_000));
    view.onRisk(risk("L01-S01", "L01", T0 + 1000, 0.3f, false)); // backlog from the other topic
    assertFalse(view.devices().get(0).stale());
    view.markLive();
    assertTrue(view.devices().get(0).stale());
    view.onRisk(risk("L01-S01", "L01", T0 + 200_000, 0.3f, false));
    assertFalse(view.devices().get(0).stale());
  }

  @Test
  void keepsOnlyTheMostRecentClearedAlerts() {
    for (int i = 0; i < 4; i++) {
      long t = T0 + i * 60_000L;
      view.onAlert(raised("L01-S01", "L01", t, 0.9f, List.of()));
      view.onAlert(cleared("L01-S01", "L01", t, t + 1000, 0.1f, 0.9f));
    }
    List<DashboardView.AlertView> c = view.alerts().cleared();
    assertEquals(2, c.size());
    assertEquals(T0 + 3 * 60_000L, c.get(0).raisedAt(), "most recent first");
  }

  @Test
  void listsClearedAlertsByClearTimeWhateverTheOrderTheyArrive() {
    view.onAlert(cleared("L01-S01", "L01", T0, T0 + 5000, 0.1f, 0.9f));
    view.onAlert(cleared("L01-S02", "L01", T0, T0 + 9000, 0.1f, 0.9f));
    view.onAlert(cleared("L01-S03", "L01", T0, T0 + 7000, 0.1f, 0.9f)); // over the bound of 2
    assertEquals(List.of("L01-S02", "L01-S03"),
        view.alerts().cleared().stream().map(DashboardView.AlertView::deviceId).toList());
  }

  @Test
  void historyKeepsTheWindowBackFromTheNewestEventWithReadings() {
    for (int i = 0; i <= 20; i++) {
      long t = T0 + i * 60_000L; // one per minute for 20 minutes, window is 10
      view.onRisk(risk("L01-S01", "L01", t, i / 20f, false));
      view.onEvent(event("L01-S01", "L01", t, Map.of("gap_ms", (float) i, "vibration_rms", Float.NaN)));
    }
    DashboardView.History h = view.history("L01-S01").orElseThrow();
    assertEquals(T0 + 20 * 60_000L, h.windowEnd());
    assertEquals(T0 + 10 * 60_000L, h.windowStart());
    assertEquals(11, h.risk().t().length);
    assertEquals(T0 + 10 * 60_000L, h.risk().t()[0]);
    assertEquals(1f, h.risk().v()[10]);
    assertEquals(List.of("gap_ms"), List.copyOf(h.readings().keySet()), "NaN readings are left out");
    assertEquals(11, h.readings().get("gap_ms").t().length);
    assertEquals(21, view.status().invalidValues());
  }

  @Test
  void boundsTheNumberOfTrackedDevicesAndCountsTheRest() {
    for (int i = 0; i < 5; i++) view.onRisk(risk("L01-S0" + i, "L01", T0, 0.1f, false));
    assertEquals(3, view.devices().size());
    assertEquals(2, view.status().untrackedDevices());
  }

  @Test
  void unknownDeviceHasNoHistoryAndADeviceWithOnlyReadingsHasNoScore() {
    assertTrue(view.history("nope").isEmpty());
    view.onEvent(event("L09-S01", "L09", T0, Map.of("gap_ms", 3f)));
    assertNull(view.devices().get(0).score());
  }

  @Test
  void awaitChangeReturnsAsSoonAsTheViewChanges() throws Exception {
    long v0 = view.version();
    Thread writer = new Thread(() -> view.onRisk(risk("L01-S01", "L01", T0, 0.5f, false)));
    writer.start();
    long v1 = view.awaitChange(v0, 10_000);
    writer.join();
    assertTrue(v1 > v0);
    assertEquals(v1, view.awaitChange(v0 - 1, 10), "a stale version returns at once");
  }

  @Test
  void marksClearedAlertsWithTheirOutcomeAndTalliesTodaysTrueAndFalseAlertsPerLine() {
    view.onRisk(risk("L01-S01", "L01", T0, 0.8f, false));
    view.onRisk(risk("L02-S01", "L02", T0, 0.8f, false));
    // L01: the jam comes while the alert is open (outcome before the clear).
    view.onAlert(raised("L01-S01", "L01", T0, 0.8f, List.of()));
    view.onAlert(Records.outcome("L01-S01", "L01", T0, T0 + 70_000, 70_000));
    assertEquals(70_000L, view.alerts().open().get(0).outcome().leadMillis());
    view.onAlert(cleared("L01-S01", "L01", T0, T0 + 90_000, 0.2f, 0.9f));
    // L02: cleared first, then the horizon passes without a jam.
    view.onAlert(raised("L02-S01", "L02", T0, 0.8f, List.of()));
    view.onAlert(cleared("L02-S01", "L02", T0, T0 + 10_000, 0.2f, 0.8f));
    assertNull(view.alerts().cleared().stream().filter(a -> a.lineId().equals("L02")).findFirst().get().outcome());
    view.onAlert(Records.outcome("L02-S01", "L02", T0, T0 + 121_000, -1));
    view.onAlert(Records.outcome("L02-S01", "L02", T0, T0 + 121_000, -1)); // replayed: counted once

    DashboardView.Alerts a = view.alerts();
    DashboardView.AlertView l1 = a.cleared().stream().filter(x -> x.lineId().equals("L01")).findFirst().get();
    DashboardView.AlertView l2 = a.cleared().stream().filter(x -> x.lineId().equals("L02")).findFirst().get();
    assertTrue(l1.outcome().jamFollowed());
    assertEquals(70_000L, l1.outcome().leadMillis());
    assertFalse(l2.outcome().jamFollowed());
    assertNull(l2.outcome().leadMillis());
    assertEquals(List.of(new DashboardView.LineTally("L01", Math.floorDiv(T0, 86_400_000L) * 86_400_000L, 1, 0),
        new DashboardView.LineTally("L02", Math.floorDiv(T0, 86_400_000L) * 86_400_000L, 0, 1)), a.outcomes());
  }

  @Test
  void showsTheHorizonARaisedAlertFiredOnWhileOpenAndAfterItClears() {
    view.onRisk(risk("L01-S01", "L01", T0, 0.8f, false));
    JamAlert r = JamAlert.newBuilder(raised("L01-S01", "L01", T0, 0.8f, List.of())).setHorizonMillis(600_000L).build();
    view.onAlert(r);
    assertEquals(600_000L, view.alerts().open().get(0).horizonMillis());
    view.onAlert(cleared("L01-S01", "L01", T0, T0 + 90_000, 0.2f, 0.9f)); // a CLEARED names no horizon itself
    assertEquals(600_000L, view.alerts().cleared().get(0).horizonMillis());
  }
}
