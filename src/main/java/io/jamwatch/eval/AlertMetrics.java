package io.jamwatch.eval;

import io.jamwatch.logs.JamTruth;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.AlertState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Alert-based metrics of a per-event score: what an operator sees.
 *
 * <p>Alerts are what the stream would raise: the one {@link AlertPolicy} (hysteresis, min events
 * and duration above, cooldown, suppression, no raise while warming) is replayed per device over
 * every event in event order, exactly as stream/ScoringProcessor and {@link OfflineScorer} apply
 * it. An episode is [RAISED, CLEARED). A RAISED inside a jam (JAM .. JAM_CLEARED) or before the
 * device's measured span counts for nothing (the policy's state still evolves over it, as in the
 * stream).
 *
 * <ul>
 *   <li>A jam is <b>caught</b> when an episode is raised in [jamTime - horizon, jamTime), the
 *       horizon being the one the episode claimed (alerts on a horizon ladder, {@link
 *       io.jamwatch.scoring.HorizonLadder}) or else the rule's; its lead
 *       time is {@code jamTime - raise} of the first such episode. An alert raised earlier and
 *       still open does not count: otherwise a detector that alarms for ever would catch every jam
 *       with one alert and no false alarm.
 *   <li>An episode that catches no jam is a <b>false alarm</b>; false alarms per device-hour divide
 *       by the summed measured span of all devices, per line-hour by the summed span of the lines.
 * </ul>
 *
 * The trainer's threshold choice ({@link PolicyThresholds}) and the backtest both call this class,
 * so the model card and the backtest report the same numbers on the same events.
 */
public final class AlertMetrics {

  private AlertMetrics() {}

  /**
   * How scores become alerts and what counts as a caught jam: {@code policy} (its thresholds are
   * replaced by each swept threshold {@code t}: raise {@code t}, clear {@code t * clearFraction}).
   */
  public record AlertRule(long horizonMillis, AlertPolicy policy, double clearFraction) {
    public AlertRule {
      if (horizonMillis <= 0 || !(clearFraction > 0 && clearFraction <= 1)) {
        throw new IllegalArgumentException(
            "horizon must be > 0 and clear fraction in (0, 1], got " + horizonMillis + ", " + clearFraction);
      }
      java.util.Objects.requireNonNull(policy, "policy");
    }

    /** The policy at raise threshold {@code t}. */
    public AlertPolicy at(double t) {
      float raise = (float) t;
      return policy.withThresholds(raise, clear(raise, clearFraction));
    }

    /** The clear threshold for a raise threshold: the one formula the trainer and the backtest use. */
    public static float clear(float raise, double clearFraction) {
      return Math.min(raise, (float) (raise * clearFraction));
    }
  }

  /** The false-alarm budgets operators use. */
  public enum OperatingPoint {
    /** One false alarm per device per 24 h. */
    DEVICE_DAY("1 FA per device-day"),
    /** One false alarm per line per 8-h shift (all the line's devices together). */
    LINE_SHIFT("1 FA per line-shift (8 h)"),
    /** One false alarm per device-hour. */
    DEVICE_HOUR("1 FA per device-hour");

    public final String label;

    OperatingPoint(String label) {
      this.label = label;
    }

    /** False alarms allowed over the outcome's measured span. */
    public double allowed(Outcome o) {
      return switch (this) {
        case DEVICE_DAY -> o.deviceHours() / 24;
        case LINE_SHIFT -> o.lineHours() / 8;
        case DEVICE_HOUR -> o.deviceHours();
      };
    }

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** A caught jam and its lead time. */
  public record Catch(String deviceId, long jamTime, String mechanism, long leadMillis) {}

