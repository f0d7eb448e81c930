package io.jamwatch.cli;

import io.jamwatch.eval.AlertMetrics;
import io.jamwatch.eval.Backtest;
import io.jamwatch.eval.PolicyThresholds;
import io.jamwatch.train.AlertThresholds;
import io.jamwatch.model.CellType;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.train.GateProbe;
import io.jamwatch.model.Head;
import io.jamwatch.train.ProgressListener;
import io.jamwatch.train.EpochRecord;
import io.jamwatch.train.TrainConfig;
import io.jamwatch.train.TrainResult;
import io.jamwatch.train.Trainer;
import io.jamwatch.train.TrainingData;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code jamwatch train}: recorded logs -> model (.onnx) + model card (.json, .md) + learning curve
 * (.png); or, with {@code --compare}, the same run for several cells side by side.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains a recurrent jam-risk (or forecast) model from recorded logs and exports it as ONNX,"
        + " with a model card and a learning-curve picture. With --compare: one model per cell on the same"
        + " data, seed and budget, plus a comparison table and pictures.")
public final class TrainCommand implements Callable<Integer> {

  @Option(names = "--logs", required = true, description = "Folder of the recorded log (*.avro).")
  Path logs;

  @Option(names = "--out", required = true,
      description = "Model file to write (e.g. models/NAME.onnx); with --compare, a folder for the report.")
  Path out;

  @Option(names = "--cell", defaultValue = "gru", description = "gru, lstm or rnn. Default: ${DEFAULT-VALUE}.")
  CellType cell;

  @Option(names = "--hidden", defaultValue = "64", description = "Hidden size H. Default: ${DEFAULT-VALUE}.")
  int hidden;

  @Option(names = "--layers", defaultValue = "1", description = "Stacked layers, 1..4. Default: ${DEFAULT-VALUE}.")
  int layers;

  @Option(names = "--head", defaultValue = "risk", description = "risk or forecast. Default: ${DEFAULT-VALUE}.")
  Head head;

  @Option(names = "--device-window", defaultValue = "0",
      description = "Standardise each reading per device with running moments over this many events, seeded with the fleet fit (state kept per device in the store); 0 = off, the fleet fit for every device. Default: ${DEFAULT-VALUE}.")
  int deviceWindow;

  @Option(names = "--horizon", defaultValue = "120s", converter = DurationMillis.class,
      description = "Risk horizon: a jam within it makes an event positive (e.g. 120s, 2m, 1h). Default: ${DEFAULT-VALUE}.")
  long horizonMillis;

  @Option(names = "--extra-horizons", split = ",", converter = DurationMillis.class,
      description = "Extra risk horizons beside --horizon, one output each (the horizon ladder, e.g. 600s,30m): the model"
          + " says \"a jam within ~10 min\" as well as within the primary horizon; see --alert-signal.")
  List<Long> extraHorizonsMillis = new java.util.ArrayList<>();

  @Option(names = "--alert-signal", defaultValue = "ladder",
      description = "With --extra-horizons: what alerts are raised on. ladder (default): the largest probability over"
          + " all horizons, each alert claiming (and judged on) the shortest horizon whose probability reached the raise"
          + " threshold, so a jam is warned of as soon as any horizon sees it; primary: the --horizon score alone."
          + " The raise threshold is chosen the same way.")
  String alertSignal;

