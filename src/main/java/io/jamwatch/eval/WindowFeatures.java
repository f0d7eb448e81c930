package io.jamwatch.eval;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scanner's last {@code windowMillis} of events say, with no memory beyond that: per
 * reading the mean, standard deviation, min, max and least-squares slope (per second) of the values
 * seen in the window; the count of each event type; the mean and largest gap between consecutive
 * events in the window and the gap before the newest event. A feature with nothing to be computed
 * from (no value of the reading in the window, a single event) is NaN; the model fills it in.
 *
 * <p>The window baseline's input ({@link WindowBaseline}): what a detector without recurrent state
 * can know, so the backtest shows what the recurrent state buys.
 */
public final class WindowFeatures {
  private static final String[] STATS = {"mean", "std", "min", "max", "slope"};
  private static final EventType[] TYPES = EventType.values();

  private final long windowMillis;
  private final List<String> readings;
  private final Map<String, ArrayDeque<Entry>> devices = new HashMap<>();
  private final Map<String, Long> lastTime = new HashMap<>();

  private record Entry(long t, int type, float[] values) {}

  public WindowFeatures(long windowMillis, List<String> readings) {
    if (windowMillis <= 0 || readings.isEmpty()) {
      throw new IllegalArgumentException("window features need a window > 0 and at least one reading");
    }
    this.windowMillis = windowMillis;
    this.readings = List.copyOf(readings);
  }

  public List<String> readings() {
    return readings;
  }

  public long windowMillis() {
    return windowMillis;
  }

  /** Number of features. */
  public int size() {
    return readings.size() * STATS.length + TYPES.length + 3;
  }

  /** Feature names, in the order {@link #add} writes them. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (String r : readings) {
      for (String s : STATS) {
        out.add(r + "_" + s);
      }
    }
    for (EventType t : TYPES) {
      out.add("count_" + t.name().toLowerCase(java.util.Locale.ROOT));
    }
    out.add("gap_mean");
    out.add("gap_max");
    out.add("gap_last");
    return out;
  }

  /** Adds {@code e} to its device's window and writes the window's features into {@code out}. */
  public void add(ScannerEvent e, double[] out) {
    long t = e.getEventTime().toEpochMilli();
    float[] v = new float[readings.size()];
    for (int k = 0; k < v.length; k++) {
      Float x = e.getReadings().get(readings.get(k));
      v[k] = x != null && Float.isFinite(x) ? x : Float.NaN;
    }
    ArrayDeque<Entry> w = devices.computeIfAbsent(e.getDeviceId(), d -> new ArrayDeque<>());
    w.addLast(new Entry(t, e.getType().ordinal(), v));
    while (w.peekFirst().t() <= t - windowMillis) {
      w.removeFirst();
    }
    Long prev = lastTime.put(e.getDeviceId(), t);
    int p = 0;
    for (int k = 0; k < v.length; k++) {
      int n = 0;
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double st = 0;
      for (Entry x : w) {
        float y = x.values()[k];
        if (Float.isNaN(y)) {
          continue;
        }
        n++;
        sum += y;
        st += (x.t() - t) / 1000.0;
        min = Math.min(min, y);
        max = Math.max(max, y);
      }
      if (n == 0) {
        for (int s = 0; s < STATS.length; s++) {
          out[p++] = Double.NaN;
        }
        continue;
      }
      double mean = sum / n;
      double tm = st / n;
      double var = 0;
      double cov = 0;
      double vt = 0;
      for (Entry x : w) {
        float y = x.values()[k];
        if (Float.isNaN(y)) {
          continue;
        }
        double dt = (x.t() - t) / 1000.0 - tm;
        var += (y - mean) * (y - mean);
        cov += dt * (y - mean);
        vt += dt * dt;
      }
      out[p++] = mean;
      out[p++] = Math.sqrt(var / n);
      out[p++] = min;
      out[p++] = max;
      out[p++] = vt > 0 ? cov / vt : Double.NaN;
    }
    int base = p;
    for (int k = 0; k < TYPES.length; k++) {
      out[base + k] = 0;
    }
    long first = Long.MIN_VALUE;
    long last = Long.MIN_VALUE;
    long maxGap = Long.MIN_VALUE;
    for (Entry x : w) {
      out[base + x.type()]++;
      if (last != Long.MIN_VALUE) {
        maxGap = Math.max(maxGap, x.t() - last);
      } else {
        first = x.t();
      }
      last = x.t();
    }
    p = base + TYPES.length;
    out[p++] = w.size() < 2 ? Double.NaN : (last - first) / 1000.0 / (w.size() - 1);
    out[p++] = w.size() < 2 ? Double.NaN : maxGap / 1000.0;
    out[p] = prev == null ? Double.NaN : (t - prev) / 1000.0;
  }
}
