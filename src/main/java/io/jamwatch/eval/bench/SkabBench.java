package io.jamwatch.eval.bench;

import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.DetectorConfig;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.skab.SkabCorpus;
import io.jamwatch.eval.skab.SkabScorer;
import java.util.ArrayList;
import java.util.List;

/**
 * SKAB's leaderboard protocol (shared/eval/skab/SOURCE.md, "How to score a per-device streaming
 * GRU/LSTM here"): one device per labelled file; everything fitted on the file's first
 * {@code trainRows} (400) rows only; every row then streamed in order and one alarm emitted per
 * test row from past data only (0 while the detector warms up).
 *
 * <p>Within the 400 training rows, the detector (scaler + model) is fitted on the first
 * {@code trainRows - calibrationRows} and the alarm threshold is the {@code quantile} of the scores
 * of the last {@code calibrationRows}, which the model has not been fitted on (a threshold on
 * in-sample scores would be too low). Alarm: score strictly above the threshold. An optional alarm
 * hold keeps an alarm up for {@code hold} rows (a causal rolling max), as SKAB's Isolation-Forest
 * notebook does with 30; it changes the changepoint scores a lot and is always reported.
 */
public final class SkabBench {

  /** Settings of one run; {@link #defaults()} is the protocol's. */
  public record Settings(
      int trainRows, int calibrationRows, double quantile, int hold, long windowMillis, java.util.Set<String> excludedReadings) {
    public Settings {
      excludedReadings = java.util.Set.copyOf(excludedReadings);
      if (trainRows < 2 || calibrationRows < 1 || calibrationRows >= trainRows) {
        throw new IllegalArgumentException(
            "need trainRows >= 2 and 1 <= calibrationRows < trainRows, got " + trainRows + ", " + calibrationRows);
      }
      if (!(quantile > 0 && quantile <= 1) || hold < 0 || windowMillis <= 0) {
        throw new IllegalArgumentException("bad quantile/hold/window: " + quantile + ", " + hold + ", " + windowMillis);
      }
    }

    public static Settings defaults() {
      return new Settings(400, 100, 0.99, 0, SkabScorer.WINDOW_MILLIS, EXCLUDED_READINGS);
    }
  }

  /** What happened on one file. */
  public record FileRun(
      String file, double threshold, float[] scores, boolean[] warming, SkabScorer.FileAlarms test,
      long fitMillis, long scoreMillis) {}

  private SkabBench() {}

  /**
   * Runs the detector on every labelled file (the first {@code limit} when limit > 0).
   *
   * @param pretrain extra sequences the detector may fit on besides the file's own prefix (the
   *     separately labelled anomaly-free setting), or an empty list for the leaderboard setting
   */
  public static List<FileRun> run(
      SkabCorpus corpus, SeriesDetector detector, Settings s, int limit,
      List<List<ScannerEvent>> pretrain, java.util.function.Consumer<String> progress) throws Exception {
    List<SkabCorpus.SkabFile> files = corpus.labelled();
    if (limit > 0 && limit < files.size()) {
      files = files.subList(0, limit);
    }
    List<FileRun> runs = new ArrayList<>();
    for (SkabCorpus.SkabFile f : files) {
      if (f.rows() <= s.trainRows()) {
        // train_test_split(train_size=400) leaves such a file no test row: it adds nothing to any count.
        System.err.println("note: " + f.relPath() + " has " + f.rows() + " rows, no test part after "
            + s.trainRows() + " training rows; skipped");
        continue;
      }
      try {
        runs.add(runFile(f, detector, s, pretrain));
      } catch (Exception e) {
        throw new IllegalStateException("SKAB file " + f.relPath() + ": " + e.getMessage(), e);
      }
      if (progress != null) {
        progress.accept(f.relPath());
      }
    }
    return runs;
  }

