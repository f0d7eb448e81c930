package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureEncoder;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.Head;
import io.jamwatch.train.ProgressListener;
import io.jamwatch.train.TrainConfig;
import io.jamwatch.train.TrainResult;
import io.jamwatch.train.Trainer;
import io.jamwatch.train.TrainingData;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.DetectorConfig;
import io.jamwatch.scoring.ScoringModel;
import java.util.ArrayList;
import java.util.List;

/**
 * jamwatch's own detector on a benchmark series, through exactly the production path: the feature
 * spec fitted on the training rows ({@link FeatureSpec#fit}), a small forecast-head network trained
 * by {@link Trainer}, exported to ONNX by {@link OnnxExporter}, and every row scored by {@link
 * ScoringModel#score} (ONNX Runtime unless {@link #withRuntime} says otherwise, one step per row, the
 * forecast-surprise anomaly likelihood).
 */
public final class ForecastModelDetector implements PretrainableDetector {

  private final TrainConfig config;
  private final int warmupEvents;
  private final int longWindow;
  private final DetectorConfig detector; // null: the model file's default
  private final int deviceWindow; // per-device standardisation window of the feature spec, 0 = off
  private final ModelRuntime runtime;

  /** The same detector with this post-step detector configuration written into its model. */
  public ForecastModelDetector withDetector(DetectorConfig d) {
    return new ForecastModelDetector(config, warmupEvents, longWindow, d, deviceWindow, runtime);
  }

  /** The same detector whose feature spec standardises per device over {@code window} events (0 = off). */
  public ForecastModelDetector withDeviceWindow(int window) {
    return new ForecastModelDetector(config, warmupEvents, longWindow, detector, window, runtime);
  }

  /** The same detector with its model stepped by {@code r} ({@code bench --runtime}). */
  public ForecastModelDetector withRuntime(ModelRuntime r) {
    return new ForecastModelDetector(config, warmupEvents, longWindow, detector, deviceWindow, r);
  }

  /**
   * @param longWindow 0: the surprise likelihood compares with the distribution fitted on the
   *     training rows (the trainer's default); &gt; 0: with an exponentially weighted per-series
   *     estimate of this effective length seeded with that fit, i.e. the long window of Ahmad et al.
   *     2017 adapts online (ForecastSurprise.Stats.longWindow)
   */
  public ForecastModelDetector(TrainConfig config, int warmupEvents, int longWindow) {
    this(config, warmupEvents, longWindow, null, 0, ModelRuntime.ORT);
  }

  private ForecastModelDetector(TrainConfig config, int warmupEvents, int longWindow, DetectorConfig detector,
      int deviceWindow, ModelRuntime runtime) {
    this.detector = detector;
    if (deviceWindow < 0) throw new IllegalArgumentException("device window must be >= 0, got " + deviceWindow);
    this.deviceWindow = deviceWindow;
    this.runtime = java.util.Objects.requireNonNull(runtime, "runtime");
    if (longWindow < 0) {
      throw new IllegalArgumentException("long window must be >= 0, got " + longWindow);
    }
    this.longWindow = longWindow;
    if (config.head() != Head.FORECAST) {
      throw new IllegalArgumentException("benchmark detector needs the forecast head, got " + config.head());
    }
    this.config = config;
    this.warmupEvents = warmupEvents;
  }

  /**
   * The benchmark's small per-series model of the given cell: a residual forecast (persistence plus
   * a learnt change), trained from warm states, with at least {@link #MIN_STEPS_PER_EPOCH} Adam steps
   * between validation checks, since a benchmark's training prefix (NAB's probation, at most 750
   * rows; SKAB's 300) is only a handful of chunks.
   */
  public static ForecastModelDetector small(CellType cell, long seed, int longWindow) {
    TrainConfig c =
        TrainConfig.builder()
            .cell(cell)
            .head(Head.FORECAST)
            .hidden(16)
            .layers(1)
            .epochs(25)
            .patience(5)
            .batchSize(8)
            .window(25)
            .chunkWindows(2)
            .learningRate(5e-3f)
            .dropout(0f)
            .seed(seed)
            .threads(1)
            .minStepsPerEpoch(MIN_STEPS_PER_EPOCH)
            .warmStart(true)
            .residualForecast(true)
            .build();
    return new ForecastModelDetector(c, 10, longWindow);
  }