  @Option(names = "--epochs", defaultValue = "20", description = "Maximum epochs. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of initialisation, split, shuffling, dropout. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--batch", defaultValue = "32", description = "Sequences per minibatch. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--window", defaultValue = "64", description = "Truncated-BPTT window, events. Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(names = "--chunk-windows", defaultValue = "8", description = "Windows per shuffled history chunk. Default: ${DEFAULT-VALUE}.")
  int chunkWindows;

  @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
  float lr;

  @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip (0 = off). Default: ${DEFAULT-VALUE}.")
  float clip;

  @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout between stacked layers. Default: ${DEFAULT-VALUE}.")
  float dropout;

  @Option(names = "--patience", defaultValue = "4", description = "Early stopping: epochs without validation gain. Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(names = "--validation", defaultValue = "0.2", description = "Share of devices and of the time span held out. Default: ${DEFAULT-VALUE}.")
  double validation;

  @Option(names = "--pos-weight", defaultValue = "0", description = "BCE weight of positives; 0 = negatives/positives (capped at 50). Default: ${DEFAULT-VALUE}.")
  float posWeight;

  @Option(names = "--false-alarms-per-hour", defaultValue = "0.5", description = "False alarms per device-hour the raise threshold is chosen for. Default: ${DEFAULT-VALUE}.")
  double falseAlarms;

  @picocli.CommandLine.Mixin
  AlertPolicyOptions alertPolicy = new AlertPolicyOptions();

  @Option(names = "--lbr", defaultValue = "true", arity = "1", description = "GRU linear_before_reset (ONNX attribute). Default: ${DEFAULT-VALUE}.")
  boolean lbr;

  @Option(names = "--threads", defaultValue = "2", description = "Worker threads (results depend on it). Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--max-seconds", defaultValue = "0", description = "Wall-clock budget per model, 0 = none (a budget breaks bit-for-bit reproducibility). Default: ${DEFAULT-VALUE}.")
  int maxSeconds;

  @Option(names = "--min-steps-per-epoch", defaultValue = "0", description = "An epoch repeats passes over the chunks until it made this many Adam steps (0 = one pass). Default: ${DEFAULT-VALUE}.")
  int minStepsPerEpoch;

  @Option(names = "--warm-start", description = "Start each training chunk from the state the device's earlier history gives (as in the stream), not from zero.")
  boolean warmStart;

  @Option(names = "--compare", split = ",", description = "Cells to compare, e.g. rnn,gru,lstm (then --out is a folder).")
  List<CellType> compare;

  @Override
  public Integer call() throws IOException {
    try {
      if (!"ladder".equals(alertSignal) && !"primary".equals(alertSignal))
        throw new IllegalArgumentException("--alert-signal must be ladder or primary, got " + alertSignal);
      return compare == null || compare.isEmpty() ? trainOne() : compareCells();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println();
      System.err.println("train: " + e.getMessage());
      return 2;
    }
  }

  TrainConfig config(CellType c) {
    return TrainConfig.builder()
        .cell(c).hidden(hidden).layers(layers).linearBeforeReset(lbr).head(head).horizonMillis(horizonMillis)
        .epochs(epochs).batchSize(batch).window(window).chunkWindows(chunkWindows).learningRate(lr).clipNorm(clip)
        .dropout(dropout).patience(patience).validationFraction(validation).positiveWeight(posWeight)
        .falseAlarmsPerDeviceHour(falseAlarms).clearFraction(alertPolicy.clearFraction).maxSeconds(maxSeconds).seed(seed)
        .threads(threads).minStepsPerEpoch(minStepsPerEpoch).warmStart(warmStart)
        .extraHorizonsMillis(extraHorizonsMillis).build();
  }

  private RecordedTrainingData.Loaded load(TrainConfig cfg) {
    System.err.println("train: reading " + logs + " ...");
    RecordedTrainingData.Loaded data = RecordedTrainingData.load(logs, cfg.horizonMillis(), cfg.extraHorizonsMillis(),
        cfg.validationFraction(), cfg.seed(), deviceWindow);
    if (cfg.head() == Head.RISK && data.jamEvents() == 0)
      throw new IllegalArgumentException(
          "the log in " + logs + " holds no JAM event, so a risk head has nothing to learn from;"
              + " record (or simulate) a log with jams, or train a self-supervised model with --head forecast");
    long[] counts = data.data().labelCounts();
    System.err.printf(Locale.ROOT, "train: %,d events, %d devices, %d jams, %d features; labels %,d positive / %,d negative / %,d excluded%n",
        data.data().events(), data.data().sequences().size(), data.jamEvents(), data.data().inputSize(), counts[0], counts[1], counts[2]);
    return data;
  }

  private int trainOne() throws IOException {
    TrainConfig cfg = config(cell);
    if (!out.getFileName().toString().endsWith(".onnx"))
      throw new IllegalArgumentException("--out must name a .onnx file, got " + out);
    RecordedTrainingData.Loaded data = load(cfg);
    BarListener bar = new BarListener(cell.name().toLowerCase(Locale.ROOT));
    TrainResult r = Trainer.train(cfg, data.data(), bar);
    bar.finish(r);
    Exported x = export(r, data, out);
    printSummary(System.out, x.result(), x.id(), out);
    return 0;
  }

  private int compareCells() throws IOException {
    Files.createDirectories(out);
    RecordedTrainingData.Loaded data = load(config(compare.get(0)));
    Map<String, TrainResult> results = new LinkedHashMap<>();
    for (CellType c : compare) {
      TrainConfig cfg = config(c);
      String name = c.name().toLowerCase(Locale.ROOT);
      BarListener bar = new BarListener(name);
      TrainResult r = Trainer.train(cfg, data.data(), bar);
      bar.finish(r);
      Path model = out.resolve(name + ".onnx");
      results.put(name, export(r, data, model).result());
    }
    Path curves = out.resolve("compare-curves.png");
    TrainingCharts.compareCurves(results, curves);
    String table = compareTable(results);
    Path gates = out.resolve("gate-activations.png");
    int jams = gatePicture(results, data.data(), gates);
    Files.writeString(out.resolve("compare.md"),
        "# Cell comparison\n\nSame data (" + logs + ", SHA-256 " + data.fingerprint() + "), seed " + seed
            + ", budget " + epochs + " epochs (patience " + patience + "), H=" + hidden + ", layers " + layers + ".\n\n"
            + table + "\n![validation curves](" + curves.getFileName() + ")\n\n"
            + (jams > 0 ? "Keep-gate means (GRU update gate z, LSTM forget gate f) around " + jams + " jams:\n\n![gates](" + gates.getFileName() + ")\n" : ""));
    System.out.println(table);
    System.out.println("wrote " + out.resolve("compare.md") + ", " + curves + (jams > 0 ? ", " + gates : ""));
    return 0;
  }

  static String compareTable(Map<String, TrainResult> results) {
    TrainResult any = results.values().iterator().next();
    boolean risk = any.config().head() == Head.RISK;
    StringBuilder s = new StringBuilder();
    s.append(risk ? "| cell | PR-AUC | ROC-AUC | parameters | best epoch | epochs run | train s | jams caught | false alarms/device-h | median lead s |\n|---|---|---|---|---|---|---|---|---|---|\n"
        : "| cell | forecast MSE | surprise PR-AUC | parameters | best epoch | epochs run | train s |\n|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, TrainResult> e : results.entrySet()) {
      TrainResult r = e.getValue();
      Map<String, Double> m = r.metrics();
      if (risk)
        s.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %d | %d | %d | %.1f | %d/%d | %.3f | %.1f |%n", e.getKey(), m.get("pr_auc"), m.get("roc_auc"),
            r.weights().parameterCount(), r.bestEpoch(), r.curve().size(), r.trainSeconds(), r.thresholds().jamsCaught(), r.thresholds().jams(),
            r.thresholds().falseAlarmsPerDeviceHour(), r.thresholds().medianLeadSeconds()));
      else
        s.append(String.format(Locale.ROOT, "| %s | %.5f | %.4f | %d | %d | %d | %.1f |%n", e.getKey(), m.get("mse"), m.getOrDefault("surprise_pr_auc", Double.NaN),
            r.weights().parameterCount(), r.bestEpoch(), r.curve().size(), r.trainSeconds()));
    }
    return s.toString();
  }

