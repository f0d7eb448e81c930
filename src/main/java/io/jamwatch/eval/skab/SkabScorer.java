package io.jamwatch.eval.skab;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * SKAB's "proposed" leaderboard metrics (waico/SKAB commit b2c0d46, {@code core/metrics.py}),
 * exactly as described in shared/eval/skab/SOURCE.md:
 *
 * <ul>
 *   <li>Outlier problem: per-row binary alarms against {@code anomaly} on each file's test part,
 *       counts summed over files; F1 = TP / (TP + (FP + FN)/2), FAR % = 100 FP/(FP + TN), MAR % =
 *       100 FN/(FN + TP).
 *   <li>Changepoint problem (SKAB's NAB variant, {@code chp_score}): predicted changepoints =
 *       |diff(alarm)| with the first element = the first alarm; window [cp, cp + 60 s] right of each
 *       true changepoint of the test part, overlaps resolved by moving the later start to the earlier
 *       end ("cut right window"), both ends inclusive; the first prediction in a window scores
 *       {@code y[int((t - start)/(end - start) * 1000)]} on SKAB's tanh curve ({@code my_scale},
 *       1000 steps, clamped to 999); a window with no prediction scores A_fn; every prediction
 *       outside all windows A_fp. Score = 100 (S - S_null)/(S_perfect - S_null) with S_null = windows
 *       x A_fn and S_perfect = windows x A_tp, summed over files.
 * </ul>
 *
 * No alarm hold is applied here: the caller's alarms are scored as given.
 */
public final class SkabScorer {

  /** SKAB's changepoint window, 60 s to the right of each changepoint. */
  public static final long WINDOW_MILLIS = 60_000L;
  /** Steps of SKAB's tanh scoring curve ({@code detalization}). */
  static final int DETAIL = 1000;

  private SkabScorer() {}

  /** A SKAB profile (A_tp, A_fp, A_fn) of {@code single_evaluate_nab}'s table_of_coef. */
  public record Profile(String name, double aTp, double aFp, double aFn) {
    public static List<Profile> defaults() {
      return List.of(
          new Profile("Standard", 1.0, -0.11, -1.0),
          new Profile("LowFP", 1.0, -0.22, -1.0),
          new Profile("LowFN", 1.0, -0.11, -2.0));
    }
  }

  /**
   * The test part of one file, in time order, and the detector's alarm for each row.
   *
   * @param anomaly 1 on rows of the anomalous period
   * @param changepoint 1 on true changepoint rows
   * @param alarm the detector's binary alarm per row (0 or 1)
   */
  public record FileAlarms(
      String name, long[] timestamps, byte[] anomaly, byte[] changepoint, byte[] alarm) {
    public FileAlarms {
      int n = timestamps.length;
      if (anomaly.length != n || changepoint.length != n || alarm.length != n) {
        throw new IllegalArgumentException(
            name + ": column lengths differ: " + n + " timestamps, " + anomaly.length
                + " anomaly, " + changepoint.length + " changepoint, " + alarm.length + " alarms");
      }
      for (int i = 1; i < n; i++) {
        if (timestamps[i] <= timestamps[i - 1]) {
          throw new IllegalArgumentException(name + ": timestamps not increasing at row " + i);
        }
      }
    }
  }

  /** Pooled confusion counts of the outlier problem. */
  public record Binary(long tp, long tn, long fp, long fn) {
    public double f1() {
      return tp / (tp + (fn + fp) / 2.0);
    }

    public double farPercent() {
      return 100.0 * fp / (fp + tn);
    }

    public double marPercent() {
      return 100.0 * fn / (fn + tp);
    }
  }

  /** Counts summed over all files (micro), every row of each test part. */
  public static Binary binary(List<FileAlarms> files) {
    long tp = 0;
    long tn = 0;
    long fp = 0;
    long fn = 0;
    for (FileAlarms f : files) {
      for (int i = 0; i < f.alarm().length; i++) {
        boolean t = f.anomaly()[i] == 1;
        boolean p = f.alarm()[i] == 1;
        if (t && p) {
          tp++;
        } else if (!t && !p) {
          tn++;
        } else if (p) {
          fp++;
        } else {
          fn++;
        }
      }
    }
    return new Binary(tp, tn, fp, fn);
  }

