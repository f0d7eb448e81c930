package io.jamwatch.eval;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.Labeller;
import io.jamwatch.logs.RecordedLogReader;
import java.nio.file.Path;
import io.jamwatch.scoring.HorizonLadder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The window baseline: logistic regression on {@link WindowFeatures} of the last 60 s of a
 * scanner's events, trained on a recorded log with the trainer's labels ({@link Labeller}: a jam
 * within the horizon; in-jam and censored events left out). Features are standardised on the
 * training rows (a NaN feature becomes the training mean); L2 penalty {@link #L2}; Newton's method,
 * so the same log gives the same model. At most {@link #MAX_ROWS} rows: every positive, the
 * negatives thinned with a fixed stride and weighted by it, so the fitted probabilities stay
 * calibrated to the log's base rate.
 */
public final class WindowBaseline {
  public static final long WINDOW_MILLIS = 60_000L;
  public static final double L2 = 1.0;
  public static final int MAX_ROWS = 400_000;

  private final WindowFeatures spec;
  private final double[] mean;
  private final double[] std;
  private final LogisticRegression model;
  private final String trainedOn;

  private WindowBaseline(WindowFeatures spec, double[] mean, double[] std, LogisticRegression model, String trainedOn) {
    this.spec = spec;
    this.mean = mean;
    this.std = std;
    this.model = model;
    this.trainedOn = trainedOn;
  }

  /** Trains on {@code logs} with labels for {@code horizonMillis}. */
  public static WindowBaseline train(Path logs, long horizonMillis) {
    List<String> readings = new ArrayList<>(Backtest.readingNames(logs));
    // Pass 1: each device's event types and times, for the labels.
    Map<String, List<ScannerEvent>> light = new LinkedHashMap<>();
    long end = Long.MIN_VALUE;
    try (RecordedLogReader.EventStream in = RecordedLogReader.open(logs)) {
      while (in.hasNext()) {
        ScannerEvent e = in.next();
        end = Math.max(end, e.getEventTime().toEpochMilli());
        light.computeIfAbsent(e.getDeviceId(), d -> new ArrayList<>()).add(ScannerEvent.newBuilder()
            .setDeviceId(e.getDeviceId()).setLineId("").setEventTime(e.getEventTime()).setType(e.getType())
            .setReadings(Map.of()).build());
      }
    } catch (Exception ex) {
      throw new IllegalStateException("reading " + logs + ": " + ex.getMessage(), ex);
    }
    Map<String, byte[]> labels = new LinkedHashMap<>();
    long pos = 0;
    long neg = 0;
    for (Map.Entry<String, List<ScannerEvent>> d : light.entrySet()) {
      // The labeller wants time order; the log is in it per device (the reader merges by time).
      List<ScannerEvent> l = d.getValue();
      byte[] y = Labeller.label(l, horizonMillis, end);
      labels.put(d.getKey(), y);
      for (byte b : y) {
        if (b == Labeller.POSITIVE) pos++;
        else if (b == Labeller.NEGATIVE) neg++;
      }
    }
    light.clear();
    if (pos == 0) {
      throw new IllegalArgumentException("the window baseline needs jams in its training log " + logs);
    }
    long stride = Math.max(1, (neg + pos) / MAX_ROWS + ((neg + pos) % MAX_ROWS == 0 ? 0 : 1));
    // Pass 2: features of every kept event, in log order (each device's window as in scoring).
    WindowFeatures f = new WindowFeatures(WINDOW_MILLIS, readings);
    List<double[]> rows = new ArrayList<>();
    List<Boolean> ys = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    Map<String, int[]> index = new LinkedHashMap<>();
    long negSeen = 0;
    try (RecordedLogReader.EventStream in = RecordedLogReader.open(logs)) {
      while (in.hasNext()) {
        ScannerEvent e = in.next();
        double[] x = new double[f.size()];
        f.add(e, x);
        int i = index.computeIfAbsent(e.getDeviceId(), d -> new int[1])[0]++;
        byte y = labels.get(e.getDeviceId())[i];
        if (y == Labeller.POSITIVE) {
          rows.add(x);
          ys.add(true);
          ws.add(1.0);
        } else if (y == Labeller.NEGATIVE && negSeen++ % stride == 0) {
          rows.add(x);
          ys.add(false);
          ws.add((double) stride);
        }
      }
    } catch (Exception ex) {
      throw new IllegalStateException("reading " + logs + ": " + ex.getMessage(), ex);
    }
    int d = f.size();
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      double s = 0;
      int n = 0;
      for (double[] r : rows) {
        if (!Double.isNaN(r[j])) {
          s += r[j];
          n++;
        }
      }
      mean[j] = n == 0 ? 0 : s / n;
      double v = 0;
      for (double[] r : rows) {
        if (!Double.isNaN(r[j])) {
          v += (r[j] - mean[j]) * (r[j] - mean[j]);
        }
      }
      std[j] = n < 2 || v == 0 ? 1 : Math.sqrt(v / n);
    }
    double[][] x = new double[rows.size()][];
    boolean[] y = new boolean[x.length];
    double[] w = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = standardise(rows.get(i), mean, std);
      y[i] = ys.get(i);
      w[i] = ws.get(i);
    }
    LogisticRegression lr = LogisticRegression.fit(x, y, w, L2, 25);
    String on = String.format(Locale.ROOT, "%s (%,d rows: %,d positive, negatives 1 in %d)", logs, x.length, pos, stride);
    return new WindowBaseline(f, mean, std, lr, on);
  }

  static double[] standardise(double[] raw, double[] mean, double[] std) {
    double[] z = new double[raw.length];
    for (int j = 0; j < raw.length; j++) {
      z[j] = Double.isNaN(raw[j]) ? 0 : (raw[j] - mean[j]) / std[j];
    }
    return z;
  }

  /** The fitted model as a detector with its own, fresh per-device windows. */
  public EventDetector detector() {
    return detector("window-60s", "window baseline: L2 logistic regression on the last 60 s of the scanner's events"
        + " (per reading mean, std, min, max, slope; event-type counts; gaps; " + spec.size() + " features), trained on "
        + trainedOn, List.of(this), null);
  }

  /**
   * The window baseline on a horizon ladder, as a ladder model raises alerts: one logistic regression
   * per horizon of {@code ladder} (rung 0 first), each trained on its own labels, on the same
   * 60-s window features; its score is rung 0's probability, and alerts are raised on the ladder's
   * signal, each claiming its horizon ({@link HorizonLadder}). A ladder model's fair baseline.
   */
  public static EventDetector ladderDetector(Path logs, HorizonLadder ladder) {
    List<WindowBaseline> rungs = new ArrayList<>();
    StringBuilder hs = new StringBuilder();
    for (int r = 0; r < ladder.rungs(); r++) {
      rungs.add(train(logs, ladder.millis(r)));
      hs.append(r == 0 ? "" : "/").append(ladder.millis(r) / 1000).append(" s");
    }
    WindowBaseline first = rungs.get(0);
    return detector("window-60s-ladder", "window baseline on the horizon ladder " + hs + ": one L2 logistic regression"
        + " per horizon on the last 60 s of the scanner's events (" + first.spec.size() + " features), alerts on the"
        + " ladder's signal; trained on " + first.trainedOn, rungs, ladder);
  }

  /**
   * One detector over fresh per-device windows scoring every fitted model of {@code rungs} (same
   * window features): its score is the first's probability; with a {@code ladder}, alerts on all.
   */
  private static EventDetector detector(String name, String description, List<WindowBaseline> rungs, HorizonLadder ladder) {
    WindowBaseline first = rungs.get(0);
    WindowFeatures live = new WindowFeatures(first.spec.windowMillis(), first.spec.readings());
    double[] raw = new double[live.size()];
    float[] p = new float[rungs.size()];
    return new EventDetector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public HorizonLadder ladder() {
        return ladder;
      }

      @Override
      public float[] rungScores() {
        return ladder == null ? null : p;
      }

      @Override
      public float score(ScannerEvent e) {
        live.add(e, raw);
        for (int r = 0; r < p.length; r++) {
          WindowBaseline b = rungs.get(r);
          p[r] = (float) b.model.probability(standardise(raw, b.mean, b.std));
        }
        return p[0];
      }
    };
  }

  /** Feature names and fitted coefficients on standardised features (intercept last), for reports. */
  public Map<String, Double> coefficients() {
    Map<String, Double> out = new LinkedHashMap<>();
    double[] b = model.coefficients();
    List<String> names = spec.names();
    for (int j = 0; j < names.size(); j++) {
      out.put(names.get(j), b[j]);
    }
    out.put("intercept", b[b.length - 1]);
    return out;
  }

}