  /** Average keep-gate activation at offsets -OFFSET_BEFORE..+OFFSET_AFTER events around every JAM of the log. */
  private int gatePicture(Map<String, TrainResult> results, TrainingData data, Path png) {
    final int before = 240, after = 40;
    int[] offsets = new int[before + after + 1];
    for (int i = 0; i < offsets.length; i++) offsets[i] = i - before;
    Map<String, double[]> means = new LinkedHashMap<>();
    int jams = 0;
    for (Map.Entry<String, TrainResult> e : results.entrySet()) {
      if (GateProbe.keepGate(e.getValue().weights().cell) < 0) continue;
      float[][] g = GateProbe.run(e.getValue().weights(), data.sequences(), window, batch, threads);
      double[] sum = new double[offsets.length];
      int[] cnt = new int[offsets.length];
      jams = 0;
      for (int q = 0; q < g.length; q++) {
        byte[] y = data.sequences().get(q).labels();
        for (int i = 1; i < y.length; i++) {
          if (!(y[i] == -1 && y[i - 1] != -1)) continue; // the JAM that opens an in-jam run
          jams++;
          for (int k = 0; k < offsets.length; k++) {
            int j = i + offsets[k];
            if (j < 0 || j >= y.length) continue;
            sum[k] += g[q][j];
            cnt[k]++;
          }
        }
      }
      double[] mean = new double[offsets.length];
      for (int k = 0; k < mean.length; k++) mean[k] = cnt[k] == 0 ? Double.NaN : sum[k] / cnt[k];
      means.put(e.getKey() + (e.getValue().weights().cell == CellType.GRU ? " update gate z" : " forget gate f"), mean);
    }
    if (means.isEmpty() || jams == 0) return 0;
    TrainingCharts.gateActivations(means, offsets, jams, png);
    return jams;
  }

  /** The written model's id and the training result with the thresholds the alert policy chose. */
  record Exported(String id, TrainResult result, PolicyThresholds.Choice choice) {}

