package io.jamwatch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertMetricsTest {

  private static final long MIN = 60_000L;
  private static final AlertMetrics.AlertRule RULE = new AlertMetrics.AlertRule(10 * MIN, 2 * MIN);

  /**
   * One device, one event per minute for 120 minutes (2 device-hours - 1 minute = 119 min span).
   * Jam ("wear") at minute 60, cleared at 65 (events 60..65 in jam). Scores:
   * 0.9 at minutes 10-11 (episode A, far from the jam: false alarm),
   * 0.9 at 52-54, 0.1 at 55, 0.9 at 56-58 (one episode B raised at 52, merged over the 1-minute dip),
   * 0.9 at 62 (inside the jam: ignored), 0.9 at 100 (episode C: false alarm), else 0.1.
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
  void episodesMergeShortDipsAndSkipInJamEvents() {
    List<long[]> e = AlertMetrics.episodes(device(), 0.5, 2 * MIN);
    assertEquals(3, e.size());
    assertEquals(10 * MIN, e.get(0)[0]);
    assertEquals(12 * MIN, e.get(0)[1]);
    assertEquals(52 * MIN, e.get(1)[0]); // dip at 55, re-raise at 56: 1 min <= 2 min gap, merged
    assertEquals(59 * MIN, e.get(1)[1]);
    assertEquals(100 * MIN, e.get(2)[0]);
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
  void withoutMergeTheDipSplitsTheAlertAndLeadStillCountsFromTheFirstRaise() {
    AlertMetrics.Outcome o = AlertMetrics.evaluate(List.of(device()), 0.5, new AlertMetrics.AlertRule(10 * MIN, 0));
    // episodes A, B1 [52,55), B2 [56,59), C: B1 and B2 both raised in [50, 60): neither is false
    assertEquals(4, o.alerts());
    assertEquals(2, o.falseAlarms());
    assertEquals(8 * MIN, o.caught().get(0).leadMillis());
  }

  @Test
  void alertRaisedBeforeTheHorizonMissesTheJam() {
    AlertMetrics.Outcome o =
        AlertMetrics.evaluate(List.of(device()), 0.5, new AlertMetrics.AlertRule(MIN, 2 * MIN));
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
}
