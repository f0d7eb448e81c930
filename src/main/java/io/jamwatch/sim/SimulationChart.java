package io.jamwatch.sim;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.logs.RecordedLogReader;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The picture {@code simulate} writes: for one jam of each mechanism, the jammed scanner's
 * readings from before its precursor to after the jam, the precursor start and the jam marked, so
 * a person can see what the model is asked to learn. Reads the written log back in one streaming
 * pass, keeping only the points inside the chosen windows.
 */
public final class SimulationChart {

  public static final String FILE_NAME = "readings.png";
  private static final long MINUTE = 60_000;

  private record Panel(JamTruth jam, long from, long to, Map<String, List<double[]>> points) {}

  private SimulationChart() {}

  /** Writes the PNG to {@code png} and returns it; a log without jams gives a picture saying so. */
  public static Path write(Path logDir, List<JamTruth> truth, Path png) {
    System.setProperty("java.awt.headless", "true");
    List<Panel> panels = choose(truth);
    if (!panels.isEmpty()) {
      fill(logDir, panels);
    }
    List<XYChart> charts = new ArrayList<>();
    for (Panel p : panels) {
      charts.add(chart(p, "motor / vibration",
          new String[] {Readings.MOTOR_CURRENT_A, Readings.VIBRATION_RMS}, new double[] {1, 1}));
      charts.add(chart(p, "offset / gap / dwell",
          new String[] {Readings.LATERAL_OFFSET_MM, Readings.GAP_MS, Readings.DWELL_MS},
          new double[] {1, 0.01, 0.1}));
    }
    if (charts.isEmpty()) {
      XYChart empty = new XYChartBuilder().width(900).height(300).title("no jam in this log").build();
      empty.addSeries("none", new double[] {0}, new double[] {0});
      charts.add(empty);
    }
    try {
      int rows = Math.max(1, panels.size());
      BitmapEncoder.saveBitmap(charts, rows, panels.isEmpty() ? 1 : 2, png.toString(),
          BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
    return png;
  }

  private static List<Panel> choose(List<JamTruth> truth) {
    List<Panel> panels = new ArrayList<>();
    long logStart = truth.stream().mapToLong(JamTruth::jamTime).min().orElse(0);
    for (String mechanism : JamTruth.MECHANISMS) {
      JamTruth pick = null;
      for (JamTruth j : truth) {
        if (!j.mechanism().equals(mechanism)) {
          continue;
        }
        pick = j;
        // Prefer a jam whose precursor is well inside the log (not the first minutes).
        if (j.precursorStart() == -1 || j.precursorStart() > logStart) {
          break;
        }
      }
      if (pick != null) {
        long from = pick.precursorStart() == -1 ? pick.jamTime() - 15 * MINUTE
            : pick.precursorStart() - 5 * MINUTE;
        long to = pick.jamTime() + 5 * MINUTE;
        panels.add(new Panel(pick, from, to, new java.util.LinkedHashMap<>()));
      }
    }
    return panels;
  }

  private static void fill(Path logDir, List<Panel> panels) {
    try (RecordedLogReader.EventStream events = RecordedLogReader.open(logDir)) {
      while (events.hasNext()) {
        ScannerEvent e = events.next();
        long t = e.getEventTime().toEpochMilli();
        for (Panel p : panels) {
          if (t < p.from || t > p.to || !p.jam.deviceId().equals(e.getDeviceId())) {
            continue;
          }
          double minutes = (t - p.jam.jamTime()) / (double) MINUTE;
          for (Map.Entry<String, Float> r : e.getReadings().entrySet()) {
            p.points.computeIfAbsent(r.getKey(), k -> new ArrayList<>())
                .add(new double[] {minutes, r.getValue()});
          }
        }
      }
    }
  }

  private static XYChart chart(Panel p, String what, String[] readings, double[] scales) {
    JamTruth j = p.jam;
    String title = String.format("%s jam at %s: %s", j.mechanism(), j.deviceId(), what);
    XYChart c = new XYChartBuilder().width(900).height(300).title(title)
        .xAxisTitle("minutes relative to the jam").build();
    c.getStyler().setMarkerSize(2);
    List<Double> all = new ArrayList<>();
    for (int i = 0; i < readings.length; i++) {
      List<double[]> pts = p.points.get(readings[i]);
      if (pts == null || pts.isEmpty()) {
        continue;
      }
      double[] x = new double[pts.size()];
      double[] y = new double[pts.size()];
      for (int k = 0; k < x.length; k++) {
        x[k] = pts.get(k)[0];
        y[k] = pts.get(k)[1] * scales[i];
        all.add(y[k]);
      }
      String name = scales[i] == 1 ? readings[i] : readings[i] + " x" + scales[i];
      XYSeries s = c.addSeries(name, x, y);
      s.setMarker(SeriesMarkers.NONE);
    }
    // Axis from the 0.5th to the 99.5th percentile: a few sensor spikes must not flatten the picture.
    double lo = 0, hi = 1;
    if (!all.isEmpty()) {
      all.sort(null);
      lo = all.get((int) (0.005 * (all.size() - 1)));
      hi = all.get((int) Math.ceil(0.995 * (all.size() - 1)));
      double pad = Math.max(1e-3, 0.1 * (hi - lo));
      lo -= pad;
      hi += pad;
      c.getStyler().setYAxisMin(lo);
      c.getStyler().setYAxisMax(hi);
    }
    marker(c, "jam", 0, lo, hi, Color.RED);
    if (j.precursorStart() != -1) {
      marker(c, "precursor start", (j.precursorStart() - j.jamTime()) / (double) MINUTE, lo, hi, new Color(0, 150, 0));
    }
    if (j.clearTime() != -1) {
      marker(c, "cleared", (j.clearTime() - j.jamTime()) / (double) MINUTE, lo, hi, Color.GRAY);
    }
    return c;
  }

  /** A vertical line drawn as a two-point series (XChart annotations share one colour). */
  private static void marker(XYChart c, String name, double x, double lo, double hi, Color color) {
    XYSeries s = c.addSeries(name, new double[] {x, x}, new double[] {lo, hi});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineWidth(2f);
  }
}