  /**
   * Encoder clip of a residual forecast model: wide, so a level that leaves the training range is
   * still seen (and forecast) as it is; the network clips its own input at {@link FeatureSpec#DEFAULT_CLIP}.
   */
  public static final float WIDE_CLIP = 1000f;

  /** Adam steps per epoch at least (see {@link TrainConfig#minStepsPerEpoch()}). */
  public static final int MIN_STEPS_PER_EPOCH = 8;

  @Override
  public String name() {
    return config.cell().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String describe() {
    return String.format("%s %sforecast head, H=%d x%d, <=%d epochs of >=%d Adam steps (early stop, patience %d), window %d, %s start, lr %.0e, seed %d, warm-up %d events",
        config.cell(), config.residualForecast() ? "residual " : "", config.hidden(), config.layers(), config.epochs(),
        config.minStepsPerEpoch(), config.patience(), config.window(), config.warmStart() ? "warm" : "zero",
        config.learningRate(), config.seed(), warmupEvents)
        + (deviceWindow == 0 ? "" : ", per-device standardisation over " + deviceWindow + " events")
        + (detector == null ? "" : "; detector: " + detector.describe());
  }

  @Override
  public Scorer fit(List<ScannerEvent> training) throws Exception {
    return fit(training, List.of());
  }

  @Override
  public Scorer fit(List<ScannerEvent> own, List<List<ScannerEvent>> pretrain) throws Exception {
    Fitted f = fitModel(own, pretrain);
    return BenchScorer.of(f.model(), own);
  }

  /** A fitted model and the training run behind it (for tools that look inside, e.g. {@link ForecastError}). */
  public record Fitted(ScoringModel model, TrainResult training) {}

  /** The fit behind {@link #fit}: spec, training, export and load; the caller closes the model. */
  public Fitted fitModel(List<ScannerEvent> own, List<List<ScannerEvent>> pretrain) throws Exception {
    List<List<ScannerEvent>> all = new ArrayList<>(pretrain);
    all.add(own);
    FeatureSpec spec = FeatureSpec.fit(all.stream().flatMap(List::stream).iterator(), config.residualForecast() ? WIDE_CLIP : FeatureSpec.DEFAULT_CLIP)
        .withDeviceWindow(deviceWindow);
    List<TrainingData.Sequence> seqs = new ArrayList<>();
    int k = 0;
    for (List<ScannerEvent> s : all) {
      seqs.add(encode(spec, s, k++ + ":" + (s.isEmpty() ? "" : s.get(0).getDeviceId())));
    }
    TrainResult r = Trainer.train(config, new TrainingData(spec, spec.size(), seqs), ProgressListener.NONE);
    ForecastSurprise.Stats stats = r.surpriseStats();
    if (longWindow > 0) {
      stats = new ForecastSurprise.Stats(stats.logMean(), stats.logStd(), stats.shortWindow(), longWindow);
    }
    ModelMetadata meta =
        ModelMetadata.describe(r.weights(), spec, stats)
            .withScoreHead(ModelMetadata.Head.FORECAST)
            .withWarmupEvents(warmupEvents);
    byte[] bytes = OnnxExporter.build(r.weights(), meta).toByteArray();
    if (detector != null) {
      bytes = ScoringModel.withDetector(bytes, detector);
    }
    return new Fitted(ScoringModel.load(bytes, "benchmark model of " + own.get(0).getDeviceId(), runtime), r);
  }

  /** One device's events encoded by the one FeatureEncoder. */
  static TrainingData.Sequence encode(FeatureSpec spec, List<ScannerEvent> events, String id) {
    FeatureEncoder enc = new FeatureEncoder(spec);
    int f = spec.size();
    float[] x = new float[events.size() * f];
    float[] row = new float[f];
    long[] t = new long[events.size()];
    long prev = FeatureEncoder.NO_PREVIOUS;
    double[] dev = new double[enc.deviceStateSize()];
    enc.initDeviceState(dev, 0);
    for (int i = 0; i < events.size(); i++) {
      ScannerEvent e = events.get(i);
      enc.encode(e, prev, dev, 0, row);
      System.arraycopy(row, 0, x, i * f, f);
      t[i] = e.getEventTime().toEpochMilli();
      prev = t[i];
    }
    return new TrainingData.Sequence(id, x, t, null);
  }
}