  /** Predicted changepoints: |diff(alarm)|, the first element being the first alarm itself. */
  public static byte[] predictedChangepoints(byte[] alarm) {
    byte[] out = new byte[alarm.length];
    for (int i = 0; i < alarm.length; i++) {
      out[i] = (byte) (i == 0 ? alarm[0] : Math.abs(alarm[i] - alarm[i - 1]));
    }
    return out;
  }

  /** Windows [cp, cp + width] per true changepoint, overlaps cut on the right window. */
  public static List<long[]> windows(long[] timestamps, byte[] changepoint, long widthMillis) {
    List<long[]> w = new ArrayList<>();
    for (int i = 0; i < timestamps.length; i++) {
      if (changepoint[i] == 1) {
        w.add(new long[] {timestamps[i], timestamps[i] + widthMillis});
      }
    }
    for (int i = 0; i + 1 < w.size(); i++) {
      if (w.get(i)[1] >= w.get(i + 1)[0]) {
        w.get(i + 1)[0] = w.get(i)[1];
      }
    }
    return w;
  }

  /** SKAB's {@code my_scale}: the score of a first hit at {@code t} in window [start, end]. */
  public static double hitScore(long start, long t, long end, Profile p) {
    int event = end == start ? 0 : (int) ((double) (t - start) / (end - start) * DETAIL);
    if (event >= DETAIL) {
      event = DETAIL - 1;
    }
    // numpy linspace(-pi/2, pi/2, 1000)
    double x = -Math.PI / 2 + event * (Math.PI / (DETAIL - 1));
    double half = (p.aTp() - p.aFp()) / 2.0;
    return half * -1 * Math.tanh(x) / Math.tanh(Math.PI / 2) + half + p.aFp();
  }

  /** Result of the changepoint problem over all files. */
  public record Changepoints(
      List<Profile> profiles,
      double[] raw,
      double[] nullScore,
      double[] perfect,
      int windows,
      int missed,
      int falsePositives,
      double meanDelaySeconds) {
    /** 100 (S - S_null)/(S_perfect - S_null) of profile k (unrounded). */
    public double normalised(int k) {
      return 100.0 * (raw[k] - nullScore[k]) / (perfect[k] - nullScore[k]);
    }
  }

  /** SKAB's chp_score(metric="nab" and "average_time") over all files, window to the right. */
  public static Changepoints changepoints(
      List<FileAlarms> files, long windowMillis, List<Profile> profiles) {
    int np = profiles.size();
    double[] raw = new double[np];
    double[] nul = new double[np];
    double[] perf = new double[np];
    int windowCount = 0;
    int missed = 0;
    int fps = 0;
    double delaySum = 0;
    int hits = 0;
    for (FileAlarms f : files) {
      long[] ts = f.timestamps();
      byte[] pred = predictedChangepoints(f.alarm());
      List<long[]> win = windows(ts, f.changepoint(), windowMillis);
      windowCount += win.size();
      boolean[] inside = new boolean[ts.length];
      for (long[] w : win) {
        long first = Long.MIN_VALUE;
        for (int i = 0; i < ts.length; i++) {
          if (ts[i] >= w[0] && ts[i] <= w[1]) {
            inside[i] = true;
            if (pred[i] == 1 && first == Long.MIN_VALUE) {
              first = ts[i];
            }
          }
        }
        for (int k = 0; k < np; k++) {
          Profile p = profiles.get(k);
          raw[k] += first == Long.MIN_VALUE ? p.aFn() : hitScore(w[0], first, w[1], p);
          nul[k] += p.aFn();
          perf[k] += p.aTp();
        }
        if (first == Long.MIN_VALUE) {
          missed++;
        } else {
          hits++;
          delaySum += (first - w[0]) / 1000.0;
        }
      }
      int fileFps = 0;
      for (int i = 0; i < ts.length; i++) {
        if (pred[i] == 1 && !inside[i]) {
          fileFps++;
        }
      }
      fps += fileFps;
      for (int k = 0; k < np; k++) {
        raw[k] += profiles.get(k).aFp() * fileFps;
      }
    }
    return new Changepoints(
        List.copyOf(profiles), raw, nul, perf, windowCount, missed, fps,
        hits == 0 ? Double.NaN : delaySum / hits);
  }

  /** Python's {@code round(x, 2)}: half-even on the exact binary value, as SKAB reports. */
  public static double round2(double x) {
    if (!Double.isFinite(x)) {
      return x;
    }
    return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }
}