  /**
   * Exports the model, then chooses its alert thresholds by replaying the one alert policy over the
   * validation part through the exported model ({@link PolicyThresholds}; train/ may not import the
   * serving packages), and exports it again with them, with the card saying what that policy does.
   */
  private Exported export(TrainResult trained, RecordedTrainingData.Loaded data, Path model) throws IOException {
    write(trained, data, model, null);
    TrainConfig c = trained.config();
    Backtest.Settings s = Backtest.Settings.defaults().withHorizon(c.horizonMillis())
        .withPolicy(alertPolicy.policy(), alertPolicy.clearFraction)
        .withScope(PolicyThresholds.validationScope(data.plan().cutMillis(), data.plan().heldOut()));
    ProgressBar bar = new ProgressBar("thresholds");
    long total = data.data().events();
    PolicyThresholds.Choice choice = PolicyThresholds.choose(ScoringModel.load(model), logs, s,
        c.falseAlarmsPerDeviceHour(), n -> bar.update((double) n / total, n + " events through the alert policy"));
    AlertMetrics.Outcome o = choice.outcome();
    bar.finish(String.format(Locale.ROOT, "raise %.4f clear %.4f: %d/%d jams caught, %.3f false alarms per device-hour",
        choice.policy().raiseThreshold(), choice.policy().clearThreshold(), o.caught().size(), o.jams(),
        o.falseAlarmsPerDeviceHour()));
    TrainResult r = withPolicyThresholds(trained, choice);
    String id = write(r, data, model, choice);
    return new Exported(id, r, choice);
  }

  /** The result with the policy's thresholds and validation alert figures in place of the trainer's provisional ones. */
  static TrainResult withPolicyThresholds(TrainResult r, PolicyThresholds.Choice choice) {
    AlertMetrics.Outcome o = choice.outcome();
    AlertThresholds.Choice th = new AlertThresholds.Choice(choice.policy().raiseThreshold(),
        choice.policy().clearThreshold(), o.falseAlarmsPerDeviceHour(), o.jams(), o.caught().size(),
        o.medianLeadSeconds(), o.deviceHours(), Double.NaN, choice.targetMet());
    Map<String, Double> m = new LinkedHashMap<>(r.metrics());
    m.remove("alert_share"); // measured under the trainer's plain hysteresis, not the policy
    m.put("false_alarms_per_device_hour", o.falseAlarmsPerDeviceHour());
    m.put("validation_device_hours", o.deviceHours());
    m.put("jams", (double) o.jams());
    m.put("jams_caught", (double) o.caught().size());
    m.put("median_lead_seconds", o.medianLeadSeconds());
    return new TrainResult(r.config(), r.weights(), r.spec(), m, th, r.surpriseStats(), r.curve(), r.bestEpoch(),
        r.stoppedEarly(), r.trainSeconds());
  }

  private String write(TrainResult r, RecordedTrainingData.Loaded data, Path model, PolicyThresholds.Choice choice)
      throws IOException {
    Path parent = model.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    TrainConfig c = r.config();
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("trainer", "jamwatch train");
    prov.put("config", c.toString());
    prov.put("best_epoch", Integer.toString(r.bestEpoch()));
    prov.put("logs_files", String.join(",", data.files().stream().map(p -> p.getFileName().toString()).toList()));
    float raise = Math.min(1f, r.thresholds().raise());
    float clear = Math.min(raise, r.thresholds().clear());
    ModelMetadata meta =
        ModelMetadata.describe(r.weights(), r.spec(), r.surpriseStats())
            .withScoreHead(c.head() == Head.RISK ? ModelMetadata.Head.RISK : ModelMetadata.Head.FORECAST)
            .withThresholds(raise, clear)
            .withHorizonSeconds(c.horizonMillis() / 1000)
            .withExtraHorizonSeconds(c.extraHorizonsMillis().stream().map(h -> h / 1000).toList())
            .withAlertOnLadder(alertOnLadder(c))
            .withDataFingerprint(data.fingerprint())
            .withValidationMetrics(r.metrics())
            .withProvenance(prov);
    String id = OnnxExporter.export(r.weights(), meta, model);
    ModelCard.Files3 f = ModelCard.Files3.beside(model);
    Map<String, Object> card = ModelCard.content(id, model, r, data, commandLine(c, model));
    if (choice != null) {
      ModelCard.addAlertPolicy(card, choice, alertPolicy.clearFraction, alertOnLadder(c));
    }
    ModelCard.writeJson(card, f.json());
    TrainingCharts.learningCurve(r, model.getFileName().toString(), f.png());
    ModelCard.writeMarkdown(card, r, f.md(), f.png());
    return id;
  }

