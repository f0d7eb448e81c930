package io.jamwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.bench.BenchDetectors;
import io.jamwatch.eval.bench.NabBench;
import io.jamwatch.eval.bench.SeriesDetector;
import io.jamwatch.eval.bench.SkabBench;
import io.jamwatch.eval.bench.SkabLeaderboard;
import io.jamwatch.eval.nab.NabCorpus;
import io.jamwatch.eval.nab.NabProfile;
import io.jamwatch.eval.nab.NabResultsWriter;
import io.jamwatch.eval.nab.NabScorer;
import io.jamwatch.eval.skab.SkabCorpus;
import io.jamwatch.eval.skab.SkabScorer;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.DetectorConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jamwatch bench skab|nab|stream|jmh}: the public benchmarks, each under its published
 * protocol, and the performance harnesses (the end-to-end stream harness and the JMH benchmarks),
 * so that every benchmark of BENCHMARKS.md runs from this one command.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Public benchmarks (SKAB, NAB), each scored with its own published protocol; performance harnesses (stream, jmh).",
    subcommands = {BenchCommand.Skab.class, BenchCommand.Nab.class, BenchCommand.Stream.class, BenchCommand.Scale.class, BenchCommand.Jmh.class})
public final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The file's learning curve as a PNG in {@code dir} (none if dir is null). */
  static void curve(Path dir, io.jamwatch.eval.bench.ForecastError.FileError e) throws java.io.IOException {
    if (dir == null) return;
    Files.createDirectories(dir);
    String name = e.file().replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.csv$", "") + ".png";
    TrainingCharts.learningCurve(e.training(), "forecast head on " + e.file(), dir.resolve(name));
  }

  /** SKAB rows whose anomaly label is 0. */
  static boolean[] normalRows(SkabCorpus.SkabFile f) {
    boolean[] n = new boolean[f.rows()];
    for (int i = 0; i < n.length; i++) n[i] = f.anomaly()[i] == 0;
    return n;
  }

  /** A model detector stepped by {@code r}; the model-free ones have no model to step. */
  static SeriesDetector withRuntime(SeriesDetector d, io.jamwatch.onnx.ModelRuntime r) {
    return d instanceof io.jamwatch.eval.bench.ForecastModelDetector f ? f.withRuntime(r) : d;
  }

  static io.jamwatch.eval.bench.ForecastModelDetector forecastDetector(SeriesDetector d) {
    if (d instanceof io.jamwatch.eval.bench.ForecastModelDetector f) return f;
    throw new IllegalArgumentException("--forecast-error needs a forecast-head detector (gru, lstm, rnn), got " + d.name());
  }

  /** A bad {@code --set} key or value is a one-line error before any broker starts. */
  static void checkSettings(Map<String, String> set) {
    java.util.Properties p = new java.util.Properties();
    p.putAll(set);
    io.jamwatch.stream.StreamConfig.fromProperties(p);
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Command(
      name = "skab",
      mixinStandardHelpOptions = true,
      description = "SKAB: per-file fit on the first 400 rows, one alarm per test row; F1/FAR/MAR and changepoint scores.")
  static final class Skab implements Callable<Integer> {
    @picocli.CommandLine.Mixin DetectorOptions detectorOptions = new DetectorOptions();

    @picocli.CommandLine.Mixin RuntimeOptions runtime = new RuntimeOptions();

    @Option(names = "--data", defaultValue = "../shared/eval/skab", description = "SKAB corpus folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N labelled files (0 = all).")
    int limit;

    @Option(names = "--detector", defaultValue = "gru", description = "gru | lstm | rnn (forecast-head model) | ewma (baseline). Default: ${DEFAULT-VALUE}.")
    String detector;

    @Option(names = "--quantile", defaultValue = "0.99", description = "Alarm threshold = this quantile of calibration-row scores (default: ${DEFAULT-VALUE}).")
    double quantile;

    @Option(names = "--calibration-rows", defaultValue = "100", description = "Last training rows kept out of the fit to set the threshold (default: ${DEFAULT-VALUE}).")
    int calibrationRows;

    @Option(names = "--hold", defaultValue = "0", description = "Alarm hold in rows (0 = none, the primary setting; 30 is reported too).")
    int hold;

    @Option(names = "--min-events", defaultValue = "" + SkabBench.MIN_EVENTS, description = "Alert policy: rows above the threshold before an alert is raised (default: ${DEFAULT-VALUE}).")
    int minEvents;

    @Option(names = "--clear-fraction", defaultValue = "" + SkabBench.CLEAR_FRACTION, description = "Alert policy: clear below this fraction of the raise threshold (default: ${DEFAULT-VALUE}).")
    float clearFraction;

    @Option(names = "--pretrain-anomaly-free", description = "Second, non-leaderboard setting: also fit on anomaly-free.csv.")
    boolean pretrain;

    @Option(names = "--forecast-error", description = "Instead of the benchmark: the forecast head's one-step MSE on the test rows against persistence, per file (fit as the bench does, on rows 0..299).")
    boolean forecastError;

    @Option(names = "--curves", description = "With --forecast-error: also write each file's learning curve (PNG) into this folder.")
    Path curves;

    @Option(names = "--seed", defaultValue = "7", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--exclude-readings", split = ",", paramLabel = "NAME",
        description = "Readings left out of the model, comma-separated; 'none' keeps all (default: Temperature,Thermocouple, the SKAB configuration: the water warms through every experiment).")
    List<String> excludeReadings;

    @Option(names = "--rows", description = "Also write each file's rows (score, threshold, alert open, anomaly label) as CSV into this folder.")
    Path rowsOut;

    @Option(names = "--out", defaultValue = "runs/bench-skab", description = "Output folder for summary.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      long start = System.nanoTime();
      SkabCorpus corpus = SkabCorpus.read(data);
      DetectorConfig dc = detectorOptions.apply(SkabBench.detector());
      SeriesDetector det = withRuntime(BenchDetectors.create(detector, seed, dc, detectorOptions.deviceWindow), runtime.runtime());
      java.util.Set<String> excluded = excludeReadings == null ? SkabBench.EXCLUDED_READINGS
          : java.util.Set.copyOf(excludeReadings.stream().filter(r -> !r.isBlank() && !r.equals("none")).toList());
      SkabBench.Settings s = new SkabBench.Settings(400, calibrationRows, quantile, hold, SkabScorer.WINDOW_MILLIS, excluded);
      if (forecastError) {
        List<io.jamwatch.eval.bench.ForecastError.FileError> errs = new ArrayList<>();
        List<SkabCorpus.SkabFile> fs = corpus.labelled();
        if (limit > 0 && limit < fs.size()) fs = fs.subList(0, limit);
        ProgressBar bar = new ProgressBar("skab forecast error " + det.name());
        for (SkabCorpus.SkabFile f : fs) {
          if (f.rows() <= s.trainRows()) continue;
          errs.add(io.jamwatch.eval.bench.ForecastError.measure(forecastDetector(det), f.relPath(), SkabBench.events(f, excluded),
              s.trainRows() - s.calibrationRows(), s.trainRows(), normalRows(f)));
          curve(curves, errs.get(errs.size() - 1));
          bar.update((double) errs.size() / fs.size(), errs.size() + "/" + fs.size() + " " + f.relPath());
        }
        bar.finish(errs.size() + " files");
        io.jamwatch.eval.bench.ForecastError.print(System.out,
            "SKAB forecast error on the test rows (>= " + s.trainRows() + "), fit on rows 0.." + (s.trainRows() - s.calibrationRows() - 1)
                + "; " + det.describe(), errs);
        System.out.printf("time: %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
      }
      List<List<ScannerEvent>> pre = new ArrayList<>();
      if (pretrain) {
        if (corpus.normalOnly().isEmpty()) {
          throw new IllegalArgumentException("--pretrain-anomaly-free: no unlabelled file in " + data);
        }
        for (SkabCorpus.SkabFile f : corpus.normalOnly()) {
          pre.add(SkabBench.events(f, excluded));
        }
      }
      int n = limit > 0 ? Math.min(limit, corpus.labelled().size()) : corpus.labelled().size();
      ProgressBar bar = new ProgressBar("skab " + det.name());
      int[] done = {0};
      List<SkabBench.FileRun> runs =
          SkabBench.run(corpus, det, s, limit, pre, f -> bar.update((double) ++done[0] / n, done[0] + "/" + n + " " + f));
      bar.finish(n + " files");
      double secs = (System.nanoTime() - start) / 1e9;

      PrintStream o = System.out;
      String setting = pretrain ? "NON-LEADERBOARD setting: pre-trained on anomaly-free.csv" : "leaderboard protocol";
      o.printf("SKAB, %s: %d labelled files of %s (the leaderboard uses 34; compare as a trend only)%n", setting, runs.size(), data);
      o.printf("detector: %s; threshold = q%.3f of scores on training rows %d..399 (fit on rows 0..%d)%n",
          det.describe(), quantile, 400 - calibrationRows, 399 - calibrationRows);
      o.printf("readings left out: %s; alert policy: raise after %d rows above the threshold, clear below %.2f of it%n",
          excluded.isEmpty() ? "none" : String.join(",", new java.util.TreeSet<>(excluded)), minEvents, clearFraction);
      ObjectNode root = JSON.createObjectNode();
      root.put("benchmark", "SKAB");
      root.put("excludedReadings", String.join(",", new java.util.TreeSet<>(excluded)));
      root.put("minEvents", minEvents);
      root.put("clearFraction", clearFraction);
      root.put("setting", setting);
      root.put("detector", det.name());
      root.put("detectorDescription", det.describe());
      root.put("files", runs.size());
      root.put("quantile", quantile);
      root.put("calibrationRows", calibrationRows);
      root.put("seconds", secs);
      ArrayNode rows = root.putArray("results");
      o.printf("%-38s %6s %7s %7s | %8s %8s %8s %6s %5s%n", "", "F1", "FAR%", "MAR%", "NAB std", "LowFP", "LowFN", "missed", "FPs");
      List<SkabScorer.FileAlarms> alerted =
          SkabBench.withAlerts(runs, th -> SkabBench.alertPolicy((float) th, minEvents, clearFraction));
      row(o, rows, "jamwatch " + det.name() + " (alert policy)", alerted, -1);
      List<Integer> holds = hold == 30 ? List.of(30) : List.of(hold, 30);
      for (int h : holds) {
        row(o, rows, "jamwatch " + det.name() + " (hold " + h + ")", SkabBench.withHold(runs, h), h);
      }
      row(o, rows, "all-ones baseline", SkabBench.allOnes(runs), 0);
      row(o, rows, "anomaly labels as alarms (oracle)", SkabBench.oracle(runs), 0);
      o.println("-- published leaderboard, outlier problem (34 files) --");
      for (SkabLeaderboard.Outlier l : SkabLeaderboard.OUTLIER) {
        o.printf("%-38s %6.2f %7.2f %7.2f%n", l.algorithm(), l.f1(), l.far(), l.mar());
      }
      o.println("-- published leaderboard, changepoint problem (34 files, 127 windows) --");
      for (SkabLeaderboard.Changepoint c : SkabLeaderboard.CHANGEPOINT) {
        o.printf("%-38s %6s %7s %7s | %8.2f %8.2f %8.2f %6s %5s%n", c.algorithm(), "", "", "", c.standard(),
            c.lowFp(), c.lowFn(), c.missed() < 0 ? "-" : c.missed(), c.fps() < 0 ? "-" : c.fps());
      }
      ArrayNode files = root.putArray("perFile");
      for (int i = 0; i < runs.size(); i++) {
        SkabBench.FileRun r = runs.get(i);
        ObjectNode f = files.addObject();
        f.put("file", r.file());
        f.put("threshold", r.threshold());
        f.put("fitMillis", r.fitMillis());
        f.put("scoreMillis", r.scoreMillis());
        SkabScorer.Binary b = SkabScorer.binary(List.of(alerted.get(i)));
        f.put("tp", b.tp()).put("fp", b.fp()).put("fn", b.fn()).put("tn", b.tn());
        SkabScorer.Binary plain = SkabScorer.binary(List.of(r.test()));
        f.put("plainFp", plain.fp()).put("plainFn", plain.fn());
      }
      if (rowsOut != null) {
        SkabBench.writeRows(rowsOut, runs, alerted);
        o.printf("per-row scores and alarms: %s%n", rowsOut);
      }
      Files.createDirectories(out);
      JSON.writeValue(out.resolve("summary.json").toFile(), root);
      o.printf("time: %.1f s; summary: %s%n", secs, out.resolve("summary.json"));
      return 0;
    }

    private static void row(PrintStream o, ArrayNode rows, String name, List<SkabScorer.FileAlarms> alarms, int h) {
      SkabScorer.Binary b = SkabScorer.binary(alarms);
      SkabScorer.Changepoints c = SkabScorer.changepoints(alarms, SkabScorer.WINDOW_MILLIS, SkabScorer.Profile.defaults());
      o.printf("%-38s %6.2f %7.2f %7.2f | %8.2f %8.2f %8.2f %6d %5d%n", name,
          SkabScorer.round2(b.f1()), SkabScorer.round2(b.farPercent()), SkabScorer.round2(b.marPercent()),
          SkabScorer.round2(c.normalised(0)), SkabScorer.round2(c.normalised(1)), SkabScorer.round2(c.normalised(2)),
          c.missed(), c.falsePositives());
      ObjectNode r = rows.addObject();
      r.put("name", name);
      r.put("hold", h);
      r.put("f1", b.f1()).put("farPercent", b.farPercent()).put("marPercent", b.marPercent());
      r.put("tp", b.tp()).put("fp", b.fp()).put("fn", b.fn()).put("tn", b.tn());
      r.put("nabStandard", c.normalised(0)).put("nabLowFP", c.normalised(1)).put("nabLowFN", c.normalised(2));
      r.put("changepointWindows", c.windows()).put("missedCPs", c.missed()).put("FPs", c.falsePositives());
      r.put("meanDelaySeconds", c.meanDelaySeconds());
    }
  }

  @Command(
      name = "nab",
      mixinStandardHelpOptions = true,
      description = "NAB: causal score per row, fit on probationary rows, NAB's sweep, scoring and normalisation.")
  static final class Nab implements Callable<Integer> {
    @picocli.CommandLine.Mixin DetectorOptions detectorOptions = new DetectorOptions();

    @picocli.CommandLine.Mixin RuntimeOptions runtime = new RuntimeOptions();

    @Option(names = "--data", defaultValue = "../shared/eval/nab", description = "NAB corpus folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N files (0 = all).")
    int limit;

    @Option(names = "--detector", defaultValue = "gru", description = "gru | lstm | rnn (forecast-head model) | free (model-free detector) | ewma (baseline). Default: ${DEFAULT-VALUE}.")
    String detector;

    @Option(names = "--suppress", defaultValue = "" + NabBench.SUPPRESS_EVENTS, description = "Alert policy: no new alert within this many rows of the last (default: ${DEFAULT-VALUE}).")
    int suppress;

    @Option(names = "--raw-scores", description = "Ablation: NAB's row-wise sweep over the raw scores, no alert policy in the loop.")
    boolean rawScores;

    @Option(names = "--seed", defaultValue = "7", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--forecast-error", description = "Instead of the benchmark: the forecast head's one-step MSE after probation against persistence, per file.")
    boolean forecastError;

    @Option(names = "--curves", description = "With --forecast-error: also write each file's learning curve (PNG) into this folder.")
    Path curves;

    @Option(names = "--out", defaultValue = "runs/bench-nab", description = "Output folder: summary.json and results/<detector>/... in NAB's format (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      long start = System.nanoTime();
      NabCorpus corpus = NabCorpus.read(data);
      DetectorConfig dc = detectorOptions.apply(NabBench.detector());
      SeriesDetector det = withRuntime(BenchDetectors.create(detector, seed, dc, detectorOptions.deviceWindow), runtime.runtime());
      AlertPolicy alertBase = NabBench.alertPolicy().withSuppressEvents(suppress);
      int n = limit > 0 ? Math.min(limit, corpus.series().size()) : corpus.series().size();
      if (forecastError) {
        List<io.jamwatch.eval.bench.ForecastError.FileError> errs = new ArrayList<>();
        ProgressBar bar = new ProgressBar("nab forecast error " + det.name());
        for (io.jamwatch.eval.nab.NabSeries sr : corpus.series().subList(0, n)) {
          int probation = (int) NabScorer.probationaryLength(sr.size());
          errs.add(io.jamwatch.eval.bench.ForecastError.measure(forecastDetector(det), sr.relPath(), NabBench.events(sr),
              probation, probation, null));
          curve(curves, errs.get(errs.size() - 1));
          bar.update((double) errs.size() / n, errs.size() + "/" + n + " " + sr.relPath());
        }
        bar.finish(n + " files");
        io.jamwatch.eval.bench.ForecastError.print(System.out,
            "NAB forecast error after probation (fit on the probationary rows); " + det.describe(), errs);
        System.out.printf("time: %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
      }
      ProgressBar bar = new ProgressBar("nab " + det.name());
      int[] done = {0};
      List<NabBench.SeriesRun> runs =
          NabBench.run(corpus, det, limit, f -> bar.update((double) ++done[0] / n, done[0] + "/" + n + " " + f));
      bar.finish(n + " files");
      Path cfg = data.resolve("config/profiles.json");
      List<NabProfile> profiles = Files.isRegularFile(cfg) ? NabProfile.read(cfg) : NabProfile.defaults();
      List<NabScorer.ProfileResult> results;
      String detName = "jamwatch-" + det.name();
      AlertPolicy chosen = null;
      if (rawScores) {
        results = NabBench.score(runs, profiles);
      } else {
        List<NabBench.AlertResult> ar = NabBench.scoreAlerts(runs, profiles, alertBase);
        results = ar.stream().map(NabBench.AlertResult::result).toList();
        chosen = ar.get(0).policy();
      }
      for (NabBench.SeriesRun r : runs) {
        NabResultsWriter.write(out.resolve("results"), detName, r.series(),
            chosen == null ? r.scores() : NabBench.detections(r, chosen));
      }
      double secs = (System.nanoTime() - start) / 1e9;
      int windows = runs.stream().mapToInt(r -> r.series().windows().size()).sum();

      PrintStream o = System.out;
      o.printf("NAB: %d files, %d windows of %s (the scoreboard uses 58 files / 116 windows; compare as a trend only)%n",
          runs.size(), windows, data);
      o.printf("detector: %s, fitted per file on its probationary rows%n", det.describe());
      o.println(rawScores ? "detections: rows with score >= threshold (NAB's row-wise sweep, no alert policy)"
          : "detections: RAISED rows of the alert policy (" + alertBase + "), raise threshold swept corpus-wide");
      o.printf("%-28s %10s %10s %10s%n", "", "standard", "low FP", "low FN");
      ObjectNode root = JSON.createObjectNode();
      root.put("benchmark", "NAB");
      root.put("detector", detName);
      root.put("detectorDescription", det.describe());
      root.put("alertPolicy", rawScores ? "none (raw scores)" : alertBase.toString());
      root.put("files", runs.size());
      root.put("windows", windows);
      root.put("seconds", secs);
      ArrayNode pr = root.putArray("profiles");
      StringBuilder line = new StringBuilder(String.format("%-28s", detName));
      for (NabScorer.ProfileResult r : results) {
        // No labelled window in the files run (e.g. --limit 3: artificialNoAnomaly only): NAB's
        // normalisation is 0/0, so say so instead of printing NaN.
        line.append(windows == 0 ? String.format(" %10s", "n/a") : String.format(" %10.2f", r.normalised()));
        ObjectNode p = pr.addObject();
        p.put("profile", r.profile().name());
        p.put("threshold", r.best().threshold());
        p.put("rawScore", r.best().score());
        p.put("nullScore", r.nullScore());
        p.put("perfectScore", r.perfectScore());
        if (windows > 0) p.put("normalised", r.normalised());
        p.put("tp", r.best().tp()).put("fp", r.best().fp()).put("fn", r.best().fn()).put("tn", r.best().tn());
      }
      o.println(line);
      if (windows == 0) o.println("these files hold no labelled window: NAB's normalised score is undefined (run more files)");
      for (NabScorer.ProfileResult r : results) {
        o.printf("  %-20s threshold %.6f raw %.3f null %.3f perfect %.1f%n", r.profile().name(),
            r.best().threshold(), r.best().score(), r.nullScore(), r.perfectScore());
      }
      Path board = data.resolve("results/final_results.json");
      if (Files.isRegularFile(board)) {
        o.println("-- published scoreboard, results/final_results.json (58 files) --");
        com.fasterxml.jackson.databind.JsonNode b = JSON.readTree(board.toFile());
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = b.fields(); it.hasNext(); ) {
          Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
          o.printf("%-28s %10.2f %10.2f %10.2f%n", e.getKey(), e.getValue().path("standard").asDouble(),
              e.getValue().path("reward_low_FP_rate").asDouble(), e.getValue().path("reward_low_FN_rate").asDouble());
        }
      }
      ArrayNode files = root.putArray("perFile");
      NabProfile std = profiles.get(0);
      double th = results.get(0).best().threshold();
      for (NabBench.SeriesRun r : runs) {
        ObjectNode f = files.addObject();
        f.put("file", r.series().relPath());
        f.put("rows", r.series().size());
        f.put("windows", r.series().windows().size());
        f.put("rawScore_" + std.name(), chosen == null ? NabScorer.scoreAt(r.series(), r.scores(), std, th)
            : NabScorer.scoreAt(r.series(), NabBench.detections(r, chosen), std, 0.5));
        f.put("fitMillis", r.fitMillis());
        f.put("scoreMillis", r.scoreMillis());
      }
      Files.createDirectories(out);
      JSON.writeValue(out.resolve("summary.json").toFile(), root);
      o.printf("time: %.1f s; NAB-format results: %s; summary: %s%n", secs, out.resolve("results").resolve(detName),
          out.resolve("summary.json"));
      return 0;
    }
  }

  @Command(
      name = "stream",
      mixinStandardHelpOptions = true,
      description = "End-to-end stream harness: broker in its own JVM, input pre-produced, warm-up, interleaved repeated runs of "
          + "raw pass-through / baseline (same Avro and store work, constant score) / jamwatch, under exactly_once_v2 and "
          + "at_least_once, for each device population; events/s and stream-thread CPU per event; each topology's exactly-once latency at half of jamwatch's capacity. "
          + "Writes results.md, summary.csv and runs.csv.")
  static final class Stream implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000", description = "Events per measured run (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--warmup", defaultValue = "200000", description = "Warm-up events per topology and guarantee, not recorded (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--repeats", defaultValue = "3", description = "Repeats of every run, interleaved (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--devices", split = ",", defaultValue = "64,100000", description = "Device populations (default: ${DEFAULT-VALUE}).")
    List<Integer> devices;

    @Option(names = "--guarantees", split = ",", defaultValue = "eos,alo", description = "eos (exactly_once_v2) and/or alo (at_least_once) (default: ${DEFAULT-VALUE}).")
    List<String> guarantees;

    @Option(names = "--topologies", split = ",", defaultValue = "raw,baseline,jamwatch", description = "Which of raw, baseline, jamwatch (default: ${DEFAULT-VALUE}).")
    List<String> topologies;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the input and output topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--set", description = "A jamwatch config key for every run, as in a run config file (repeatable): e.g. --set state.store=memory --set kafka.commit.interval.ms=200.")
    Map<String, String> set = new java.util.LinkedHashMap<>();

    @Option(names = "--latency-seconds", defaultValue = "30", description = "Length of each topology's paced latency run, all at --latency-load of jamwatch's exactly-once capacity (0 = none; default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--latency-load", defaultValue = "0.5", description = "Rate of the latency run as a fraction of jamwatch's measured exactly-once median capacity (default: ${DEFAULT-VALUE}).")
    double latencyLoad;

    @Option(names = "--latency-rate", defaultValue = "0", description = "A fixed rate for the latency run, events/s, to compare settings at the same load (0 = --latency-load of the capacity; default: ${DEFAULT-VALUE}).")
    double latencyRate;

    @Option(names = "--quick", description = "A CI-sized run: 20,000 events, 5,000 warm-up, 1 repeat, 64 and 1,000 devices, 5 s latency run (other options still apply after it).")
    boolean quick;

    @Option(names = "--model", description = "Model file to score with (default: a random GRU H=64 fitted to the simulator's features).")
    Path model;

    @Option(names = "--out", defaultValue = "runs/bench-stream", description = "Output folder: results.md, summary.csv, runs.csv, work/broker/broker.log (default: ${DEFAULT-VALUE}).")
    Path out;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      io.jamwatch.stream.bench.HarnessSettings.Builder b = io.jamwatch.stream.bench.HarnessSettings.builder();
      picocli.CommandLine.ParseResult pr = spec.commandLine().getParseResult();
      if (quick) {
        b.events(20_000).warmupEvents(5_000).repeats(1).devices(List.of(64, 1_000)).latencySeconds(5);
      }
      if (!quick || pr.hasMatchedOption("--events")) b.events(events);
      if (!quick || pr.hasMatchedOption("--warmup")) b.warmupEvents(warmup);
      if (!quick || pr.hasMatchedOption("--repeats")) b.repeats(repeats);
      if (!quick || pr.hasMatchedOption("--devices")) b.devices(devices);
      if (!quick || pr.hasMatchedOption("--latency-seconds")) b.latencySeconds(latencySeconds);
      b.latencyLoad(latencyLoad);
      b.latencyRate(latencyRate);
      set.forEach(b::set);
      io.jamwatch.stream.bench.HarnessSettings settings;
      try {
        checkSettings(set);
        settings = b.guarantees(guarantees)
            .topologies(topologies.stream().map(io.jamwatch.stream.bench.HarnessSettings.Topology::parse).toList())
            .partitions(partitions).model(model).out(out).build();
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      String md = new io.jamwatch.stream.bench.StreamHarness(settings, System.out).run().markdown();
      System.out.println();
      System.out.println(md);
      System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("summary.csv") + ", " + out.resolve("runs.csv"));
      return 0;
    }
  }

  @Command(
      name = "scale",
      mixinStandardHelpOptions = true,
      description = "Scale harness: a large device population in one instance (events/s, longest sweep slice), bytes per device "
          + "(logical and on disk), restore time after the state directory is wiped, one instance vs two. Writes results.md.")
  static final class Scale implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "1000000", description = "Devices in the one instance (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--events-per-device", defaultValue = "2", description = "Events per device (default: ${DEFAULT-VALUE}).")
    int eventsPerDevice;

    @Option(names = "--scale-out-devices", defaultValue = "100000", description = "Devices of the one-vs-two-instances run (default: ${DEFAULT-VALUE}).")
    int scaleOutDevices;

    @Option(names = "--scale-out-events", defaultValue = "1000000", description = "Events of the one-vs-two-instances run (0 = skip; default: ${DEFAULT-VALUE}).")
    long scaleOutEvents;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the input (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--set", description = "A jamwatch config key for every run (repeatable), e.g. --set state.store=memory.")
    Map<String, String> set = new java.util.LinkedHashMap<>();

    @Option(names = "--model", description = "Model file (default: a random GRU H=64).")
    Path model;

    @Option(names = "--out", defaultValue = "runs/bench-scale", description = "Output folder: results.md, work/broker/broker.log (default: ${DEFAULT-VALUE}).")
    Path out;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      io.jamwatch.stream.bench.ScaleHarness.Settings s;
      try {
        checkSettings(set);
        s = new io.jamwatch.stream.bench.ScaleHarness.Settings(devices, eventsPerDevice, scaleOutDevices, scaleOutEvents,
            partitions, set, model, out, 2048);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      String md = new io.jamwatch.stream.bench.ScaleHarness(s, System.out).run().markdown();
      System.out.println();
      System.out.println(md);
      System.out.println("written: " + out.resolve("results.md"));
      return 0;
    }
  }

  @Command(
      name = "jmh",
      mixinStandardHelpOptions = true,
      description = "JMH micro-benchmarks in this jar (StepBenchmark, ExplainBenchmark, TrainingThroughputBenchmark); the arguments go to JMH, e.g. `bench jmh StepBenchmark -f 1 -wi 3 -i 5`.")
  static final class Jmh implements Callable<Integer> {
    @picocli.CommandLine.Parameters(arity = "0..*", description = "JMH arguments (benchmark regex, -f, -wi, -i, -bm ...).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      org.openjdk.jmh.Main.main(args.toArray(String[]::new));
      return 0;
    }
  }
}
