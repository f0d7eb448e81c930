package io.jamwatch.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alert-based metrics of a per-event score: what an operator sees.
 *
 * <p>An alert episode on a device opens at the first event with score >= threshold and closes at
 * the first later event with score below it; a re-raise within {@code mergeGapMillis} of the
 * previous close continues the same episode (so a score flickering around the threshold is one
 * alert, as with any debounce). Events inside a jam (JAM .. JAM_CLEARED) are skipped.
 *
 * <ul>
 *   <li>A jam is <b>caught</b> when an episode is raised in [jamTime - horizon, jamTime); its lead
 *       time is {@code jamTime - raise} of the first such episode. An alert raised earlier and
 *       still open does not count: otherwise a detector that alarms for ever would catch every jam
 *       with one alert and no false alarm.
 *   <li>An episode that catches no jam is a <b>false alarm</b>; false alarms per device-hour divide
 *       by the summed observed span of all devices.
 * </ul>
 */
public final class AlertMetrics {

  private AlertMetrics() {}

  /** How scores become alerts and what counts as a caught jam. */
  public record AlertRule(long horizonMillis, long mergeGapMillis) {
    public AlertRule {
      if (horizonMillis <= 0 || mergeGapMillis < 0) {
        throw new IllegalArgumentException(
            "horizon must be > 0 and merge gap >= 0, got " + horizonMillis + ", " + mergeGapMillis);
      }
    }
  }

  /** A caught jam and its lead time. */
  public record Catch(String deviceId, long jamTime, String mechanism, long leadMillis) {}

  /** Everything measured at one threshold. */
  public record Outcome(
      double threshold,
      int jams,
      List<Catch> caught,
      Map<String, Integer> missedByMechanism,
      Map<String, Integer> jamsByMechanism,
      int alerts,
      int falseAlarms,
      double deviceHours) {

    public double recall() {
      return jams == 0 ? Double.NaN : (double) caught.size() / jams;
    }

    public double falseAlarmsPerDeviceHour() {
      return deviceHours == 0 ? Double.NaN : falseAlarms / deviceHours;
    }

    public double medianLeadSeconds() {
      if (caught.isEmpty()) {
        return Double.NaN;
      }
      double[] l = caught.stream().mapToDouble(c -> c.leadMillis() / 1000.0).sorted().toArray();
      int m = l.length / 2;
      return l.length % 2 == 1 ? l[m] : (l[m - 1] + l[m]) / 2;
    }
  }

  /** Alert episodes [raise, close) of one device; close = Long.MAX_VALUE while still open. */
  static List<long[]> episodes(DeviceTrace d, double threshold, long mergeGapMillis) {
    List<long[]> out = new ArrayList<>();
    long[] open = null;
    for (int i = 0; i < d.times().length; i++) {
      if (d.inJam()[i]) {
        continue;
      }
      boolean high = d.scores()[i] >= threshold;
      long t = d.times()[i];
      if (high && open == null) {
        long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && t - last[1] <= mergeGapMillis) {
          open = last;
          open[1] = Long.MAX_VALUE;
        } else {
          open = new long[] {t, Long.MAX_VALUE};
          out.add(open);
        }
      } else if (!high && open != null) {
        open[1] = t;
        open = null;
      }
    }
    return out;
  }

  /** All metrics at one threshold. */
  public static Outcome evaluate(List<DeviceTrace> devices, double threshold, AlertRule rule) {
    int jams = 0;
    int alerts = 0;
    int falseAlarms = 0;
    double hours = 0;
    List<Catch> caught = new ArrayList<>();
    Map<String, Integer> missed = new TreeMap<>();
    Map<String, Integer> byMech = new TreeMap<>();
    for (DeviceTrace d : devices) {
      hours += d.hours();
      List<long[]> eps = episodes(d, threshold, rule.mergeGapMillis());
      alerts += eps.size();
      boolean[] useful = new boolean[eps.size()];
      for (DeviceTrace.Jam j : d.jams()) {
        jams++;
        byMech.merge(j.mechanism(), 1, Integer::sum);
        long from = j.jamTime() - rule.horizonMillis();
        int hit = -1;
        for (int k = 0; k < eps.size(); k++) {
          long[] e = eps.get(k);
          if (e[0] >= from && e[0] < j.jamTime()) {
            useful[k] = true;
            if (hit < 0) {
              hit = k;
            }
          }
        }
        if (hit >= 0) {
          caught.add(new Catch(d.deviceId(), j.jamTime(), j.mechanism(), j.jamTime() - eps.get(hit)[0]));
        } else {
          missed.merge(j.mechanism(), 1, Integer::sum);
        }
      }
      for (boolean u : useful) {
        if (!u) {
          falseAlarms++;
        }
      }
    }
    for (String m : byMech.keySet()) {
      missed.putIfAbsent(m, 0);
    }
    return new Outcome(threshold, jams, List.copyOf(caught), missed, byMech, alerts, falseAlarms, hours);
  }

  /** Candidate thresholds: up to {@code max} distinct score quantiles, highest first. */
  public static double[] candidateThresholds(List<DeviceTrace> devices, int max) {
    int n = 0;
    for (DeviceTrace d : devices) {
      n += d.scores().length;
    }
    float[] all = new float[n];
    int k = 0;
    for (DeviceTrace d : devices) {
      System.arraycopy(d.scores(), 0, all, k, d.scores().length);
      k += d.scores().length;
    }
    Arrays.sort(all);
    java.util.TreeSet<Double> set = new java.util.TreeSet<>();
    for (int q = 0; q < max && n > 0; q++) {
      // quantiles concentrated in the upper tail, where alert thresholds live
      double p = 1.0 - Math.pow((double) q / max, 2);
      set.add((double) all[(int) Math.min(n - 1, Math.floor(p * (n - 1)))]);
    }
    return set.descendingSet().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Evaluates every candidate threshold. */
  public static List<Outcome> sweep(List<DeviceTrace> devices, double[] thresholds, AlertRule rule) {
    List<Outcome> out = new ArrayList<>();
    for (double t : thresholds) {
      out.add(evaluate(devices, t, rule));
    }
    return out;
  }

  /**
   * The outcome with the highest recall among those with at most {@code maxPerDeviceHour} false
   * alarms per device-hour (ties: fewer false alarms, then higher threshold); null if none.
   */
  public static Outcome bestWithin(List<Outcome> sweep, double maxPerDeviceHour) {
    Outcome best = null;
    for (Outcome o : sweep) {
      if (!(o.falseAlarmsPerDeviceHour() <= maxPerDeviceHour)) {
        continue;
      }
      if (best == null
          || o.caught().size() > best.caught().size()
          || (o.caught().size() == best.caught().size() && o.falseAlarms() < best.falseAlarms())) {
        best = o;
      }
    }
    return best;
  }

  /** Caught jams' lead times in seconds, grouped by mechanism. */
  public static Map<String, double[]> leadSecondsByMechanism(Outcome o) {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    for (Catch c : o.caught()) {
      m.computeIfAbsent(c.mechanism(), x -> new ArrayList<>()).add(c.leadMillis() / 1000.0);
    }
    Map<String, double[]> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return out;
  }
}