  /**
   * The readings the SKAB configuration leaves out of the model: the water's temperature at the
   * pump ({@code Temperature}) and in the tank ({@code Thermocouple}). The testbed's water warms
   * through every experiment, so these two drift out of the range of the 300 fit rows whatever
   * happens to the pump (the only readings of the corpus whose fit-row level is dominated by a
   * trend); a forecaster fed their level extrapolates on every reading, and its error grows on
   * normal rows (BENCHMARKS.md: FAR 16-24 % with them, 10-11 % without, over three seeds). The
   * faults SKAB injects (valve closures, leaks, imbalance, cavitation) show in flow, pressure,
   * current, voltage and vibration. The same for every file: a choice of the corpus's readings,
   * like a deployment's choice of which scanner readings to map, not a per-file setting.
   */
  public static final java.util.Set<String> EXCLUDED_READINGS = java.util.Set.of("Temperature", "Thermocouple");

  /** The file's rows as events of one device, {@code deviceId} = the file, every reading kept. */
  public static List<ScannerEvent> events(SkabCorpus.SkabFile f) {
    return events(f, java.util.Set.of());
  }

  /** The file's rows as events of one device without the {@code excluded} readings. */
  public static List<ScannerEvent> events(SkabCorpus.SkabFile f, java.util.Set<String> excluded) {
    List<String> names = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int k = 0; k < f.sensors().size(); k++) {
      if (!excluded.contains(f.sensors().get(k))) {
        names.add(f.sensors().get(k));
        kept.add(k);
      }
    }
    if (names.isEmpty()) throw new IllegalArgumentException("every reading of " + f.relPath() + " is excluded");
    List<ScannerEvent> out = new ArrayList<>(f.rows());
    float[] row = new float[names.size()];
    for (int i = 0; i < f.rows(); i++) {
      for (int k = 0; k < row.length; k++) row[k] = f.values()[i][kept.get(k)];
      out.add(RowEvents.of(f.deviceId(), "skab", f.timestamps()[i], names, row));
    }
    return out;
  }

  static FileRun runFile(
      SkabCorpus.SkabFile f, SeriesDetector detector, Settings s, List<List<ScannerEvent>> pretrain)
      throws Exception {
    List<ScannerEvent> ev = events(f, s.excludedReadings());
    int fitRows = s.trainRows() - s.calibrationRows();
    long t0 = System.nanoTime();
    float[] scores = new float[ev.size()];
    boolean[] warming = new boolean[ev.size()];
    long t1;
    try (SeriesDetector.Scorer scorer = fitWith(detector, ev.subList(0, fitRows), pretrain)) {
      t1 = System.nanoTime();
      for (int i = 0; i < ev.size(); i++) {
        scores[i] = scorer.score(ev.get(i));
        warming[i] = scorer.warming();
      }
    }
    long t2 = System.nanoTime();
    float[] calib = calibrationScores(scores, warming, fitRows, s.trainRows());
    double threshold = TrainingThreshold.quantile(calib, 0, calib.length, s.quantile());
    int n = f.rows() - s.trainRows();
    byte[] alarm = new byte[n];
    for (int i = 0; i < n; i++) {
      int r = s.trainRows() + i;
      alarm[i] = (byte) (!warming[r] && scores[r] > threshold ? 1 : 0);
    }
    byte[] held = hold(alarm, s.hold());
    SkabScorer.FileAlarms test =
        new SkabScorer.FileAlarms(
            f.relPath(),
            java.util.Arrays.copyOfRange(f.timestamps(), s.trainRows(), f.rows()),
            java.util.Arrays.copyOfRange(f.anomaly(), s.trainRows(), f.rows()),
            java.util.Arrays.copyOfRange(f.changepoint(), s.trainRows(), f.rows()),
            held);
    return new FileRun(f.relPath(), threshold, scores, warming, test, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
  }

  private static SeriesDetector.Scorer fitWith(
      SeriesDetector d, List<ScannerEvent> own, List<List<ScannerEvent>> pretrain) throws Exception {
    if (pretrain.isEmpty()) {
      return d.fit(own);
    }
    if (!(d instanceof PretrainableDetector p)) {
      throw new IllegalArgumentException(d.name() + " cannot be pre-trained");
    }
    return p.fit(own, pretrain);
  }

  /** Scores of the calibration rows that are past the warm-up (all of them if none is). */
  static float[] calibrationScores(float[] scores, boolean[] warming, int from, int to) {
    int k = 0;
    float[] out = new float[to - from];
    for (int i = from; i < to; i++) {
      if (!warming[i]) {
        out[k++] = scores[i];
      }
    }
    if (k == 0) {
      throw new IllegalStateException(
          "the detector is still warming up on every calibration row " + from + ".." + (to - 1));
    }
    return java.util.Arrays.copyOf(out, k);
  }

  /** Causal rolling max over the last {@code h} rows (h = 0 or 1: unchanged). */
  public static byte[] hold(byte[] alarm, int h) {
    if (h <= 1) {
      return alarm.clone();
    }
    byte[] out = new byte[alarm.length];
    int lastOn = Integer.MIN_VALUE / 2;
    for (int i = 0; i < alarm.length; i++) {
      if (alarm[i] == 1) {
        lastOn = i;
      }
      out[i] = (byte) (i - lastOn < h ? 1 : 0);
    }
    return out;
  }

  /**
   * The one detector configuration for every SKAB file: the forecast term alone, its statistics
   * fitted on the rows the protocol lets a model fit on and then frozen, no first-of-run filter
   * (SKAB scores every row of a collective anomaly, so a sustained alarm is the goal). The
   * single-reading terms (persistence, level, novelty) are off: SKAB's thermocouple and
   * temperature drift through every experiment, and a term that judges one reading against its
   * own past alarms on that drift (FAR 44 % with them on, BENCHMARKS.md), while the multivariate
   * forecaster judges the readings against each other. A model-free run falls back to persistence.
   */
  public static DetectorConfig detector() {
    return DetectorConfig.builder().forecastTerm(true).persistenceTerm(false).noveltyTerm(false).levelTerm(false)
        .firstOfRun(false).longWindow(LONG_WINDOW).referenceEvents(REFERENCE_ROWS).build();
  }

  /** The reference period of the SKAB configuration: the rows the protocol lets a model fit on. */
  public static final int REFERENCE_ROWS = 300;

  /** Likelihood long window of the SKAB configuration, rows. */
  public static final int LONG_WINDOW = 5000;

  /**
   * The alert policy of the SKAB alarm: raise at the file's training threshold after {@code
   * minEvents} consecutive rows above it (the configuration: {@link #MIN_EVENTS}, 10 s: a pump
   * fault persists, a glitch does not), clear below {@code clearFraction} of it ({@link
   * #CLEAR_FRACTION}). A test row's alarm is "an alert is open" (the state the stream keeps per device), so the alarm edges SKAB's
   * changepoint score counts are the RAISED and CLEARED transitions.
   */
  public static AlertPolicy alertPolicy(float threshold, int minEvents, float clearFraction) {
    return new AlertPolicy(threshold, threshold * clearFraction, minEvents, 0L, 0L, 0);
  }

  /** Rows (about 1 s each) the score must stay above the threshold before an alert is raised. */
  public static final int MIN_EVENTS = 10;
  public static final float CLEAR_FRACTION = 0.6f;

  /** The runs' test alarms = the alert policy's open state, replayed over every row of the file. */
  public static List<SkabScorer.FileAlarms> withAlerts(List<FileRun> runs, java.util.function.DoubleFunction<AlertPolicy> policy) {
    List<SkabScorer.FileAlarms> out = new ArrayList<>();
    for (FileRun r : runs) {
      int off = r.scores().length - r.test().alarm().length;
      float th = (float) Math.min(1.0, Math.max(Math.nextUp(0f), r.threshold()));
      AlertPolicy p = policy.apply(th);
      AlertState st = new AlertState();
      long[] ts = r.test().timestamps();
      byte[] alarm = new byte[r.test().alarm().length];
      for (int i = 0; i < r.scores().length; i++) {
        // Rows before the test part carry no timestamps here: their order is all the policy needs.
        long t = i < off ? Long.MIN_VALUE / 2 + i : ts[i - off];
        // "Strictly above the threshold" as the plain alarm: the policy raises at >= raise.
        float sc = r.scores()[i] > r.threshold() ? r.scores()[i] : Math.min(r.scores()[i], Math.nextDown(th));
        p.apply(st, sc, t, r.warming()[i]);
        if (i >= off) alarm[i - off] = (byte) (st.open ? 1 : 0);
      }
      out.add(new SkabScorer.FileAlarms(r.file(), r.test().timestamps(), r.test().anomaly(), r.test().changepoint(), alarm));
    }
    return out;
  }

  /**
   * Writes one CSV per file into {@code dir} (name = the file's relative path with '/' as '-'):
   * row index, test flag, warming flag, score, threshold, alert open (the alarm), anomaly label.
   * For looking at where the false alarms of a configuration fall.
   */
  public static void writeRows(java.nio.file.Path dir, List<FileRun> runs, List<SkabScorer.FileAlarms> alarms)
      throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    for (int k = 0; k < runs.size(); k++) {
      FileRun r = runs.get(k);
      byte[] alarm = alarms.get(k).alarm();
      byte[] anomaly = r.test().anomaly();
      int off = r.scores().length - alarm.length;
      StringBuilder sb = new StringBuilder("row,test,warming,score,threshold,alarm,anomaly\n");
      for (int i = 0; i < r.scores().length; i++) {
        boolean test = i >= off;
        sb.append(i).append(',').append(test ? 1 : 0).append(',').append(r.warming()[i] ? 1 : 0).append(',')
            .append(r.scores()[i]).append(',').append(r.threshold()).append(',')
            .append(test ? alarm[i - off] : 0).append(',').append(test ? anomaly[i - off] : 0).append('\n');
      }
      java.nio.file.Files.writeString(dir.resolve(r.file().replace('/', '-')), sb);
    }
  }

  /** The all-ones baseline on the same test parts. */
  public static List<SkabScorer.FileAlarms> allOnes(List<FileRun> runs) {
    List<SkabScorer.FileAlarms> out = new ArrayList<>();
    for (FileRun r : runs) {
      byte[] ones = new byte[r.test().alarm().length];
      java.util.Arrays.fill(ones, (byte) 1);
      out.add(new SkabScorer.FileAlarms(r.file(), r.test().timestamps(), r.test().anomaly(), r.test().changepoint(), ones));
    }
    return out;
  }

  /** The {@code anomaly} labels used as the alarms (SOURCE.md's "oracle segmentation" reference). */
  public static List<SkabScorer.FileAlarms> oracle(List<FileRun> runs) {
    List<SkabScorer.FileAlarms> out = new ArrayList<>();
    for (FileRun r : runs) {
      out.add(new SkabScorer.FileAlarms(r.file(), r.test().timestamps(), r.test().anomaly(), r.test().changepoint(),
          r.test().anomaly().clone()));
    }
    return out;
  }

  /** The same runs with a different alarm hold (recomputed from the un-held alarms). */
  public static List<SkabScorer.FileAlarms> withHold(List<FileRun> runs, int h) {
    List<SkabScorer.FileAlarms> out = new ArrayList<>();
    for (FileRun r : runs) {
      int off = r.scores().length - r.test().alarm().length;
      byte[] raw = new byte[r.test().alarm().length];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (byte) (!r.warming()[off + i] && r.scores()[off + i] > r.threshold() ? 1 : 0);
      }
      out.add(new SkabScorer.FileAlarms(r.file(), r.test().timestamps(), r.test().anomaly(), r.test().changepoint(), hold(raw, h)));
    }
    return out;
  }
}