  /**
   * Everything measured at one threshold; {@code byClaimSeconds}: per horizon the alerts claimed
   * (seconds; the rule's horizon for alerts without a ladder), {alerts, false alarms}.
   */
  public record Outcome(
      double threshold,
      int jams,
      List<Catch> caught,
      Map<String, Integer> missedByMechanism,
      Map<String, Integer> jamsByMechanism,
      int alerts,
      int falseAlarms,
      double deviceHours,
      double lineHours,
      Map<Long, int[]> byClaimSeconds) {

    public double recall() {
      return jams == 0 ? Double.NaN : (double) caught.size() / jams;
    }

    /** Recall over the jams whose mechanism passes {@code which}. */
    public double recall(Predicate<String> which) {
      int n = 0;
      for (Map.Entry<String, Integer> e : jamsByMechanism.entrySet()) {
        if (which.test(e.getKey())) n += e.getValue();
      }
      long c = caught.stream().filter(x -> which.test(x.mechanism())).count();
      return n == 0 ? Double.NaN : (double) c / n;
    }

    /** Recall of the jams an operator could have prevented: every mechanism but {@code sudden}. */
    public double preventableRecall() {
      return recall(m -> !JamTruth.SUDDEN.equals(m));
    }

    public double falseAlarmsPerDeviceHour() {
      return deviceHours == 0 ? Double.NaN : falseAlarms / deviceHours;
    }

    public double medianLeadSeconds() {
      return median(caught.stream().mapToDouble(c -> c.leadMillis() / 1000.0).toArray());
    }

    /** Median lead of the caught jams of one mechanism, NaN if none caught. */
    public double medianLeadSeconds(String mechanism) {
      return median(caught.stream().filter(c -> c.mechanism().equals(mechanism))
          .mapToDouble(c -> c.leadMillis() / 1000.0).toArray());
    }
  }

