package io.jamwatch.cli;

import io.jamwatch.train.EpochRecord;
import io.jamwatch.train.TrainResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The pictures of a training run: learning curves, the cell comparison, gate activations. */
public final class TrainingCharts {
  private TrainingCharts() {}

  /** Training and validation loss, and the validation metric, per epoch (two panels). */
  public static void learningCurve(TrainResult r, String title, Path png) {
    XYChart loss = chart(title + ": loss", "epoch", "loss");
    XYChart metric = chart(title + ": validation " + r.metricName(), "epoch", r.metricName());
    addSeries(loss, "training loss", r.curve(), e -> e.trainLoss());
    addSeries(loss, "validation loss", r.curve(), e -> e.validationLoss());
    addSeries(metric, "validation " + r.metricName(), r.curve(), e -> e.validationMetric());
    // Best epoch 0: no epoch beat a residual forecast's near-persistence start, which was kept.
    if (r.bestEpoch() >= 1) {
      double[] best = {r.bestEpoch()};
      double[] bestY = {r.curve().get(r.bestEpoch() - 1).validationMetric()};
      if (Double.isFinite(bestY[0])) metric.addSeries("kept (best epoch)", best, bestY);
    }
    save(List.of(loss, metric), 1, 2, png);
  }

  /** The validation metric per epoch of each compared cell, one panel. */
  public static void compareCurves(Map<String, TrainResult> byCell, Path png) {
    String metric = byCell.values().iterator().next().metricName();
    XYChart c = chart("validation " + metric + " per epoch, same data, seed and budget", "epoch", metric);
    for (Map.Entry<String, TrainResult> e : byCell.entrySet())
      addSeries(c, e.getKey(), e.getValue().curve(), r -> r.validationMetric());
    XYChart l = chart("validation loss per epoch", "epoch", "loss");
    for (Map.Entry<String, TrainResult> e : byCell.entrySet())
      addSeries(l, e.getKey(), e.getValue().curve(), r -> r.validationLoss());
    save(List.of(c, l), 1, 2, png);
  }

  /** Mean gate activation by offset (events) from the jam, one series per cell. */
  public static void gateActivations(Map<String, double[]> meanByOffset, int[] offsets, int jamsAveraged, Path png) {
    XYChart c =
        chart("keep-gate mean around " + jamsAveraged + " jams (0 = JAM event)",
            "events relative to the jam", "mean gate activation");
    double[] x = new double[offsets.length];
    for (int i = 0; i < x.length; i++) x[i] = offsets[i];
    for (Map.Entry<String, double[]> e : meanByOffset.entrySet()) c.addSeries(e.getKey(), x, e.getValue()).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    save(List.of(c), 1, 1, png);
  }

  private static XYChart chart(String title, String x, String y) {
    System.setProperty("java.awt.headless", "true");
    return new XYChartBuilder().width(700).height(400).title(title).xAxisTitle(x).yAxisTitle(y).build();
  }

  private static void addSeries(XYChart c, String name, List<EpochRecord> curve, java.util.function.ToDoubleFunction<EpochRecord> f) {
    List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
    for (EpochRecord e : curve) {
      double v = f.applyAsDouble(e);
      if (!Double.isFinite(v)) continue;
      xs.add((double) e.epoch());
      ys.add(v);
    }
    if (xs.isEmpty()) return;
    c.addSeries(name, xs, ys);
  }

  private static void save(List<XYChart> charts, int rows, int cols, Path png) {
    try {
      BitmapEncoder.saveBitmap(charts, rows, cols, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }
}
