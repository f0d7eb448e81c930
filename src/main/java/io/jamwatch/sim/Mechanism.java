package io.jamwatch.sim;

import io.jamwatch.logs.JamTruth;

/** Why a simulated jam happened; {@link #label()} is the name used in {@code jams.csv}. */
public enum Mechanism {
  WEAR(JamTruth.WEAR),
  WOBBLE(JamTruth.WOBBLE),
  ACCUMULATION(JamTruth.ACCUMULATION),
  SUDDEN(JamTruth.SUDDEN);

  private final String label;

  Mechanism(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