  static double median(double[] l) {
    if (l.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(l);
    int m = l.length / 2;
    return l.length % 2 == 1 ? l[m] : (l[m - 1] + l[m]) / 2;
  }

  /**
   * Measured alert episodes {raise, clear, claimed horizon} of one device under {@code policy}:
   * clear = Long.MAX_VALUE while still open at the end; claim 0 = the rule's horizon (a trace
   * without a ladder).
   */
  static List<long[]> episodes(DeviceTrace d, AlertPolicy policy) {
    return episodes(d, d.alertScores(), policy);
  }

  private static List<long[]> episodes(DeviceTrace d, float[] signal, AlertPolicy policy) {
    List<long[]> out = new ArrayList<>();
    AlertState s = new AlertState();
    long[] open = null;
    for (int i = 0; i < d.times().length; i++) {
      long t = d.times()[i];
      AlertPolicy.Transition tr = policy.apply(s, signal[i], t, d.warming()[i]);
      if (tr == AlertPolicy.Transition.RAISED) {
        if (!d.inJam()[i] && t >= d.scoredFromMillis()) {
          open = new long[] {t, Long.MAX_VALUE, d.claimMillis(i, policy.raiseThreshold())};
          out.add(open);
        }
      } else if (tr == AlertPolicy.Transition.CLEARED && open != null) {
        open[1] = t;
        open = null;
      }
    }
    return out;
  }

  /** All metrics at one swept threshold. */
  public static Outcome evaluate(List<DeviceTrace> devices, double threshold, AlertRule rule) {
    return evaluate(devices, rule.at(threshold), rule.horizonMillis(), threshold);
  }

  /** All metrics under one fully specified policy (e.g. a model's own thresholds). */
  public static Outcome evaluate(List<DeviceTrace> devices, AlertPolicy policy, long horizonMillis) {
    return evaluate(devices, policy, horizonMillis, policy.raiseThreshold());
  }

  private static Outcome evaluate(List<DeviceTrace> devices, AlertPolicy policy, long horizonMillis, double threshold) {
    int jams = 0;
    int alerts = 0;
    int falseAlarms = 0;
    double hours = 0;
    List<Catch> caught = new ArrayList<>();
    Map<String, Integer> missed = new TreeMap<>();
    Map<String, Integer> byMech = new TreeMap<>();
    Map<String, long[]> lineSpan = new HashMap<>();
    Map<Long, int[]> byClaim = new TreeMap<>();
    for (DeviceTrace d : devices) {
      hours += d.hours();
      int f = d.firstMeasured();
      if (d.times().length - f >= 2) {
        String line = d.lineId().isEmpty() ? "device:" + d.deviceId() : d.lineId();
        long[] span = lineSpan.computeIfAbsent(line, x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        span[0] = Math.min(span[0], d.times()[f]);
        span[1] = Math.max(span[1], d.times()[d.times().length - 1]);
      }
      List<long[]> eps = episodes(d, policy);
      alerts += eps.size();
      for (long[] e : eps) byClaim.computeIfAbsent((e[2] > 0 ? e[2] : horizonMillis) / 1000, x -> new int[2])[0]++;
      boolean[] useful = new boolean[eps.size()];
      for (DeviceTrace.Jam j : d.jams()) {
        if (j.jamTime() < d.scoredFromMillis()) {
          continue;
        }
        jams++;
        byMech.merge(j.mechanism(), 1, Integer::sum);
        int hit = -1;
        for (int k = 0; k < eps.size(); k++) {
          long[] e = eps.get(k);
          long from = j.jamTime() - (e[2] > 0 ? e[2] : horizonMillis);
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
      for (int k = 0; k < useful.length; k++) {
        if (!useful[k]) {
          falseAlarms++;
          long[] e = eps.get(k);
          byClaim.get((e[2] > 0 ? e[2] : horizonMillis) / 1000)[1]++;
        }
      }
    }
    for (String m : byMech.keySet()) {
      missed.putIfAbsent(m, 0);
    }
    double lineHours = 0;
    for (long[] s : lineSpan.values()) {
      lineHours += (s[1] - s[0]) / 3_600_000.0;
    }
    return new Outcome(threshold, jams, List.copyOf(caught), missed, byMech, alerts, falseAlarms,
        hours, lineHours, byClaim);
  }

  /**
   * Candidate thresholds: up to {@code max} distinct quantiles of the alert scores (the ladder's
   * signal on a ladder trace), highest first; only scores in
   * (0, 1] (the policy's raise range).
   */
  public static double[] candidateThresholds(List<DeviceTrace> devices, int max) {
    int n = 0;
    for (DeviceTrace d : devices) {
      n += d.scores().length;
    }
    float[] all = new float[n];
    int k = 0;
    for (DeviceTrace d : devices) {
      float[] a = d.alertScores();
      System.arraycopy(a, 0, all, k, a.length);
      k += a.length;
    }
    Arrays.sort(all);
    java.util.TreeSet<Double> set = new java.util.TreeSet<>();
    for (int q = 0; q < max && n > 0; q++) {
      // quantiles concentrated in the upper tail, where alert thresholds live
      double p = 1.0 - Math.pow((double) q / max, 2);
      float v = all[(int) Math.min(n - 1, Math.floor(p * (n - 1)))];
      if (v > 0f && v <= 1f) {
        set.add((double) v);
      }
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
      best = better(best, o);
    }
    return best;
  }

  /** The best outcome (as {@link #bestWithin(List, double)}) within an operating point's budget. */
  public static Outcome bestWithin(List<Outcome> sweep, OperatingPoint p) {
    Outcome best = null;
    for (Outcome o : sweep) {
      if (o.falseAlarms() <= p.allowed(o)) {
        best = better(best, o);
      }
    }
    return best;
  }

  private static Outcome better(Outcome best, Outcome o) {
    if (best == null
        || o.caught().size() > best.caught().size()
        || (o.caught().size() == best.caught().size() && o.falseAlarms() < best.falseAlarms())) {
      return o;
    }
    return best;
  }

  /** Each operating point's best outcome (null where no threshold fits), in enum order. */
  public static Map<OperatingPoint, Outcome> operatingPoints(List<Outcome> sweep) {
    Map<OperatingPoint, Outcome> out = new LinkedHashMap<>();
    for (OperatingPoint p : OperatingPoint.values()) {
      out.put(p, bestWithin(sweep, p));
    }
    return out;
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
