package io.jamwatch.eval;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.HorizonLadder;
import io.jamwatch.scoring.ScoringModel;
import java.util.HashMap;
import java.util.Map;

/**
 * A detector scored in a backtest: fed every accepted event of the log in order (all devices
 * interleaved), keeping whatever per-device state it needs, returning a score where higher means
 * "jam more likely soon".
 */
public interface EventDetector extends AutoCloseable {

  String name();

  /** One line saying what it is (for the report). */
  String describe();

  float score(ScannerEvent e);

  /** Whether the last scored event's device was still warming up (no alert raised then). */
  default boolean warming() {
    return false;
  }

  /**
   * The horizon ladder the detector raises alerts on ({@link HorizonLadder}), or null: alerts on
   * {@link #score}, judged on the backtest's horizon.
   */
  default HorizonLadder ladder() {
    return null;
  }

  /** With a {@link #ladder}: the last scored event's rung probabilities ([0] = its score), live. */
  default float[] rungScores() {
    return null;
  }

  /** The detector's own {raise, clear} thresholds (a model's metadata), or null. */
  default float[] ownThresholds() {
    return null;
  }

  @Override
  default void close() {}

  /**
   * A jamwatch model through the stream's own stepping path ({@link OfflineScorer}); a model that
   * raises alerts on its horizon ladder carries it ({@link #ladder}).
   */
  static EventDetector model(String name, ScoringModel model) {
    OfflineScorer s = new OfflineScorer(model);
    HorizonLadder ladder = model.metadata() != null && model.metadata().alertOnLadder() ? model.ladder() : null;
    return new EventDetector() {
      private boolean warm;

      @Override
      public HorizonLadder ladder() {
        return ladder;
      }

      @Override
      public float[] rungScores() {
        return model.rungScores();
      }

      @Override
      public boolean warming() {
        return warm;
      }

      @Override
      public float[] ownThresholds() {
        return new float[] {model.metadata().raiseThreshold(), model.metadata().clearThreshold()};
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String describe() {
        return model.metadata().cell() + " H=" + model.metadata().hiddenSize() + "x" + model.metadata().layers()
            + ", " + model.metadata().scoreHead().key() + " head" + (ladder == null ? "" : ", alerts on the horizon ladder")
            + ", model " + model.modelId().substring(0, 12);
      }

      @Override
      public float score(ScannerEvent e) {
        OfflineScorer.Scored r = s.score(e);
        warm = r.warming();
        if (r.reject() != null) return Float.NaN;
        if (ladder != null) model.alertSignal(r.score()); // the same step's rungs, as the stream's alert policy sees them
        return r.score();
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }

  /** Baseline: the EWMA z-score of each device's readings (max |z| over readings). */
  static EventDetector ewma(double alpha, int warmup) {
    Map<String, EwmaZScore> devices = new HashMap<>();
    return new EventDetector() {
      @Override
      public String name() {
        return "ewma-z";
      }

      @Override
      public String describe() {
        return "EWMA z-score baseline (alpha " + alpha + ", warm-up " + warmup + " values), max |z| over readings";
      }

      @Override
      public float score(ScannerEvent e) {
        return devices.computeIfAbsent(e.getDeviceId(), d -> new EwmaZScore(alpha, warmup)).score(e);
      }
    };
  }

  /**
   * Baseline: one reading's value as the score ({@code sign} -1: low values alarm); an event without
   * the reading carries the device's last value (0 before the first).
   */
  static EventDetector reading(String reading, int sign, String why) {
    Map<String, Float> last = new HashMap<>();
    return new EventDetector() {
      @Override
      public String name() {
        return "reading:" + reading + (sign < 0 ? "(low)" : "");
      }

      @Override
      public String describe() {
        return "threshold on the single reading " + reading + (sign < 0 ? " (low values alarm)" : "") + "; " + why;
      }

      @Override
      public float score(ScannerEvent e) {
        Float v = e.getReadings().get(reading);
        if (v != null && Float.isFinite(v)) {
          last.put(e.getDeviceId(), sign * v);
          return sign * v;
        }
        return last.getOrDefault(e.getDeviceId(), 0f);
      }
    };
  }
}
