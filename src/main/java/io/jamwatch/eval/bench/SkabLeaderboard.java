package io.jamwatch.eval.bench;

import java.util.List;

/**
 * The published SKAB "proposed" leaderboard (waico/SKAB README at commit b2c0d46, checked in
 * shared/eval/skab/SOURCE.md), printed beside our figures. Reference values, not our results;
 * they are about the full 34-file benchmark.
 */
public final class SkabLeaderboard {

  private SkabLeaderboard() {}

  /** One outlier-detection row: F1, FAR %, MAR %. */
  public record Outlier(String algorithm, double f1, double far, double mar) {}

  /** One changepoint row: NAB Standard, LowFP, LowFN, missed CPs, FPs (-1 = not given). */
  public record Changepoint(String algorithm, double standard, double lowFp, double lowFn, int missed, int fps) {}

  public static final List<Outlier> OUTLIER =
      List.of(
          new Outlier("Perfect detector", 1, 0, 0),
          new Outlier("Conv-AE", 0.78, 13.55, 28.02),
          new Outlier("MSET", 0.78, 39.73, 14.13),
          new Outlier("T-squared+Q (PCA-based)", 0.76, 26.62, 24.92),
          new Outlier("LSTM-AE", 0.74, 29.96, 25.92),
          new Outlier("T-squared", 0.66, 19.21, 42.6),
          new Outlier("LSTM-VAE", 0.56, 9.13, 55.03),
          new Outlier("Vanilla LSTM", 0.54, 12.54, 59.53),
          new Outlier("MSCRED", 0.36, 49.94, 69.88),
          new Outlier("Vanilla AE", 0.39, 2.59, 75.15),
          new Outlier("Isolation forest", 0.29, 2.56, 82.89),
          new Outlier("Null detector", 0, 0, 100));

  public static final List<Changepoint> CHANGEPOINT =
      List.of(
          new Changepoint("Perfect detector", 100, 100, 100, 0, 0),
          new Changepoint("MSCRED", 32.42, 16.53, 40.28, 55, 342),
          new Changepoint("Isolation forest (30-sample hold)", 26.16, 19.5, 30.82, 76, 135),
          new Changepoint("T-squared+Q (PCA-based)", 25.35, 14.51, 31.33, 72, 232),
          new Changepoint("Conv-AE", 23.61, 21.54, 27.55, 82, 23),
          new Changepoint("LSTM-AE", 23.51, 20.11, 25.91, 88, 69),
          new Changepoint("T-squared", 19.54, 10.2, 24.31, 70, 106),
          new Changepoint("MSET", 13.84, 10.22, 17.37, 96, 66),
          new Changepoint("Vanilla AE", 11.41, 6.53, 13.91, 103, 106),
          new Changepoint("Vanilla LSTM", 11.31, -3.8, 17.25, 90, 342),
          new Changepoint("ArimaFD", -0.09, -0.17, -0.06, 127, 2),
          new Changepoint("Null detector", 0, 0, 0, -1, -1));
}
