package io.jamwatch.train;

import java.util.Arrays;

/**
 * Threshold-free ranking metrics of scores against binary labels. Tied scores enter the curves as
 * one step, so results do not depend on the order of tied items.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * PR-AUC as average precision, AP = sum_k (R_k - R_{k-1}) P_k over descending thresholds (the
   * step-wise estimate of scikit-learn's average_precision_score; no optimistic interpolation).
   * NaN without positives.
   */
  public static double averagePrecision(float[] scores, boolean[] positive, int n) {
    int[] order = descending(scores, n);
    long pos = 0;
    for (int i = 0; i < n; i++) if (positive[i]) pos++;
    if (pos == 0) return Double.NaN;
    double ap = 0;
    long tp = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      long prevTp = tp;
      float s = scores[order[i]];
      while (j < n && scores[order[j]] == s) {
        if (positive[order[j]]) tp++;
        j++;
      }
      ap += (double) (tp - prevTp) / pos * ((double) tp / j);
      i = j;
    }
    return ap;
  }

  /** ROC-AUC = P(a random positive scores above a random negative), ties half. NaN if a class is empty. */
  public static double rocAuc(float[] scores, boolean[] positive, int n) {
    int[] order = descending(scores, n);
    long pos = 0, neg = 0;
    for (int i = 0; i < n; i++) if (positive[i]) pos++; else neg++;
    if (pos == 0 || neg == 0) return Double.NaN;
    double wrong = 0; // pairs with the negative ranked above the positive
    long negAbove = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      long p = 0, q = 0;
      float s = scores[order[i]];
      while (j < n && scores[order[j]] == s) {
        if (positive[order[j]]) p++; else q++;
        j++;
      }
      wrong += p * (negAbove + 0.5 * q);
      negAbove += q;
      i = j;
    }
    return 1.0 - wrong / ((double) pos * neg);
  }

  /** Indices of scores[0..n) by descending score (NaN last). */
  static int[] descending(float[] scores, int n) {
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      float v = Float.isNaN(scores[i]) ? Float.NEGATIVE_INFINITY : scores[i];
      int bits = Float.floatToIntBits(-v + 0f);
      int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
      keys[i] = ((long) sortable << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = (int) keys[i];
    return order;
  }
}