  /** Whether alerts are raised on the horizon ladder (it needs extra horizons). */
  private boolean alertOnLadder(TrainConfig c) {
    return !c.extraHorizonsMillis().isEmpty() && "ladder".equals(alertSignal);
  }

  private String commandLine(TrainConfig c, Path model) {
    return String.format(Locale.ROOT,
        "jamwatch train --logs %s --cell %s --hidden %d --layers %d --head %s --horizon %ds --epochs %d --seed %d"
            + " --batch %d --window %d --lr %s --dropout %s --threads %d%s%s%s%s%s --out %s",
        logs, c.cell().name().toLowerCase(Locale.ROOT), c.hidden(), c.layers(), c.head().id(), c.horizonMillis() / 1000,
        c.epochs(), c.seed(), c.batchSize(), c.window(), c.learningRate(), c.dropout(), c.threads(),
        c.maxSeconds() > 0 ? " --max-seconds " + c.maxSeconds() : "", c.warmStart() ? " --warm-start" : "",
        c.extraHorizonsMillis().isEmpty() ? ""
            : " --extra-horizons " + String.join(",", c.extraHorizonsMillis().stream().map(h -> h / 1000 + "s").toList()),
        !c.extraHorizonsMillis().isEmpty() && !alertOnLadder(c) ? " --alert-signal primary" : "",
        c.falseAlarmsPerDeviceHour() != 0.5 ? " --false-alarms-per-hour " + c.falseAlarmsPerDeviceHour() : "",
        model);
  }

  private static void printSummary(PrintStream o, TrainResult r, String id, Path model) {
    ModelCard.Files3 f = ModelCard.Files3.beside(model);
    o.printf(Locale.ROOT, "trained %s H=%d L=%d %s head, %d parameters, best epoch %d of %d run, %.1f s%n",
        r.config().cell(), r.config().hidden(), r.config().layers(), r.config().head().id(), r.weights().parameterCount(),
        r.bestEpoch(), r.curve().size(), r.trainSeconds());
    r.metrics().forEach((k, v) -> o.printf(Locale.ROOT, "  %-32s %s%n", k, ModelCard.fmt(v)));
    o.printf(Locale.ROOT, "  thresholds raise %.4f clear %.4f (%.3f false alarms per device-hour on validation%s)%n",
        r.thresholds().raise(), r.thresholds().clear(), r.thresholds().falseAlarmsPerDeviceHour(),
        r.thresholds().targetMet() ? "" : ", target NOT met");
    o.println("wrote " + model + " (model id " + id + "), " + f.json().getFileName() + ", " + f.md().getFileName() + ", " + f.png().getFileName());
  }

  /** Draws the bar: epoch, batch, running loss, last validation metric, ETA (upper bound: early stopping may end sooner). */
  private static final class BarListener implements ProgressListener {
      private final ProgressBar bar;
      private String val = "";

      BarListener(String name) {
        bar = new ProgressBar("train " + name);
      }

      void finish(TrainResult r) {
        bar.finish(String.format(Locale.ROOT, "%d epochs, best %d, %.1f s", r.curve().size(), r.bestEpoch(), r.trainSeconds()));
      }

      @Override
      public void onBatch(int epoch, int epochs, int b, int batches, double loss) {
        double f = ((epoch - 1) + (double) b / batches) / epochs;
        double el = bar.elapsedSeconds();
        double eta = f > 0 ? el / f - el : Double.NaN;
        bar.update(f, String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f%s ETA %s", epoch, epochs, b, batches, loss, val, eta(eta)));
      }

      @Override
      public void onEpoch(EpochRecord r, int epochs) {
        val = String.format(Locale.ROOT, " val %.4f", r.validationMetric());
      }
  }

  private static String eta(double s) {
    if (!Double.isFinite(s)) return "?";
    long t = Math.round(s);
    return t >= 60 ? (t / 60) + "m" + (t % 60) + "s" : t + "s";
  }

  /** "120s", "2m", "1h", "500ms" or a plain number of seconds, to milliseconds. */
  static final class DurationMillis implements ITypeConverter<Long> {
    @Override
    public Long convert(String v) {
      String s = v.trim().toLowerCase(Locale.ROOT);
      try {
        if (s.endsWith("ms")) return Long.parseLong(s.substring(0, s.length() - 2));
        if (s.endsWith("s")) return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
        if (s.endsWith("m")) return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000);
        if (s.endsWith("h")) return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000);
        return Math.round(Double.parseDouble(s) * 1000);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cannot read duration '" + v + "' (use e.g. 120s, 2m, 1h)");
      }
    }
  }
}
