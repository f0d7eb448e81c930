package io.jamwatch.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a backtest as a self-contained HTML page (XChart PNGs inlined as base64) and a
 * machine-readable summary.json.
 */
public final class BacktestReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Jams plotted per mechanism in the risk-over-time pictures. */
  static final int JAMS_PER_MECHANISM = 2;

  private BacktestReport() {}

  public static void write(Backtest.Result r, Map<String, String> context, Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("summary.json").toFile(), summary(r, context));
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>jamwatch backtest</title><style>")
        .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}")
        .append("th{background:#eee}td:first-child{text-align:left}img{max-width:100%}</style></head><body>");
    h.append("<h1>jamwatch backtest</h1><p>");
    for (Map.Entry<String, String> c : context.entrySet()) {
      h.append("<b>").append(esc(c.getKey())).append("</b>: ").append(esc(c.getValue())).append("<br>");
    }
    Backtest.Settings s = r.settings();
    h.append(String.format(Locale.ROOT,
        "%d devices, %d events (%d rejected as the stream would), %.1f device-hours; %d positive and %d negative "
            + "labelled events (horizon %d s); jams by mechanism: %s.<br>Alerts: the stream's alert policy replayed "
            + "per device (%s; raise threshold swept, clear = raise &times; %.3g); a jam is caught by an alert raised "
            + "within the horizon before it. Operating point per detector: best recall at &le; %.3g false alarms "
            + "per device-hour.</p>",
        r.devices(), r.events(), r.rejected(), r.deviceHours(), r.positives(), r.negatives(),
        s.horizonMillis() / 1000, r.jamsByMechanism(), policyText(s), s.clearFraction(), s.operatingBudget()));
    h.append("<h2>Detectors</h2><table><tr><th>detector</th><th>PR-AUC</th><th>ROC-AUC</th>");
    for (double b : s.budgets()) {
      h.append("<th>recall @ ").append(budget(b)).append("</th>");
    }
    h.append("<th>threshold</th><th>FA / dev-h</th><th>recall</th><th>median lead s</th><th>missed by mechanism</th></tr>");
    for (Backtest.DetectorResult d : r.detectors()) {
      h.append("<tr><td title=\"").append(esc(d.description())).append("\">").append(esc(d.name())).append("</td>");
      h.append(td(d.prAuc())).append(td(d.rocAuc()));
      for (double b : s.budgets()) {
        AlertMetrics.Outcome o = d.atBudget().get(b);
        h.append(td(o == null ? Double.NaN : o.recall()));
      }
      AlertMetrics.Outcome o = d.operating();
      if (o == null) {
        h.append("<td colspan=5>no threshold within the budget</td>");
      } else {
        h.append(td(o.threshold())).append(td(o.falseAlarmsPerDeviceHour())).append(td(o.recall()))
            .append(td(o.medianLeadSeconds())).append("<td>").append(esc(o.missedByMechanism().toString())).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
    h.append(operatingPointsTable(r));
    h.append("<ul>");
    for (Backtest.DetectorResult d : r.detectors()) {
      h.append("<li><b>").append(esc(d.name())).append("</b>: ").append(esc(d.description())).append("</li>");
    }
    h.append("</ul>");
    h.append("<h2>Precision-recall (per event)</h2>").append(img(prChart(r)));
    Backtest.DetectorResult main = r.detectors().get(0);
    h.append("<h2>Lead time of caught jams: ").append(esc(main.name())).append(" at its operating point</h2>");
    h.append(main.operating() == null || main.operating().caught().isEmpty()
        ? "<p>No jam caught at the operating point.</p>" : img(leadChart(main)));
    h.append("<h2>Risk around jams (").append(esc(main.name())).append("), alerts marked</h2>");
    for (String mech : r.jamsByMechanism().keySet()) {
      int shown = 0;
      for (DeviceTrace t : main.traces()) {
        for (DeviceTrace.Jam j : t.jams()) {
          if (j.mechanism().equals(mech) && shown < JAMS_PER_MECHANISM) {
            h.append(img(riskChart(main, t, j, s)));
            shown++;
          }
        }
      }
    }
    h.append("</body></html>");
    Files.writeString(dir.resolve("report.html"), h.toString(), StandardCharsets.UTF_8);
  }

  static String policyText(Backtest.Settings s) {
    var p = s.policy();
    return String.format(Locale.ROOT, "min %d events and %d s above, cooldown %d s, suppress %d events",
        p.minEventsAbove(), p.minMillisAbove() / 1000, p.cooldownMillis() / 1000, p.suppressEvents());
  }

  /** Recall (all, preventable, per mechanism) and median lead per mechanism at the operators' budgets. */
  static String operatingPointsTable(Backtest.Result r) {
    StringBuilder h = new StringBuilder("<h2>Operating points</h2><p>Best recall within each false-alarm budget "
        + "(preventable = every mechanism but sudden); per mechanism: recall / median lead in seconds.</p><table><tr>"
        + "<th>detector</th><th>budget</th><th>threshold</th><th>false alarms</th><th>recall</th><th>preventable</th>"
        + "<th>median lead s</th>");
    for (String m : r.jamsByMechanism().keySet()) {
      h.append("<th>").append(esc(m)).append("</th>");
    }
    h.append("</tr>");
    for (Backtest.DetectorResult d : r.detectors()) {
      for (Map.Entry<AlertMetrics.OperatingPoint, AlertMetrics.Outcome> e : d.operatingPoints().entrySet()) {
        AlertMetrics.Outcome o = e.getValue();
        h.append("<tr><td>").append(esc(d.name())).append("</td><td>").append(esc(e.getKey().label)).append("</td>");
        if (o == null) {
          h.append("<td colspan=").append(5 + r.jamsByMechanism().size()).append(">no threshold within the budget</td></tr>");
          continue;
        }
        h.append(td(o.threshold())).append("<td>").append(o.falseAlarms()).append("</td>").append(td(o.recall()))
            .append(td(o.preventableRecall())).append(td(o.medianLeadSeconds()));
        for (String m : r.jamsByMechanism().keySet()) {
          h.append(String.format(Locale.ROOT, "<td>%s / %s</td>", f3(o.recall(m::equals)), f1(o.medianLeadSeconds(m))));
        }
        h.append("</tr>");
      }
      if (d.atOwnThresholds() != null) {
        AlertMetrics.Outcome o = d.atOwnThresholds();
        h.append("<tr><td>").append(esc(d.name())).append("</td><td>own thresholds (as the stream)</td>")
            .append(td(o.threshold())).append("<td>").append(o.falseAlarms()).append("</td>").append(td(o.recall()))
            .append(td(o.preventableRecall())).append(td(o.medianLeadSeconds()));
        for (String m : r.jamsByMechanism().keySet()) {
          h.append(String.format(Locale.ROOT, "<td>%s / %s</td>", f3(o.recall(m::equals)), f1(o.medianLeadSeconds(m))));
        }
        h.append("</tr>");
      }
    }
    return h.append("</table>").toString();
  }

  private static String f3(double v) {
    return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String f1(double v) {
    return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.0f", v);
  }

  /** One outcome as JSON: counts, recall (all, preventable), lead, and per mechanism. */
  static void outcome(ObjectNode p, AlertMetrics.Outcome op) {
    p.put("threshold", op.threshold()).put("alerts", op.alerts()).put("falseAlarms", op.falseAlarms())
        .put("falseAlarmsPerDeviceHour", op.falseAlarmsPerDeviceHour()).put("deviceHours", op.deviceHours())
        .put("lineHours", op.lineHours()).put("jams", op.jams()).put("caught", op.caught().size())
        .put("recall", op.recall()).put("preventableRecall", op.preventableRecall())
        .put("medianLeadSeconds", op.medianLeadSeconds());
    ObjectNode pm = p.putObject("byMechanism");
    for (String m : op.jamsByMechanism().keySet()) {
      pm.putObject(m).put("jams", op.jamsByMechanism().get(m)).put("recall", op.recall(m::equals))
          .put("medianLeadSeconds", op.medianLeadSeconds(m));
    }
    ObjectNode pc = p.putObject("byClaimedHorizonSeconds");
    op.byClaimSeconds().forEach((h, n) -> pc.putObject(Long.toString(h)).put("alerts", n[0]).put("falseAlarms", n[1]));
  }

  static ObjectNode summary(Backtest.Result r, Map<String, String> context) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode c = root.putObject("context");
    context.forEach(c::put);
    Backtest.Settings s = r.settings();
    root.put("horizonSeconds", s.horizonMillis() / 1000.0).put("operatingFalseAlarmsPerDeviceHour", s.operatingBudget());
    ObjectNode pol = root.putObject("alertPolicy");
    pol.put("minEventsAbove", s.policy().minEventsAbove()).put("minMillisAbove", s.policy().minMillisAbove())
        .put("cooldownMillis", s.policy().cooldownMillis()).put("suppressEvents", s.policy().suppressEvents())
        .put("clearFraction", s.clearFraction());
    root.put("devices", r.devices()).put("events", r.events()).put("rejected", r.rejected())
        .put("positives", r.positives()).put("negatives", r.negatives()).put("deviceHours", r.deviceHours());
    ObjectNode jm = root.putObject("jamsByMechanism");
    r.jamsByMechanism().forEach(jm::put);
    ArrayNode ds = root.putArray("detectors");
    for (Backtest.DetectorResult d : r.detectors()) {
      ObjectNode o = ds.addObject();
      o.put("name", d.name()).put("description", d.description()).put("prAuc", d.prAuc()).put("rocAuc", d.rocAuc());
      ObjectNode rb = o.putObject("recallAtFalseAlarmsPerDeviceHour");
      d.atBudget().forEach((b, out) -> rb.put(Double.toString(b), out == null ? Double.NaN : out.recall()));
      o.put("rankScaled", d.rankScaled());
      ObjectNode ops = o.putObject("operatingPoints");
      d.operatingPoints().forEach((k, v) -> {
        if (v == null) {
          ops.putNull(k.key());
        } else {
          outcome(ops.putObject(k.key()), v);
        }
      });
      if (d.atOwnThresholds() != null) {
        outcome(o.putObject("atOwnThresholds"), d.atOwnThresholds());
      }
      AlertMetrics.Outcome op = d.operating();
      if (op != null) {
        ObjectNode p = o.putObject("operatingPoint");
        p.put("threshold", op.threshold()).put("alerts", op.alerts()).put("falseAlarms", op.falseAlarms())
            .put("falseAlarmsPerDeviceHour", op.falseAlarmsPerDeviceHour()).put("jams", op.jams())
            .put("caught", op.caught().size()).put("recall", op.recall()).put("medianLeadSeconds", op.medianLeadSeconds());
        ObjectNode mm = p.putObject("missedByMechanism");
        op.missedByMechanism().forEach(mm::put);
        ObjectNode lm = p.putObject("leadSecondsByMechanism");
        AlertMetrics.leadSecondsByMechanism(op).forEach((k, v) -> {
          ArrayNode a = lm.putArray(k);
          for (double x : v) {
            a.add(x);
          }
        });
      }
    }
    return root;
  }

  static XYChart prChart(Backtest.Result r) {
    XYChart ch = new XYChartBuilder().width(900).height(520).title("Precision-recall, per event")
        .xAxisTitle("recall").yAxisTitle("precision").build();
    ch.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisMin(0.0).setXAxisMax(1.0);
    for (Backtest.DetectorResult d : r.detectors()) {
      double[] x = d.prCurve().stream().mapToDouble(RankingMetrics.Point::recall).toArray();
      double[] y = d.prCurve().stream().mapToDouble(RankingMetrics.Point::precision).toArray();
      if (x.length == 0) {
        continue;
      }
      XYSeries sr = ch.addSeries(String.format(Locale.ROOT, "%s (AP %.3f)", d.name(), d.prAuc()), x, y);
      sr.setMarker(SeriesMarkers.NONE);
    }
    double prevalence = (double) r.positives() / Math.max(1, r.positives() + r.negatives());
    XYSeries base = ch.addSeries("no skill (prevalence)", new double[] {0, 1}, new double[] {prevalence, prevalence});
    base.setMarker(SeriesMarkers.NONE);
    base.setLineColor(Color.GRAY);
    base.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    return ch;
  }

  static CategoryChart leadChart(Backtest.DetectorResult d) {
    long bin = 15;
    Map<String, double[]> byMech = AlertMetrics.leadSecondsByMechanism(d.operating());
    double max = byMech.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(0);
    int bins = (int) Math.max(1, Math.ceil((max + 1e-9) / bin));
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      labels.add(b * bin + "-" + (b + 1) * bin);
    }
    CategoryChart ch = new CategoryChartBuilder().width(900).height(420)
        .title("Lead time, first alert to jam (" + d.operating().caught().size() + " caught)")
        .xAxisTitle("seconds before the jam").yAxisTitle("jams").build();
    ch.getStyler().setStacked(true);
    for (Map.Entry<String, double[]> e : byMech.entrySet()) {
      List<Number> counts = new ArrayList<>();
      for (int b = 0; b < bins; b++) {
        counts.add(0);
      }
      for (double v : e.getValue()) {
        int b = (int) Math.min(bins - 1, Math.floor(v / bin));
        counts.set(b, counts.get(b).intValue() + 1);
      }
      ch.addSeries(e.getKey(), labels, counts);
    }
    return ch;
  }

  static XYChart riskChart(Backtest.DetectorResult d, DeviceTrace t, DeviceTrace.Jam j, Backtest.Settings s) {
    long from = j.jamTime() - 5 * s.horizonMillis();
    long to = j.jamTime() + s.horizonMillis();
    // Before the jam and after it clears as two series, so no line is drawn across the stopped line.
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<Double> x2 = new ArrayList<>();
    List<Double> y2 = new ArrayList<>();
    for (int i = 0; i < t.times().length; i++) {
      if (t.times()[i] >= from && t.times()[i] <= to && !t.inJam()[i]) {
        boolean before = t.times()[i] < j.jamTime();
        (before ? x : x2).add((t.times()[i] - j.jamTime()) / 1000.0);
        (before ? y : y2).add((double) t.scores()[i]);
      }
    }
    XYChart ch = new XYChartBuilder().width(900).height(300)
        .title(j.mechanism() + " jam on " + t.deviceId() + " at " + java.time.Instant.ofEpochMilli(j.jamTime()))
        .xAxisTitle("seconds relative to the jam").yAxisTitle(d.name() + " score").build();
    if (x.isEmpty()) {
      x.add(0.0);
      y.add(0.0);
    }
    XYSeries before = ch.addSeries("score", x, y);
    before.setMarker(SeriesMarkers.NONE);
    before.setLineColor(new Color(40, 90, 200));
    if (!x2.isEmpty()) {
      XYSeries after = ch.addSeries("score after the jam cleared", x2, y2);
      after.setMarker(SeriesMarkers.NONE);
      after.setLineColor(new Color(120, 150, 220));
    }
    List<Double> allX = new ArrayList<>(x);
    allX.addAll(x2);
    List<Double> allY = new ArrayList<>(y);
    allY.addAll(y2);
    x = allX;
    y = allY;
    double ymax = y.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    XYSeries jam = ch.addSeries("jam", new double[] {0, 0}, new double[] {0, Math.max(ymax, 1e-6)});
    jam.setMarker(SeriesMarkers.NONE);
    jam.setLineColor(Color.RED);
    if (d.operating() != null) {
      double th = d.operating().threshold();
      XYSeries ts = ch.addSeries("threshold", new double[] {x.get(0), x.get(x.size() - 1)}, new double[] {th, th});
      ts.setMarker(SeriesMarkers.NONE);
      ts.setLineColor(Color.GRAY);
      List<Double> ax = new ArrayList<>();
      List<Double> ay = new ArrayList<>();
      for (long[] e : AlertMetrics.episodes(t, s.rule().at(th))) {
        if (e[0] >= from && e[0] <= to) {
          ax.add((e[0] - j.jamTime()) / 1000.0);
          ay.add(th);
        }
      }
      if (!ax.isEmpty()) {
        XYSeries al = ch.addSeries("alert raised", ax, ay);
        al.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        al.setMarker(SeriesMarkers.TRIANGLE_UP);
        al.setMarkerColor(new Color(230, 120, 0));
      }
    }
    return ch;
  }

  private static String img(Chart<?, ?> chart) throws IOException {
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    return "<p><img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"></p>";
  }

  private static String td(double v) {
    return "<td>" + (Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.3f", v)) + "</td>";
  }

  private static String budget(double b) {
    return Math.abs(b - 1.0 / 24) < 1e-9 ? "1/dev-day" : String.format(Locale.ROOT, "%.3g/dev-h", b);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static Map<String, String> context(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
