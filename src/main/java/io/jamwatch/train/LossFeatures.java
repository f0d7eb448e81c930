package io.jamwatch.train;

/**
 * The features a forecast is trained on: the value features, each counted only where its missing
 * indicator in the target is 0 (an imputed value carries no information, and a binary indicator or
 * event-type one-hot is on another scale; ForecastSurprise scores the same set).
 *
 * @param idx       feature indices
 * @param indicator for each, the index of its missing indicator, or -1 (always present)
 */
public record LossFeatures(int[] idx, int[] indicator) {
  public LossFeatures {
    if (idx.length != indicator.length) throw new IllegalArgumentException("idx and indicator lengths differ");
    if (idx.length == 0) throw new IllegalArgumentException("a forecast needs at least one feature in its loss");
    idx = idx.clone();
    indicator = indicator.clone();
  }
}
