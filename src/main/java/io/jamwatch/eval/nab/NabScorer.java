package io.jamwatch.eval.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NAB v1.1's scorer, as in {@code nab/sweeper.py} (calcSweepScore, calcScoreByThreshold),
 * {@code nab/optimizer.py} (one threshold per detector and profile, swept over the whole corpus) and
 * {@code nab/runner.py} (normalisation), Ahmad et al., Neurocomputing 2017.
 *
 * <ul>
 *   <li>Probationary rows: the first {@code min(floor(0.15 N), 0.15 * 5000)} rows of a file are not
 *       scored; a window counts only if at least one of its rows lies after them.
 *   <li>Row i inside a window [l, r] (indices): weight {@code tp * s(-(r - i + 1)/w) / s(-1)} with
 *       w = r - l + 1 and {@code s(y) = 2 sigmoid(-5y) - 1} ({@code -1} for y >= 3); only the best
 *       (= earliest) detection of a window counts; a window without detection scores {@code -fn}.
 *   <li>Row i outside every window: {@code fp * s(|i - r_prev| / (w_prev - 1))}, or {@code -fp}
 *       before the first window. Every such detection counts.
 *   <li>The threshold sweep visits every distinct score (highest first, starting at 1.1 = no
 *       detection); a row is a detection when its score is at least the threshold. The best raw
 *       score wins; on a tie the higher threshold wins (Python's stable sort in optimizer.py).
 *   <li>Normalised score = 100 (S - S_null) / (S_perfect - S_null), S_perfect = number of windows x
 *       tp (runner.py counts every window of the label file), S_null the raw score of the null
 *       detector (constant score) swept the same way.
 * </ul>
 *
 * Deliberate difference: NAB silently never enters a window whose boundary timestamp is not a row
 * of the file; here that is an error naming the file and timestamp.
 */
public final class NabScorer {

  /** Window id of a row outside every window. */
  static final int OUTSIDE = -1;
  /** Window id of a probationary row. */
  static final int PROBATION = -2;

  private NabScorer() {}

  /** NAB's {@code scaledSigmoid}. */
  public static double scaledSigmoid(double relativePosition) {
    if (relativePosition >= 3.0) {
      return -1.0;
    }
    return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
  }

  /** NAB's probationary length: {@code min(floor(0.15 n), 0.15 * 5000)}; rows i < it are skipped. */
  public static double probationaryLength(int rows) {
    return Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
  }

  /** Sweep weight and window id (global, or OUTSIDE / PROBATION) of every row of one file. */
  record Rows(double[] weight, int[] window) {}

  /** NAB's calcSweepScore for one file; window ids start at {@code firstWindowId}. */
  static Rows rows(NabSeries s, NabProfile p, int firstWindowId) {
    int n = s.size();
    long[] ts = s.timestamps();
    double[] weight = new double[n];
    int[] window = new int[n];
    int[][] idx = windowIndices(s);
    double maxTp = scaledSigmoid(-1.0);
    double probation = probationaryLength(n);
    int next = 0;
    int curWin = -1;
    int prevRight = -1;
    double prevWidth = 0;
    for (int i = 0; i < n; i++) {
      if (next < idx.length && i == idx[next][0]) {
        curWin = next++;
      }
      int id;
      if (curWin >= 0) {
        int right = idx[curWin][1];
        double width = right - idx[curWin][0] + 1;
        weight[i] = scaledSigmoid(-(right - i + 1) / width) * p.tpWeight() / maxTp;
        id = firstWindowId + curWin;
      } else {
        double pos = prevRight < 0 ? 3.0 : Math.abs(prevRight - i) / (prevWidth - 1);
        weight[i] = scaledSigmoid(pos) * p.fpWeight();
        id = OUTSIDE;
      }
      window[i] = i >= probation ? id : PROBATION;
      if (curWin >= 0 && i == idx[curWin][1]) {
        prevRight = i;
        prevWidth = idx[curWin][1] - idx[curWin][0] + 1;
        curWin = -1;
      }
    }
    return new Rows(weight, window);
  }

  /** Row indices [left, right] of each window; an error if a boundary is not a row timestamp. */
  static int[][] windowIndices(NabSeries s) {
    long[] ts = s.timestamps();
    int[][] out = new int[s.windows().size()][];
    int prevRight = -1;
    for (int k = 0; k < out.length; k++) {
      NabSeries.Window w = s.windows().get(k);
      int l = indexOf(ts, w.start(), s.relPath());
      int r = indexOf(ts, w.end(), s.relPath());
      if (l <= prevRight) {
        throw new IllegalArgumentException(
            s.relPath() + ": window " + k + " overlaps or precedes the previous one");
      }
      out[k] = new int[] {l, r};
      prevRight = r;
    }
    return out;
  }

  private static int indexOf(long[] ts, long t, String file) {
    for (int i = 0; i < ts.length; i++) {
      if (ts[i] == t) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        file + ": window boundary " + java.time.Instant.ofEpochMilli(t) + " is not a row timestamp");
  }

  /** Raw score and row counts at one threshold (rows with score >= threshold are detections). */
  public record ThresholdScore(double threshold, double score, long tp, long tn, long fp, long fn) {}

  /**
   * NAB's calcScoreByThreshold over all files together: one entry per distinct score, highest
   * first, preceded by threshold 1.1 (no detection).
   *
   * @param scores per file, the detector's score of every row (same order as {@code series})
   */
  public static List<ThresholdScore> scoreByThreshold(
      List<NabSeries> series, List<double[]> scores, NabProfile p) {
    checkShapes(series, scores);
    int total = 0;
    for (NabSeries s : series) {
      total += s.size();
    }
    double[] sc = new double[total];
    double[] wt = new double[total];
    int[] win = new int[total];
    int m = 0;
    int windowId = 0;
    for (int f = 0; f < series.size(); f++) {
      NabSeries s = series.get(f);
      Rows r = rows(s, p, windowId);
      windowId += s.windows().size();
      double[] fs = scores.get(f);
      for (int i = 0; i < s.size(); i++) {
        if (r.window()[i] == PROBATION) {
          continue;
        }
        sc[m] = fs[i];
        wt[m] = r.weight()[i];
        win[m] = r.window()[i];
        m++;
      }
    }
    // Windows present among scorable rows start at -fn; windows inside the probation do not count.
    double[] best = new double[windowId];
    boolean[] counted = new boolean[windowId];
    double windowSum = 0;
    long tn = 0;
    long fn = 0;
    for (int k = 0; k < m; k++) {
      if (win[k] >= 0) {
        fn++;
        if (!counted[win[k]]) {
          counted[win[k]] = true;
          best[win[k]] = -p.fnWeight();
          windowSum -= p.fnWeight();
        }
      } else {
        tn++;
      }
    }
    Integer[] order = new Integer[m];
    for (int k = 0; k < m; k++) {
      order[k] = k;
    }
    final double[] scoreOf = sc;
    Arrays.sort(order, (a, b) -> Double.compare(scoreOf[b], scoreOf[a]));
    List<ThresholdScore> out = new ArrayList<>();
    double fpSum = 0;
    long tp = 0;
    long fp = 0;
    double cur = 1.1;
    for (int o = 0; o < m; o++) {
      int k = order[o];
      if (sc[k] != cur) {
        out.add(new ThresholdScore(cur, fpSum + windowSum, tp, tn, fp, fn));
        cur = sc[k];
      }
      if (win[k] >= 0) {
        tp++;
        fn--;
        if (wt[k] > best[win[k]]) {
          windowSum += wt[k] - best[win[k]];
          best[win[k]] = wt[k];
        }
      } else {
        fp++;
        tn--;
        fpSum += wt[k];
      }
    }
    out.add(new ThresholdScore(cur, fpSum + windowSum, tp, tn, fp, fn));
    return out;
  }

  /** The best threshold over the corpus (ties: the higher threshold), as NAB's optimiser. */
  public static ThresholdScore optimise(List<NabSeries> series, List<double[]> scores, NabProfile p) {
    ThresholdScore best = null;
    for (ThresholdScore t : scoreByThreshold(series, scores, p)) {
      if (best == null || t.score() > best.score()) {
        best = t;
      }
    }
    return best;
  }

  /** Raw score of one file at a fixed threshold (NAB's scoreDataSet). */
  public static double scoreAt(NabSeries s, double[] scores, NabProfile p, double threshold) {
    Rows r = rows(s, p, 0);
    double[] best = new double[s.windows().size()];
    boolean[] counted = new boolean[best.length];
    double fpSum = 0;
    for (int i = 0; i < s.size(); i++) {
      int w = r.window()[i];
      if (w == PROBATION) {
        continue;
      }
      boolean detected = scores[i] >= threshold;
      if (w >= 0) {
        if (!counted[w]) {
          counted[w] = true;
          best[w] = -p.fnWeight();
        }
        if (detected) {
          best[w] = Math.max(best[w], r.weight()[i]);
        }
      } else if (detected) {
        fpSum += r.weight()[i];
      }
    }
    double sum = fpSum;
    for (int w = 0; w < best.length; w++) {
      if (counted[w]) {
        sum += best[w];
      }
    }
    return sum;
  }

  /** The result of one profile: threshold, raw scores and the normalised score. */
  public record ProfileResult(
      NabProfile profile, ThresholdScore best, double nullScore, double perfectScore) {
    /** 100 (S - S_null) / (S_perfect - S_null), NAB runner.normalize. */
    public double normalised() {
      return 100.0 * (best.score() - nullScore) / (perfectScore - nullScore);
    }
  }

  /**
   * Sweeps the detector and the null detector (a constant score for every row) over the corpus and
   * normalises. {@code windowCount} is the number of windows in the label file (runner.py's
   * tpCount).
   */
  public static ProfileResult score(
      List<NabSeries> series, List<double[]> scores, NabProfile p, int windowCount) {
    ThresholdScore best = optimise(series, scores, p);
    return new ProfileResult(p, best, nullScore(series, p), windowCount * p.tpWeight());
  }

  /** The null detector's raw score (a constant score for every row, swept like any detector). */
  public static double nullScore(List<NabSeries> series, NabProfile p) {
    List<double[]> nul = new ArrayList<>();
    for (NabSeries s : series) {
      double[] z = new double[s.size()];
      Arrays.fill(z, 0.5);
      nul.add(z);
    }
    return optimise(series, nul, p).score();
  }

  private static void checkShapes(List<NabSeries> series, List<double[]> scores) {
    if (series.size() != scores.size()) {
      throw new IllegalArgumentException(
          series.size() + " series but " + scores.size() + " score arrays");
    }
    for (int f = 0; f < series.size(); f++) {
      if (series.get(f).size() != scores.get(f).length) {
        throw new IllegalArgumentException(
            series.get(f).relPath() + ": " + series.get(f).size() + " rows but "
                + scores.get(f).length + " scores");
      }
    }
  }
}
