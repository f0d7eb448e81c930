package io.jamwatch.train;

import io.jamwatch.features.FeatureSpec;
import java.util.List;

/**
 * Encoded per-device sequences to train on. Built by the caller (the train command from recorded
 * logs, the benchmark from a CSV), so train/ knows nothing of logs or Kafka.
 *
 * @param spec the feature spec the sequences were encoded with (fitted on training data only), or
 *     null for data not produced by the encoder (the forecast surprise then compares every feature)
 * @param inputSize F
 * @param sequences one per device, in that device's time order
 */
public record TrainingData(FeatureSpec spec, int inputSize, List<Sequence> sequences) {

  /** Label codes (those of io.jamwatch.logs.Labeller): steps with a negative code are not scored. */
  public static final byte POSITIVE = 1, NEGATIVE = 0;

  /**
   * One device's history.
   *
   * @param deviceId device
   * @param x encoded events [n * F]
   * @param timeMillis event times [n], in the order the device's events arrive (a late event may be
   *     older than the one before it, as in the stream)
   * @param labels risk labels [n] (1 jam within horizon, 0 not, negative = excluded), or null
   * @param horizonLabels the same per extra risk horizon [K][n], or null (no extra horizons)
   */
  public record Sequence(String deviceId, float[] x, long[] timeMillis, byte[] labels, byte[][] horizonLabels) {
    /** Without extra horizons. */
    public Sequence(String deviceId, float[] x, long[] timeMillis, byte[] labels) {
      this(deviceId, x, timeMillis, labels, null);
    }

    public Sequence {
      if (horizonLabels != null)
        for (byte[] y : horizonLabels)
          if (y.length != timeMillis.length)
            throw new IllegalArgumentException("device " + deviceId + ": " + y.length + " horizon labels for " + timeMillis.length + " events");
      if (deviceId == null) throw new IllegalArgumentException("sequence deviceId must be set");
      if (labels != null && labels.length != timeMillis.length)
        throw new IllegalArgumentException("device " + deviceId + ": " + labels.length + " labels for " + timeMillis.length + " events");
    }

    public int length() {
      return timeMillis.length;
    }
  }

  public TrainingData {
    if (inputSize < 1) throw new IllegalArgumentException("inputSize must be >= 1");
    sequences = List.copyOf(sequences);
    if (sequences.isEmpty()) throw new IllegalArgumentException("no sequences to train on");
    if (spec != null && spec.size() != inputSize)
      throw new IllegalArgumentException("feature spec has " + spec.size() + " features, data has " + inputSize);
    for (Sequence s : sequences) {
      if (s.x().length != s.length() * inputSize)
        throw new IllegalArgumentException("device " + s.deviceId() + ": x has " + s.x().length + " floats for " + s.length() + " events of " + inputSize);
      for (float v : s.x())
        if (!Float.isFinite(v)) throw new IllegalArgumentException("device " + s.deviceId() + ": non-finite feature value");
    }
  }

  public long events() {
    long n = 0;
    for (Sequence s : sequences) n += s.length();
    return n;
  }

  /** Counts of steps per label code: [positive, negative, excluded]. */
  public long[] labelCounts() {
    long[] c = new long[3];
    for (Sequence s : sequences) {
      if (s.labels() == null) continue;
      for (byte b : s.labels()) c[b == POSITIVE ? 0 : b == NEGATIVE ? 1 : 2]++;
    }
    return c;
  }
}
