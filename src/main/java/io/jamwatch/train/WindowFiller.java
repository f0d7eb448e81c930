package io.jamwatch.train;

import io.jamwatch.train.TrainingData.Sequence;
import java.util.Arrays;

/** Writes one step of a sequence (or padding) into row tb of a window, with its targets and masks. */
final class WindowFiller {
  private WindowFiller() {}

  /**
   * Step i of {@code seq}; rows past {@code end} are padding (zero input, masked out). The risk
   * target counts from {@code scoreFrom} on, for labels &gt;= 0; the forecast target is the next
   * event when it exists before {@code targetEnd}.
   */
  static void fill(
      WindowBatch b, int tb, Sequence seq, int i, int end, int targetEnd, int scoreFrom, boolean risk, boolean forecast) {
    fill(b, tb, seq, i, end, targetEnd, scoreFrom, risk, forecast, null);
  }

  /**
   * As above; {@code loss} (null = every feature) restricts the forecast loss of the row to the
   * listed features that are present in the target (missing indicator 0).
   */
  static void fill(
      WindowBatch b, int tb, Sequence seq, int i, int end, int targetEnd, int scoreFrom, boolean risk, boolean forecast,
      LossFeatures loss) {
    int F = b.inputSize;
    if (i >= end) {
      Arrays.fill(b.x, tb * F, (tb + 1) * F, 0f);
      b.riskMask[tb] = 0f;
      b.riskY[tb] = 0f;
      b.predMask[tb] = 0f;
      java.util.Arrays.fill(b.horizonMask, tb * b.horizons, (tb + 1) * b.horizons, 0f);
      return;
    }
    System.arraycopy(seq.x(), i * F, b.x, tb * F, F);
    boolean scored = i >= scoreFrom;
    if (risk) {
      byte y = seq.labels() == null ? -1 : seq.labels()[i];
      b.riskY[tb] = y == TrainingData.POSITIVE ? 1f : 0f;
      b.riskMask[tb] = scored && y >= 0 ? 1f : 0f;
    } else {
      b.riskMask[tb] = 0f;
    }
    for (int k = 0; k < b.horizons; k++) {
      // extra horizons: the same rule as the primary label, each from its own labelling
      byte y = risk && seq.horizonLabels() != null ? seq.horizonLabels()[k][i] : -1;
      b.horizonY[tb * b.horizons + k] = y == TrainingData.POSITIVE ? 1f : 0f;
      b.horizonMask[tb * b.horizons + k] = scored && y >= 0 ? 1f : 0f;
    }
    if (forecast && scored && i + 1 < targetEnd) {
      System.arraycopy(seq.x(), (i + 1) * F, b.predY, tb * F, F);
      b.predMask[tb] = 1f;
      if (loss != null) {
        int o = tb * F;
        Arrays.fill(b.predLoss, o, o + F, 0f);
        for (int k = 0; k < loss.idx().length; k++) {
          int ind = loss.indicator()[k];
          if (ind < 0 || b.predY[o + ind] == 0f) b.predLoss[o + loss.idx()[k]] = 1f;
        }
      }
    } else {
      b.predMask[tb] = 0f;
    }
  }
}
