package io.jamwatch.model;

/** Which head a model is trained with (DESIGN.md "Two heads on one recurrent body"). */
public enum Head {
  /** Supervised: probability of a jam within the horizon (sigmoid, weighted BCE, Platt-calibrated). */
  RISK,
  /** Self-supervised: the next encoded event (linear, MSE); surprise turned into a score in [0, 1]. */
  FORECAST;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
