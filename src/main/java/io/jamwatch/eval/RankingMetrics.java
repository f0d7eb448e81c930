package io.jamwatch.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Threshold-free metrics of a per-event score against binary labels, and the PR curve behind
 * them. Tied scores form one threshold (no arbitrary order among ties), as in scikit-learn's
 * {@code average_precision_score} and {@code roc_auc_score}. The two areas are computed by the
 * trainer's {@link io.jamwatch.train.RankingMetrics} (one implementation for validation and backtest);
 * the tests here pin both to hand-worked cases.
 *
 * <ul>
 *   <li>PR-AUC as average precision: AP = sum_k (R_k - R_{k-1}) P_k over the distinct thresholds,
 *       highest first (no interpolation).
 *   <li>ROC-AUC by the trapezoid rule over distinct thresholds, which equals the Mann-Whitney U
 *       statistic with ties counted one half.
 * </ul>
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /** One point of a curve at one distinct threshold (detections: score >= threshold). */
  public record Point(double threshold, long tp, long fp, double precision, double recall, double fpr) {}

  /** Points at every distinct score, highest first. */
  public static List<Point> curve(float[] scores, boolean[] positive) {
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
    }
    int n = scores.length;
    long pos = 0;
    for (boolean b : positive) {
      if (b) {
        pos++;
      }
    }
    long neg = n - pos;
    int[] order = sortedDescending(scores);
    List<Point> out = new ArrayList<>();
    long tp = 0;
    long fp = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (Float.isNaN(scores[i])) {
        throw new IllegalArgumentException("score " + i + " is NaN");
      }
      if (positive[i]) {
        tp++;
      } else {
        fp++;
      }
      boolean lastOfTie = k == n - 1 || scores[order[k + 1]] != scores[i];
      if (lastOfTie) {
        out.add(new Point(scores[i], tp, fp, (double) tp / (tp + fp),
            pos == 0 ? Double.NaN : (double) tp / pos, neg == 0 ? Double.NaN : (double) fp / neg));
      }
    }
    return out;
  }

  /** Average precision; NaN when there is no positive (nn.RankingMetrics, the trainer's own). */
  public static double averagePrecision(float[] scores, boolean[] positive) {
    return io.jamwatch.train.RankingMetrics.averagePrecision(scores, positive, scores.length);
  }

  /** ROC-AUC, ties one half; NaN when a class is empty (nn.RankingMetrics, the trainer's own). */
  public static double rocAuc(float[] scores, boolean[] positive) {
    return io.jamwatch.train.RankingMetrics.rocAuc(scores, positive, scores.length);
  }

  private static int[] sortedDescending(float[] scores) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Float.compare(scores[b], scores[a]));
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }
}
