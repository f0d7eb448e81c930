package io.jamwatch.cli;

import io.jamwatch.eval.Backtest;
import io.jamwatch.eval.BacktestReport;
import io.jamwatch.eval.EventDetector;
import io.jamwatch.eval.WindowBaseline;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch backtest}: a model and the baselines on the same recorded events; HTML + JSON. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = "Backtest a model on a recorded log against baselines: PR/ROC-AUC, recall at false-alarm budgets, "
        + "lead time, false alarms per device-hour, missed jams by mechanism; writes report.html and summary.json.")
public final class BacktestCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "Model under test (.onnx).")
  Path model;

  @Option(names = "--logs", required = true, description = "Recorded log folder (*.avro, jams.csv for mechanisms).")
  Path logs;

  @Option(names = "--report", required = true, description = "Output folder: report.html, summary.json.")
  Path report;

  @Option(names = "--baseline-models", split = ",", description = "More models scored on the same events (e.g. rnn.onnx,lstm.onnx).")
  List<Path> baselineModels = new ArrayList<>();

  @Option(names = "--train-logs", description = "Log the single-reading baseline is chosen on (default: the test log itself, flagged in-sample).")
  Path trainLogs;

  @Option(names = "--horizon-seconds", defaultValue = "0", description = "Jam horizon; 0 = the model's own (120 s if it has none). Default: ${DEFAULT-VALUE}.")
  long horizonSeconds;

  @picocli.CommandLine.Mixin RuntimeOptions runtime = new RuntimeOptions();

  @picocli.CommandLine.Mixin
  AlertPolicyOptions alertPolicy = new AlertPolicyOptions();

  @Option(names = "--validation-of", description = "A model card (.card.json): measure only that training run's validation part of --logs"
      + " (its held-out devices, the others after its time cut), as the trainer chose the thresholds on.")
  Path validationOf;

  @Option(names = "--window-baseline", defaultValue = "true", arity = "1",
      description = "Also score the 60-s window baseline (logistic regression, trained on --train-logs). Default: ${DEFAULT-VALUE}.")
  boolean windowBaseline;

  @Option(names = "--fa-budget", defaultValue = "0.5", description = "False alarms per device-hour of each detector's operating point. Default: ${DEFAULT-VALUE}.")
  double faBudget;

  @Option(names = "--alert-signal", defaultValue = "model",
      description = "What the models' alerts are raised on: model (each file's own), ladder (the horizon ladder's signal,"
          + " each alert judged on the horizon it claims; models with extra horizons only) or primary (the score alone,"
          + " judged on --horizon-seconds). Default: ${DEFAULT-VALUE}.")
  String alertSignal;

  @Option(names = "--ewma-alpha", defaultValue = "0.01", description = "EWMA z-score baseline's weight of the newest value. Default: ${DEFAULT-VALUE}.")
  double ewmaAlpha;

  /** A model file with the --alert-signal override applied. */
  private ScoringModel load(Path p) throws java.io.IOException {
    if (alertSignal.equals("model")) return ScoringModel.load(p, runtime.runtime());
    byte[] b = ScoringModel.withAlertSignal(java.nio.file.Files.readAllBytes(p), alertSignal.equals("ladder"));
    return ScoringModel.load(b, p.toString(), runtime.runtime());
  }

  @Override
  public Integer call() throws Exception {
    long total = ScoreCommand.count(logs);
    if (!List.of("model", "ladder", "primary").contains(alertSignal))
      throw new IllegalArgumentException("--alert-signal must be model, ladder or primary, got " + alertSignal);
    ScoringModel main = load(model);
    long horizon = horizonSeconds > 0 ? horizonSeconds * 1000
        : main.metadata().horizonSeconds() > 0 ? main.metadata().horizonSeconds() * 1000 : 120_000L;
    Backtest.Settings s = Backtest.Settings.defaults().withHorizon(horizon)
        .withPolicy(alertPolicy.policy(), alertPolicy.clearFraction).withOperatingBudget(faBudget);

    if (validationOf != null) {
      com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(validationOf.toFile()).path("data");
      if (!d.has("validation_cut_millis")) {
        throw new IllegalArgumentException(validationOf + " is not a model card with a validation split");
      }
      java.util.Set<String> held = new java.util.HashSet<>();
      d.path("validation_devices").forEach(x -> held.add(x.asText()));
      s = s.withScope(io.jamwatch.eval.PolicyThresholds.validationScope(d.get("validation_cut_millis").asLong(), held));
    }
    Path choose = trainLogs != null ? trainLogs : logs;
    System.err.println("choosing the single-reading baseline on " + choose + " ...");
    String[] best;
    try (EventDetector gate = EventDetector.model("gate", ScoringModel.load(model, runtime.runtime()))) {
      best = Backtest.bestReading(choose, horizon, gate);
    }
    String why = String.format(Locale.ROOT, "chosen by PR-AUC %.3f on %s%s", Double.parseDouble(best[2]), choose,
        trainLogs == null ? " (IN-SAMPLE: no --train-logs given)" : "");

    List<EventDetector> dets = new ArrayList<>();
    dets.add(EventDetector.model(name(model), main));
    for (Path p : baselineModels) {
      dets.add(EventDetector.model(name(p), load(p)));
    }
    if (windowBaseline) {
      System.err.println("training the 60-s window baseline on " + choose + " ...");
      WindowBaseline wb = WindowBaseline.train(choose, horizon);
      dets.add(trainLogs == null ? inSample(wb.detector()) : wb.detector());
      if (main.metadata().alertOnLadder()) {
        // The ladder model's fair baseline: the same window, one regression per horizon, alerts on the ladder.
        System.err.println("training the 60-s window baseline on the horizon ladder on " + choose + " ...");
        EventDetector wl = WindowBaseline.ladderDetector(choose, main.ladder());
        dets.add(trainLogs == null ? inSample(wl) : wl);
      }
    }
    dets.add(EventDetector.ewma(ewmaAlpha, 30));
    dets.add(EventDetector.reading(best[0], Integer.parseInt(best[1]), why));

    ProgressBar bar = new ProgressBar("backtest");
    Backtest.Result r;
    try {
      r = Backtest.run(logs, dets, s, n -> bar.update((double) n / total, n + " events"));
    } finally {
      for (EventDetector d : dets) {
        d.close();
      }
    }
    bar.finish(r.events() + " events in " + String.format(Locale.ROOT, "%.1f s", bar.elapsedSeconds()));
    Map<String, String> ctx = new LinkedHashMap<>();
    ctx.put("model", model + " (" + main.modelId() + ")");
    ctx.put("logs", logs.toString());
    ctx.put("single-reading baseline", best[0] + (best[1].equals("-1") ? " (low)" : "") + ", " + why);
    BacktestReport.write(r, ctx, report);

    System.out.printf(Locale.ROOT, "%-22s %7s %7s %9s %9s %9s %s%n", "detector", "PR-AUC", "ROC-AUC",
        "FA/dev-h", "recall", "lead s", "missed by mechanism (operating point: <= " + faBudget + " FA/dev-h)");
    for (Backtest.DetectorResult d : r.detectors()) {
      var o = d.operating();
      System.out.printf(Locale.ROOT, "%-22s %7.3f %7.3f %9s %9s %9s %s%n", d.name(), d.prAuc(), d.rocAuc(),
          o == null ? "-" : String.format(Locale.ROOT, "%.3f", o.falseAlarmsPerDeviceHour()),
          o == null ? "-" : String.format(Locale.ROOT, "%.3f", o.recall()),
          o == null ? "-" : String.format(Locale.ROOT, "%.1f", o.medianLeadSeconds()),
          o == null ? "" : o.missedByMechanism());
    }
    System.out.printf(Locale.ROOT, "%nrecall (all / preventable) and median lead s at the operators' budgets:%n%-22s", "detector");
    for (io.jamwatch.eval.AlertMetrics.OperatingPoint p : io.jamwatch.eval.AlertMetrics.OperatingPoint.values()) {
      System.out.printf(Locale.ROOT, " %-26s", p.label);
    }
    System.out.println();
    for (Backtest.DetectorResult d : r.detectors()) {
      System.out.printf(Locale.ROOT, "%-22s", d.name());
      d.operatingPoints().forEach((p, o) -> System.out.printf(Locale.ROOT, " %-26s", o == null ? "-"
          : String.format(Locale.ROOT, "%.2f / %.2f, %.0f s", o.recall(), o.preventableRecall(), o.medianLeadSeconds())));
      System.out.println();
    }
    System.out.println("report: " + report.resolve("report.html") + ", " + report.resolve("summary.json"));
    return 0;
  }

  /** The same detector, its description flagged as trained on the test log itself. */
  private static EventDetector inSample(EventDetector d) {
    return new EventDetector() {
      @Override
      public String name() {
        return d.name();
      }

      @Override
      public String describe() {
        return d.describe() + " (IN-SAMPLE: no --train-logs given)";
      }

      @Override
      public float score(io.jamwatch.avro.ScannerEvent e) {
        return d.score(e);
      }

      @Override
      public io.jamwatch.scoring.HorizonLadder ladder() {
        return d.ladder();
      }

      @Override
      public float[] rungScores() {
        return d.rungScores();
      }
    };
  }

  private static String name(Path p) {
    String f = p.getFileName().toString();
    return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
  }
}
