package io.jamwatch.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the alert thresholds on validation scores: an alert is raised when the score reaches
 * {@code raise} and cleared when it falls below {@code clear = clearFraction * raise} (hysteresis,
 * so a score hovering at the threshold does not flap). A raise at a step labelled negative (no jam
 * within the horizon) is a false alarm; steps in a jam or censored are neither. The raise
 * threshold is the lowest candidate whose false alarms per device-hour stay within the target,
 * i.e. the most sensitive setting the operator's false-alarm budget allows.
 *
 * <p>Provisional: this is plain hysteresis, not the stream's alert policy (train/ may not import
 * scoring/). The {@code train} command replaces the choice with {@code eval/PolicyThresholds},
 * which replays the one {@code scoring/AlertPolicy} over the validation part through the exported
 * model, and writes that choice into the model file and card.
 */
public final class AlertThresholds {
  // A false alarm is a raise at a negative step, and again for every further horizon an alert stays
  // up over negative steps: an open alert keeps claiming "a jam within the horizon", so an alert
  // left up for hours is many false alarms, not one (else an always-on alert would look cheap).
  private AlertThresholds() {}

  /** Scores of one device over [from, end) with its labels (null = unlabelled: every raise is false). */
  public record Track(float[] score, byte[] labels, long[] timeMillis, int from, int end) {}

  /**
   * @param raise raise threshold
   * @param clear clear threshold
   * @param falseAlarmsPerDeviceHour achieved on validation
   * @param jams jams (positive runs ending in a jam) in the validation span
   * @param jamsCaught jams with an alert raised during their positive run
   * @param medianLeadSeconds median time from the first raise of a caught jam to the jam, NaN if none
   * @param deviceHours validation device-hours
   * @param alertShare share of the scored steps outside jams during which an alert is up (a
   *     threshold that keeps an alert up for hours raises few "false alarms" yet is useless; this
   *     says so)
   * @param targetMet whether some candidate met the target (else the strictest candidate)
   */
  public record Choice(
      float raise,
      float clear,
      double falseAlarmsPerDeviceHour,
      int jams,
      int jamsCaught,
      double medianLeadSeconds,
      double deviceHours,
      double alertShare,
      boolean targetMet) {}

  public static Choice choose(List<Track> tracks, double targetPerHour, double clearFraction, long horizonMillis) {
    int total = 0;
    for (Track t : tracks) total += t.end() - t.from();
    float[] all = new float[total];
    int k = 0;
    for (Track t : tracks) for (int i = t.from(); i < t.end(); i++) all[k++] = t.score()[i];
    Arrays.sort(all);
    // Candidates: 200 quantiles of the validation scores between the median and the maximum.
    List<Float> cands = new ArrayList<>();
    for (int q = 0; q <= 200 && total > 0; q++) {
      float v = all[Math.min(total - 1, (int) ((0.5 + 0.5 * q / 200.0) * (total - 1)))];
      if (cands.isEmpty() || v > cands.get(cands.size() - 1)) cands.add(v);
    }
    if (cands.isEmpty()) cands.add(1f);
    float top = Math.nextUp(all.length == 0 ? 1f : all[all.length - 1]);
    cands.add(top); // the strictest: never raises
    Choice strictest = null;
    for (float raise : cands) {
      Choice c = evaluate(tracks, raise, (float) (raise * clearFraction), horizonMillis);
      if (c.falseAlarmsPerDeviceHour() <= targetPerHour) return withTarget(c, true);
      strictest = c;
    }
    return withTarget(strictest, false);
  }

  private static Choice withTarget(Choice c, boolean met) {
    return new Choice(c.raise(), c.clear(), c.falseAlarmsPerDeviceHour(), c.jams(), c.jamsCaught(),
        c.medianLeadSeconds(), c.deviceHours(), c.alertShare(), met);
  }

  /** Replays the alert lifecycle over every track at fixed thresholds. */
  public static Choice evaluate(List<Track> tracks, float raise, float clear, long horizonMillis) {
    long falseAlarms = 0;
    int jams = 0, caught = 0;
    double hours = 0;
    long up = 0, outsideJams = 0;
    List<Double> leads = new ArrayList<>();
    for (Track t : tracks) {
      if (t.end() <= t.from()) continue;
      hours += (t.timeMillis()[t.end() - 1] - t.timeMillis()[t.from()]) / 3_600_000.0;
      boolean alert = false;
      long lastCounted = Long.MIN_VALUE; // time the open alert last counted as a false alarm
      long runRaise = Long.MIN_VALUE; // time of the first raise in the current positive run
      boolean inRun = false;
      for (int i = t.from(); i < t.end(); i++) {
        byte y = t.labels() == null ? TrainingData.NEGATIVE : t.labels()[i];
        float s = t.score()[i];
        if (y == TrainingData.POSITIVE && !inRun) {
          inRun = true;
          runRaise = alert ? t.timeMillis()[i] : Long.MIN_VALUE; // an alert already up counts from here
        }
        long now = t.timeMillis()[i];
        if (!alert && s >= raise) {
          alert = true;
          lastCounted = Long.MIN_VALUE;
          if (y == TrainingData.NEGATIVE) {
            falseAlarms++;
            lastCounted = now;
          }
          if (inRun && runRaise == Long.MIN_VALUE) runRaise = now;
        } else if (alert && s < clear) {
          alert = false;
        } else if (alert && y == TrainingData.NEGATIVE) {
          if (lastCounted == Long.MIN_VALUE) lastCounted = now; // went negative while up: count from here
          else if (now - lastCounted >= horizonMillis) {
            falseAlarms++;
            lastCounted = now;
          }
        }
        if (y != IN_JAM) {
          outsideJams++;
          if (alert) up++;
        }
        if (inRun && y != TrainingData.POSITIVE) {
          // The run ended: a jam (in-jam label) or the horizon moved on without a jam.
          inRun = false;
          if (y < 0 && y != CENSORED) {
            jams++;
            if (runRaise != Long.MIN_VALUE) {
              caught++;
              leads.add((t.timeMillis()[i] - runRaise) / 1000.0);
            }
          }
        }
      }
    }
    double median = Double.NaN;
    if (!leads.isEmpty()) {
      leads.sort(null);
      median = leads.get(leads.size() / 2);
    }
    double rate = hours > 0 ? falseAlarms / hours : (falseAlarms > 0 ? Double.POSITIVE_INFINITY : 0);
    return new Choice(raise, clear, rate, jams, caught, median, hours, outsideJams == 0 ? 0 : (double) up / outsideJams, true);
  }

  /** Label code of a censored step (io.jamwatch.logs.Labeller.CENSORED). */
  static final byte CENSORED = -2;

  /** Label code of a step in a jam (io.jamwatch.logs.Labeller.IN_JAM). */
  static final byte IN_JAM = -1;
}
