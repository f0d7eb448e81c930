package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.AlertState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertMetricsTest {

  private static final long MIN = 60_000L;
  /** Raise at the first event at or above the threshold, clear below it, 5 minutes' cooldown. */
  private static AlertPolicy policy(int minEvents, long cooldown) {
    return new AlertPolicy(0.5f, 0.5f, minEvents, 0, cooldown);
  }

  private static final AlertMetrics.AlertRule RULE = new AlertMetrics.AlertRule(10 * MIN, policy(1, 5 * MIN), 1.0);

  /**
   * One device, one event per minute for 120 minutes (2 device-hours - 1 minute = 119 min span).
   * Jam ("wear") at minute 60, cleared at 65 (events 60..65 in jam). Scores:
   * 0.9 at minutes 10-11 (episode A, far from the jam: false alarm),
   * 0.9 at 52-54, 0.1 at 55, 0.9 at 56-58 (episode B raised at 52, cleared at 55; the re-raise at
   * 56-58 is held back by the 5-minute cooldown), 0.9 at 62 (raised inside the jam: counts for
   * nothing), 0.9 at 100 (episode C: false alarm), else 0.1.
   */
  private static DeviceTrace device() {
    int n = 120;
    long[] t = new long[n];
    float[] s = new float[n];
    boolean[] in = new boolean[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * MIN;
      s[i] = 0.1f;
      in[i] = i >= 60 && i <= 65;
    }
    for (int i : new int[] {10, 11, 52, 53, 54, 56, 57, 58, 62, 100}) {
      s[i] = 0.9f;
    }
    return new DeviceTrace("d1", t, s, in, List.of(new DeviceTrace.Jam(60 * MIN, 65 * MIN, "wear")));
  }

  @Test
  void episodesFollowThePolicysCooldownAndSkipRaisesInJams() {
    List<long[]> e = AlertMetrics.episodes(device(), RULE.at(0.5));
    assertEquals(3, e.size());
    assertEquals(10 * MIN, e.get(0)[0]);
    assertEquals(12 * MIN, e.get(0)[1]);
    assertEquals(52 * MIN, e.get(1)[0]); // cleared at 55; 56..58 within the 5-min cooldown: no raise
    assertEquals(55 * MIN, e.get(1)[1]);
    assertEquals(100 * MIN, e.get(2)[0]); // the raise at 62 (in the jam) is not an alert
  }

  @Test
  void replaysTheSamePolicyObjectAsTheStreamEventByEvent() {
    // The metrics' episodes are exactly the RAISED/CLEARED transitions of AlertPolicy.apply.
    AlertPolicy p = new AlertPolicy(0.5f, 0.3f, 2, 60_000, 3 * MIN, 4);
    DeviceTrace d = device();
    AlertState s = new AlertState();
    java.util.List<Long> raised = new java.util.ArrayList<>();
    for (int i = 0; i < d.times().length; i++) {
      if (p.apply(s, d.scores()[i], d.times()[i], false) == AlertPolicy.Transition.RAISED && !d.inJam()[i]) {
        raised.add(d.times()[i]);
      }
    }
    assertEquals(raised, AlertMetrics.episodes(d, p).stream().map(x -> x[0]).toList());
  }

  @Test
  void minEventsAboveDelayTheRaiseAndShortenTheLead() {
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(device()), 0.5,
        new AlertMetrics.AlertRule(10 * MIN, policy(3, 5 * MIN), 1.0));
    // B: above at 52, 53, 54 -> raised at 54 (third event): lead 6 min. A (2 events) and C (1) never raise.
    assertEquals(1, o.alerts());
    assertEquals(0, o.falseAlarms());
    assertEquals(6 * MIN, o.caught().get(0).leadMillis());
  }

  @Test
  void noRaiseWhileWarmingAndNothingCountsBeforeTheMeasuredSpan() {
    DeviceTrace d = device();
    boolean[] warm = new boolean[d.times().length];
    for (int i = 0; i < 20; i++) {
      warm[i] = true;
    }
    DeviceTrace warming = new DeviceTrace("d1", "L1", d.times(), d.scores(), warm, d.inJam(), Long.MIN_VALUE, d.jams());
    assertEquals(2, AlertMetrics.evaluate(List.of(warming), 0.5, RULE).alerts()); // A (minute 10) held back
    DeviceTrace late = new DeviceTrace("d1", "L1", d.times(), d.scores(), new boolean[d.times().length], d.inJam(),
        70 * MIN, d.jams());
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(late), 0.5, RULE);
    assertEquals(0, o.jams()); // the jam at 60 is before the span
    assertEquals(1, o.alerts()); // C only
    assertEquals(49 / 60.0, o.deviceHours(), 1e-12);
  }

  @Test
  void operatingPointsCountFalseAlarmsPerDeviceDayLineShiftAndDeviceHour() {
    // d1 as above (2 false alarms at 0.5, none at 0.95) plus 15 quiet devices: 16 x 119 min = 31.7
    // device-hours. Device-day allows 1.32 false alarms, device-hour 31.7. Line-shift: with each
    // device on its own line 16 x 1.98 line-hours / 8 = 3.97 allowed; all on one line, 0.248.
    for (boolean ownLines : new boolean[] {true, false}) {
      java.util.List<DeviceTrace> ds = new java.util.ArrayList<>();
      DeviceTrace a = device();
      for (int k = 1; k <= 16; k++) {
        String line = ownLines ? "L" + k : "L1";
        float[] sc = k == 1 ? a.scores() : new float[a.times().length];
        ds.add(new DeviceTrace("d" + k, line, a.times(), sc, a.warming(), a.inJam(), Long.MIN_VALUE,
            k == 1 ? a.jams() : List.of()));
      }
      List<AlertMetrics.Outcome> sweep = AlertMetrics.sweep(ds, new double[] {0.95, 0.5}, RULE);
      assertEquals(2, sweep.get(1).falseAlarms());
      assertEquals((ownLines ? 16 : 1) * 119 / 60.0, sweep.get(1).lineHours(), 1e-9);
      var ops = AlertMetrics.operatingPoints(sweep);
      assertEquals(0.95, ops.get(AlertMetrics.OperatingPoint.DEVICE_DAY).threshold(), 1e-6);
      assertEquals(ownLines ? 0.5 : 0.95, ops.get(AlertMetrics.OperatingPoint.LINE_SHIFT).threshold(), 1e-6);
      assertEquals(0.5, ops.get(AlertMetrics.OperatingPoint.DEVICE_HOUR).threshold(), 1e-6);
    }
  }

  @Test
  void recallPerMechanismAndPreventableLeaveSuddenOut() {
    DeviceTrace a = device();
    DeviceTrace sudden = new DeviceTrace("d2", a.times(), new float[a.times().length], a.inJam(),
        List.of(new DeviceTrace.Jam(60 * MIN, 65 * MIN, "sudden")));
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(device(), sudden), 0.5, RULE);
    assertEquals(0.5, o.recall(), 1e-12);
    assertEquals(1.0, o.preventableRecall(), 1e-12);
    assertEquals(0.0, o.recall("sudden"::equals), 1e-12);
    assertEquals(480.0, o.medianLeadSeconds("wear"), 1e-12);
    assertEquals(Double.NaN, o.medianLeadSeconds("sudden"));
  }

  @Test
  void leadTimeFalseAlarmsAndRateAsWorkedByHand() {
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(device()), 0.5, RULE);
    // jam at 60, horizon 10 -> raise window [50, 60): episode B raised at 52 -> lead 8 min
    assertEquals(1, o.jams());
    assertEquals(1, o.caught().size());
    assertEquals(8 * MIN, o.caught().get(0).leadMillis());
    assertEquals(480.0, o.medianLeadSeconds(), 1e-9);
    // episodes A and C catch nothing: 2 false alarms over 119 minutes
    assertEquals(3, o.alerts());
    assertEquals(2, o.falseAlarms());
    assertEquals(2 / (119 / 60.0), o.falseAlarmsPerDeviceHour(), 1e-12);
    assertEquals(Map.of("wear", 0), o.missedByMechanism());
  }

  @Test
  void withoutCooldownTheDipSplitsTheAlertAndLeadStillCountsFromTheFirstRaise() {
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(device()), 0.5,
        new AlertMetrics.AlertRule(10 * MIN, policy(1, 0), 1.0));
    // episodes A, B1 [52,55), B2 [56,59), C: B1 and B2 both raised in [50, 60): neither is false
    assertEquals(4, o.alerts());
    assertEquals(2, o.falseAlarms());
    assertEquals(8 * MIN, o.caught().get(0).leadMillis());
  }

  @Test
  void alertRaisedBeforeTheHorizonMissesTheJam() {
    AlertMetrics.Outcome o =
        AlertMetrics.evaluate(List.of(device()), 0.5, new AlertMetrics.AlertRule(MIN, policy(1, 5 * MIN), 1.0));
    // horizon 1 min: raise window [59, 60); episode B was raised at 52 -> missed, and false
    assertEquals(0, o.caught().size());
    assertEquals(3, o.falseAlarms());
    AlertMetrics.Outcome strict =
        AlertMetrics.evaluate(List.of(device()), 0.95, RULE);
    assertEquals(0, strict.caught().size());
    assertEquals(Map.of("wear", 1), strict.missedByMechanism());
    assertEquals(0, strict.falseAlarms());
  }

  @Test
  void bestWithinPicksHighestRecallUnderTheFalseAlarmBudget() {
    List<AlertMetrics.Outcome> sweep =
        AlertMetrics.sweep(List.of(device()), new double[] {0.95, 0.5, 0.05}, RULE);
    // 0.95: recall 0, FA 0; 0.5: recall 1, FA 2/1.983 h = 1.008/h;
    // 0.05: one endless episode raised at t=0: jam missed, 1 false alarm (0.504/h)
    assertEquals(0.95, AlertMetrics.bestWithin(sweep, 0.5).threshold(), 1e-9);
    assertEquals(0, sweep.get(2).caught().size());
    assertEquals(1, sweep.get(2).falseAlarms());
    assertEquals(0.5, AlertMetrics.bestWithin(sweep, 1.1).threshold(), 1e-9);
    assertNull(AlertMetrics.bestWithin(sweep, -1));
  }

  /**
   * The same device on a ladder of 10 and 40 minutes: rung 0 (10 min) is the old score; rung 1 (40
   * min) is 0.9 from minute 25 to 27 only. The alert raised at minute 25 claims 40 min (only rung 1
   * reached 0.5) and so catches the jam at 60, 35 minutes ahead; the 10-min alerts at 10 and 100
   * stay false; the one at 52 still claims 10 min (rung 0 reached the threshold there).
   */
  @Test
  void ladderAlertsAreRaisedOnTheLargestRungAndJudgedOnTheHorizonTheyClaim() {
    DeviceTrace d = device();
    float[] far = new float[d.times().length];
    java.util.Arrays.fill(far, 0.1f);
    for (int i = 25; i <= 27; i++) far[i] = 0.9f;
    DeviceTrace l = new DeviceTrace(d.deviceId(), d.lineId(), d.times(), d.scores(), d.warming(), d.inJam(),
        d.scoredFromMillis(), d.jams(), new io.jamwatch.scoring.HorizonLadder(new long[] {10 * MIN, 40 * MIN}),
        new float[][] {d.scores(), far});
    List<long[]> e = AlertMetrics.episodes(l, RULE.at(0.5));
    assertEquals(4, e.size());
    assertEquals(25 * MIN, e.get(1)[0]);
    assertEquals(40 * MIN, e.get(1)[2]);
    assertEquals(10 * MIN, e.get(0)[2]);
    assertEquals(10 * MIN, e.get(2)[2]);
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(l), 0.5, RULE);
    assertEquals(1, o.caught().size());
    assertEquals(35 * MIN, o.caught().get(0).leadMillis()); // the first raise that catches it: the 40-min claim
    assertEquals(2, o.falseAlarms()); // minutes 10 and 100; 25 and 52 both precede the jam within their claims
    assertEquals(java.util.Set.of(600L, 2400L), o.byClaimSeconds().keySet());
    assertEquals(3, o.byClaimSeconds().get(600L)[0]);
    assertEquals(2, o.byClaimSeconds().get(600L)[1]);
    assertEquals(1, o.byClaimSeconds().get(2400L)[0]);
    assertEquals(0, o.byClaimSeconds().get(2400L)[1]);
    // Without the ladder (the primary score alone) the early warning does not exist.
    AlertMetrics.Outcome p = AlertMetrics.evaluate(List.of(d), 0.5, RULE);
    assertEquals(8 * MIN, p.caught().get(0).leadMillis());
  }
}
