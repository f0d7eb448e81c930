package io.jamwatch.train;

import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.Head;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.train.DataSplit.Chunk;
import io.jamwatch.train.DataSplit.Scored;
import io.jamwatch.train.TrainingData.Sequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a stacked recurrent network with a risk or forecast head: minibatches of device-history
 * chunks, truncated BPTT over windows with the state carried from window to window (gradient
 * stopped at window edges; Williams &amp; Peng 1990, Sutskever 2013 ch. 2), Adam (Kingma &amp; Ba
 * 2015), clipping by global norm (Pascanu et al. 2013), early stopping on a validation split by
 * device and time ({@link DataSplit}; the caller fits the feature spec on {@link
 * DataSplit#plan}'s training part). Then, on the same validation split: Platt calibration of the
 * risk head folded into its weights, and the alert thresholds; for a forecast head the surprise
 * statistics, out of sample (the validation steps, run warm from the start of each history).
 *
 * <p>Forecast head with a feature spec ({@link TrainConfig#residualForecast()}): the value
 * features are forecast as their change (pred = x + delta(h), head started near zero), the loss
 * counts only value features present in the target ({@link LossFeatures}), and the near-persistence
 * start is the model each epoch must beat on validation (best epoch 0 keeps it). With {@link
 * TrainConfig#warmStart()} every chunk starts from the state its device's earlier history gives;
 * {@link TrainConfig#minStepsPerEpoch()} sets a floor on the Adam steps between validation checks.
 *
 * <p>Determinism: one {@link SplittableRandom} from the seed, split in a fixed order into
 * initialisation, split, shuffling and dropout streams; the thread count fixes the reduction order.
 * Same data + config (incl. seed and threads) = the same weights, bit for bit, unless a wall-clock
 * budget ({@link TrainConfig#maxSeconds()}) cuts the run.
 */
public final class Trainer {
  /** A residual forecast head starts at this share of its random initialisation: next to persistence. */
  static final float RESIDUAL_HEAD_SCALE = 0.01f;

  private Trainer() {}

  public static TrainResult train(TrainConfig cfg, TrainingData data, ProgressListener listener) {
    long t0 = System.nanoTime();
    boolean risk = cfg.head() == Head.RISK, forecast = !risk;
    int F = data.inputSize();
    SplittableRandom root = new SplittableRandom(cfg.seed());
    SplittableRandom initRng = root.split(), shuffleRng = root.split(), dropRng = root.split();
    DataSplit.Plan plan = DataSplit.plan(data, cfg.validationFraction(), cfg.seed());
    DataSplit split = new DataSplit(data, plan, cfg.window() * cfg.chunkWindows());

    float posWeight = 1f;
    if (risk) {
      long pos = 0, neg = 0;
      for (Scored s : split.training) {
        byte[] y = s.seq().labels();
        if (y == null) continue;
        for (int i = s.from(); i < s.end(); i++) if (y[i] == TrainingData.POSITIVE) pos++; else if (y[i] == TrainingData.NEGATIVE) neg++;
      }
      if (pos == 0)
        throw new IllegalArgumentException(
            "no jam within the horizon in the training part of the data (" + split.trainingEvents
                + " events): a risk head needs recorded JAM events; record a longer log with jams, or train --head forecast");
      posWeight = cfg.positiveWeight() > 0 ? cfg.positiveWeight() : Math.min(TrainConfig.MAX_AUTO_POSITIVE_WEIGHT, (float) neg / pos);
    }

    NetworkWeights w =
        NetworkWeights.random(cfg.cell(), F, cfg.hidden(), cfg.layers(), cfg.linearBeforeReset(), risk, forecast,
            cfg.extraHorizonsMillis().size(), initRng);
    for (Sequence s : data.sequences())
      if (w.horizons > 0 && s.labels() != null && (s.horizonLabels() == null || s.horizonLabels().length != w.horizons))
        throw new IllegalArgumentException("device " + s.deviceId() + ": the data carries no labels for the " + w.horizons + " extra horizons");
    // Residual forecast: the value features are forecast as their change, from a head near zero
    // (so training starts at persistence), and the loss counts only value features present in the target.
    LossFeatures lossFeatures = null;
    if (forecast && cfg.residualForecast() && data.spec() != null) {
      w.makeResidual(data.spec().valueIndices(), RESIDUAL_HEAD_SCALE);
      // A wide encoder clip lets the forecast follow a level far outside training; the cells still
      // see the input clipped at the usual range.
      if (data.spec().clip() > FeatureSpec.DEFAULT_CLIP) w.setInputClip(FeatureSpec.DEFAULT_CLIP);
      lossFeatures = new LossFeatures(data.spec().valueIndices(), data.spec().indicatorIndices());
    }
    // The surprise function needs only the feature layout; its statistics are fitted at the end.
    ForecastSurprise surpriseFn = forecast ? surprise(data.spec(), F, new ForecastSurprise.Stats(0f, 1f, ForecastSurprise.Stats.DEFAULT_SHORT_WINDOW, 0)) : null;
    Adam adam = new Adam(cfg.learningRate());
    adam.init(w);
    int T = cfg.window(), B = cfg.batchSize(), S = w.stateSize();
    List<EpochRecord> curve = new ArrayList<>();
    NetworkWeights best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    int bestEpoch = 0;
    boolean stoppedEarly = false;
    try (ParallelBackprop net = new ParallelBackprop(w, T, B, cfg.threads())) {
      WindowBatch batch = WindowBatch.forNetwork(w, T, B);
      NetworkWeights grad = ParameterTensors.zerosLike(w);
      SequenceScorer scorer = new SequenceScorer(net, batch, lossFeatures);
      List<Chunk> chunks = new ArrayList<>(split.chunks);
      int batches = (chunks.size() + B - 1) / B;
      long adamSteps = 0;
      if (lossFeatures != null) {
        // A residual forecast starts next to persistence: that is the model to beat on validation
        // (best epoch 0 = no epoch did, the near-persistence start is kept).
        double[] v0 = new double[2];
        scorer.run(split.validation, posWeight, null, v0);
        if (v0[1] > 0) {
          bestScore = -v0[0] / v0[1];
          best = w.copy();
        }
      }
      epochs:
      for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
        // Warm start: the state each chunk starts from, from the weights as they are now.
        Map<Chunk, float[][]> warm = cfg.warmStart() ? warmStates(net, batch, split, chunks.size()) : Map.of();
        double lossSum = 0;
        int windows = 0;
        do {
          int passWindows = 0;
          shuffle(chunks, shuffleRng);
          for (int bi = 0; bi < batches; bi++) {
            int Bc = Math.min(B, chunks.size() - bi * B);
            int maxLen = 0;
            for (int b = 0; b < Bc; b++) maxLen = Math.max(maxLen, chunks.get(bi * B + b).length());
            Arrays.fill(batch.h0, 0, S * Bc, 0f);
            Arrays.fill(batch.c0, 0, S * Bc, 0f);
            for (int b = 0; b < Bc; b++) {
              float[][] st = warm.get(chunks.get(bi * B + b));
              if (st != null) putState(st, b, Bc, w, batch);
            }
            for (int s0 = 0; s0 < maxLen; s0 += T) {
              int Tc = Math.min(T, maxLen - s0);
              batch.resize(Tc, Bc);
              for (int t = 0; t < Tc; t++)
                for (int b = 0; b < Bc; b++) {
                  Chunk c = chunks.get(bi * B + b);
                  WindowFiller.fill(batch, t * Bc + b, c.seq(), c.start() + s0 + t, c.end(), c.targetEnd(), 0, risk, forecast, lossFeatures);
                }
              boolean anyTarget = (risk ? batch.riskCount() : batch.predCount()) > 0;
              if (anyTarget) {
                lossSum += net.lossAndGradient(batch, cfg.dropout(), dropRng, posWeight, grad);
                windows++;
                passWindows++;
                adamSteps++;
                GradientClipping.clipGlobalNorm(grad, cfg.clipNorm());
                adam.step(w, grad);
                net.load();
              } else {
                net.forward(batch, posWeight); // only to carry the state through an unscored stretch
              }
              System.arraycopy(batch.h1, 0, batch.h0, 0, S * Bc);
              System.arraycopy(batch.c1, 0, batch.c0, 0, S * Bc);
            }
            listener.onBatch(epoch, cfg.epochs(), bi + 1, batches, windows == 0 ? Double.NaN : lossSum / windows);
          }
          if (passWindows == 0) break; // nothing to learn from: more passes would not help
        } while (windows < cfg.minStepsPerEpoch());
        if (!ParameterTensors.allFinite(w))
          throw new IllegalStateException(
              "training diverged (non-finite weights) in epoch " + epoch + "; lower the learning rate or the clip norm");
        double[] vl = new double[2];
        SequenceScorer.Output[] out = scorer.run(split.validation, posWeight, null, vl);
        double valLoss = vl[1] > 0 ? vl[0] / vl[1] : Double.NaN;
        double metric = risk ? prAuc(split.validation, out, null) : valLoss;
        // Selection score: PR-AUC when defined, else the validation loss.
        double score = risk && !Double.isNaN(metric) ? metric : -valLoss;
        EpochRecord rec = new EpochRecord(epoch, windows == 0 ? Double.NaN : lossSum / windows, valLoss, metric, (System.nanoTime() - t0) / 1e9);
        curve.add(rec);
        listener.onEpoch(rec, cfg.epochs());
        if (score > bestScore) {
          bestScore = score;
          bestEpoch = epoch;
          best = w.copy();
        } else if (epoch - bestEpoch >= cfg.patience()) {
          stoppedEarly = epoch < cfg.epochs();
          break epochs;
        }
        if (cfg.maxSeconds() > 0 && (System.nanoTime() - t0) / 1e9 > cfg.maxSeconds()) {
          stoppedEarly = epoch < cfg.epochs();
          break;
        }
      }
      copyInto(best, w);
      net.load();

      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("training_events", (double) split.trainingEvents);
      metrics.put("validation_events", (double) split.validationEvents);
      metrics.put("validation_devices_held_out", (double) split.validationDevices.size());
      metrics.put("parameters", (double) w.parameterCount());
      metrics.put("best_epoch", (double) bestEpoch);
      metrics.put("epochs_run", (double) curve.size());
      metrics.put("adam_steps", (double) adamSteps);
      AlertThresholds.Choice thresholds;
      ForecastSurprise.Stats stats = null;
      double[] vl = new double[2];
      if (risk) {
        SequenceScorer.Output[] out = scorer.run(split.validation, posWeight, null, vl);
        metrics.put("positive_weight", (double) posWeight);
        metrics.put("validation_loss", vl[0] / vl[1]);
        metrics.put("pr_auc_uncalibrated", prAuc(split.validation, out, null));
        PlattScaling.Fit platt = calibrate(split.validation, out);
        platt.foldInto(w);
        net.load();
        out = scorer.run(split.validation, posWeight, null, null);
        metrics.put("platt_a", platt.a());
        metrics.put("platt_b", platt.b());
        metrics.put("pr_auc", prAuc(split.validation, out, null));
        metrics.put("roc_auc", rocAuc(split.validation, out));
        metrics.put("brier", brier(split.validation, out));
        metrics.put("validation_positive_rate", positiveRate(split.validation));
        for (int k = 0; k < w.horizons; k++)
          metrics.put("pr_auc_horizon_" + cfg.extraHorizonsMillis().get(k) / 1000 + "s", horizonPrAuc(split.validation, out, k));
        thresholds = AlertThresholds.choose(tracks(split.validation, out, null), cfg.falseAlarmsPerDeviceHour(), cfg.clearFraction(), cfg.horizonMillis());
      } else {
        // Surprise statistics out of sample: on the validation steps (run warm from the start of
        // each history, as the stream would), which the weights were not fitted on; only with
        // fewer than two of them, on the training part.
        SequenceScorer.Output[] out = scorer.run(split.validation, 1f, surpriseFn, vl);
        stats = fitSurprise(split.validation, out);
        if (stats == null) stats = fitSurprise(split.training, scorer.run(split.training, 1f, surpriseFn, null));
        if (stats == null) throw new IllegalArgumentException("need at least 2 forecast surprises to fit their statistics; record a longer log");
        metrics.put("surprise_fitted_out_of_sample", 1.0);
        ForecastSurprise fitted = surprise(data.spec(), F, stats);
        metrics.put("mse", vl[0] / vl[1]);
        float[][] likelihood = likelihoods(split.validation, out, fitted);
        boolean labelled = split.validation.stream().anyMatch(s -> s.seq().labels() != null);
        if (labelled) metrics.put("surprise_pr_auc", prAuc(split.validation, null, likelihood));
        thresholds = AlertThresholds.choose(tracks(split.validation, null, likelihood), cfg.falseAlarmsPerDeviceHour(), cfg.clearFraction(), cfg.horizonMillis());
      }
      metrics.put("false_alarms_per_device_hour", thresholds.falseAlarmsPerDeviceHour());
      metrics.put("validation_device_hours", thresholds.deviceHours());
      metrics.put("jams", (double) thresholds.jams());
      metrics.put("jams_caught", (double) thresholds.jamsCaught());
      metrics.put("median_lead_seconds", thresholds.medianLeadSeconds());
      metrics.put("alert_share", thresholds.alertShare());
      return new TrainResult(cfg, w, data.spec(), metrics, thresholds, stats, List.copyOf(curve), bestEpoch, stoppedEarly,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  static ForecastSurprise surprise(FeatureSpec spec, int F, ForecastSurprise.Stats stats) {
    if (spec != null) return ForecastSurprise.of(spec, stats);
    int[] idx = new int[F], ind = new int[F];
    for (int i = 0; i < F; i++) {
      idx[i] = i;
      ind[i] = -1;
    }
    return new ForecastSurprise(idx, ind, stats);
  }

  /** Mean and std of the log surprises on the scored steps [from, end) of each run; null with fewer than 2. */
  private static ForecastSurprise.Stats fitSurprise(List<Scored> seqs, SequenceScorer.Output[] out) {
    int n = 0;
    for (Scored s : seqs) n += s.end() - s.from();
    float[] all = new float[n];
    int k = 0, finite = 0;
    for (int q = 0; q < seqs.size(); q++) {
      Scored s = seqs.get(q);
      float[] sur = out[q].surprise();
      for (int i = s.from(); i < s.end(); i++) {
        all[k++] = sur[i]; // NaN (a history's first event) is skipped by fit
        if (Float.isFinite(sur[i])) finite++;
      }
    }
    if (finite < 2) return null;
    return ForecastSurprise.Stats.fit(all, k, ForecastSurprise.Stats.DEFAULT_SHORT_WINDOW, 0);
  }

  /**
   * The state at the start of every chunk that does not start a history: each training history is
   * run from a zero state (no dropout, no gradient) and the state is taken at the chunk starts,
   * which lie on window edges. Returns chunk -&gt; {h [L*H], c [L*H]}.
   */
  static Map<Chunk, float[][]> warmStates(ParallelBackprop net, WindowBatch batch, DataSplit split, int nChunks) {
    NetworkWeights w = net.weights();
    int H = w.hiddenSize, L = w.layers, S = batch.stateSize;
    Map<Sequence, List<Chunk>> bySeq = new java.util.IdentityHashMap<>();
    for (Chunk c : split.chunks) if (c.start() > 0) bySeq.computeIfAbsent(c.seq(), k -> new ArrayList<>()).add(c);
    Map<Chunk, float[][]> out = new java.util.IdentityHashMap<>(nChunks);
    List<Scored> runs = new ArrayList<>();
    for (Scored s : split.training) if (bySeq.containsKey(s.seq())) runs.add(s);
    for (int g0 = 0; g0 < runs.size(); g0 += batch.maxB) {
      int Bg = Math.min(batch.maxB, runs.size() - g0);
      int maxLen = 0;
      for (int b = 0; b < Bg; b++) {
        List<Chunk> cs = bySeq.get(runs.get(g0 + b).seq());
        maxLen = Math.max(maxLen, cs.get(cs.size() - 1).start());
      }
      Arrays.fill(batch.h0, 0, S * Bg, 0f);
      Arrays.fill(batch.c0, 0, S * Bg, 0f);
      for (int t0 = 0; t0 < maxLen; t0 += batch.maxT) {
        int T = Math.min(batch.maxT, maxLen - t0);
        batch.resize(T, Bg);
        for (int t = 0; t < T; t++)
          for (int b = 0; b < Bg; b++) {
            Scored s = runs.get(g0 + b);
            WindowFiller.fill(batch, t * Bg + b, s.seq(), t0 + t, s.end(), s.end(), s.end(), false, false);
          }
        net.forward(batch, 1f);
        int edge = t0 + T;
        for (int b = 0; b < Bg; b++) {
          for (Chunk c : bySeq.get(runs.get(g0 + b).seq())) {
            if (c.start() != edge) continue;
            float[][] st = {new float[L * H], new float[L * H]};
            for (int l = 0; l < L; l++) {
              System.arraycopy(batch.h1, (l * Bg + b) * H, st[0], l * H, H);
              System.arraycopy(batch.c1, (l * Bg + b) * H, st[1], l * H, H);
            }
            out.put(c, st);
          }
        }
        System.arraycopy(batch.h1, 0, batch.h0, 0, S * Bg);
        System.arraycopy(batch.c1, 0, batch.c0, 0, S * Bg);
      }
    }
    return out;
  }

  /** Writes a chunk's start state {h, c} into column b of the batch's h0 / c0 [L, Bc, H]. */
  private static void putState(float[][] st, int b, int Bc, NetworkWeights w, WindowBatch batch) {
    int H = w.hiddenSize;
    for (int l = 0; l < w.layers; l++) {
      System.arraycopy(st[0], l * H, batch.h0, (l * Bc + b) * H, H);
      System.arraycopy(st[1], l * H, batch.c0, (l * Bc + b) * H, H);
    }
  }

  /** The stream's score of a forecast head: the anomaly likelihood, run over each whole history. */
  private static float[][] likelihoods(List<Scored> seqs, SequenceScorer.Output[] out, ForecastSurprise fs) {
    float[][] r = new float[seqs.size()][];
    float[] state = new float[fs.stateSize()];
    for (int q = 0; q < seqs.size(); q++) {
      float[] sur = out[q].surprise();
      r[q] = new float[sur.length];
      fs.initState(state);
      long count = 0;
      for (int i = 0; i < sur.length; i++) {
        if (Float.isNaN(sur[i])) continue; // the first event has no forecast to compare with
        r[q][i] = fs.score(state, count++, sur[i]);
      }
    }
    return r;
  }

  private static PlattScaling.Fit calibrate(List<Scored> seqs, SequenceScorer.Output[] out) {
    int n = scoredCount(seqs);
    float[] logit = new float[n];
    boolean[] pos = new boolean[n];
    int k = 0;
    for (int q = 0; q < seqs.size(); q++) {
      Scored s = seqs.get(q);
      for (int i = s.from(); i < s.end(); i++) {
        byte y = s.seq().labels()[i];
        if (y < 0) continue;
        logit[k] = out[q].logit()[i];
        pos[k++] = y == TrainingData.POSITIVE;
      }
    }
    return PlattScaling.fit(logit, pos, k);
  }

  private static int scoredCount(List<Scored> seqs) {
    int n = 0;
    for (Scored s : seqs) if (s.seq().labels() != null) for (int i = s.from(); i < s.end(); i++) if (s.seq().labels()[i] >= 0) n++;
    return n;
  }

  /** PR-AUC over the labelled scored steps, of the risk score ({@code out}) or of {@code alt}. */
  static double prAuc(List<Scored> seqs, SequenceScorer.Output[] out, float[][] alt) {
    float[] sc = new float[scoredCount(seqs)];
    boolean[] pos = new boolean[sc.length];
    int k = collect(seqs, out, alt, sc, pos);
    return RankingMetrics.averagePrecision(sc, pos, k);
  }

  /** PR-AUC of extra horizon k's probability against its own labels, over the scored steps. */
  private static double horizonPrAuc(List<Scored> seqs, SequenceScorer.Output[] out, int k) {
    int n = 0;
    for (Scored s : seqs) n += s.end() - s.from();
    float[] sc = new float[n];
    boolean[] pos = new boolean[n];
    int c = 0;
    for (int q = 0; q < seqs.size(); q++) {
      Scored s = seqs.get(q);
      byte[][] y = s.seq().horizonLabels();
      if (y == null) continue;
      for (int i = s.from(); i < s.end(); i++) {
        if (y[k][i] < 0) continue;
        sc[c] = out[q].horizonScore()[k][i];
        pos[c++] = y[k][i] == TrainingData.POSITIVE;
      }
    }
    return RankingMetrics.averagePrecision(sc, pos, c);
  }

  private static double rocAuc(List<Scored> seqs, SequenceScorer.Output[] out) {
    float[] sc = new float[scoredCount(seqs)];
    boolean[] pos = new boolean[sc.length];
    int k = collect(seqs, out, null, sc, pos);
    return RankingMetrics.rocAuc(sc, pos, k);
  }

  private static double brier(List<Scored> seqs, SequenceScorer.Output[] out) {
    float[] sc = new float[scoredCount(seqs)];
    boolean[] pos = new boolean[sc.length];
    int k = collect(seqs, out, null, sc, pos);
    double b = 0;
    for (int i = 0; i < k; i++) b += Math.pow(sc[i] - (pos[i] ? 1 : 0), 2);
    return k == 0 ? Double.NaN : b / k;
  }

  private static double positiveRate(List<Scored> seqs) {
    long p = 0, n = 0;
    for (Scored s : seqs)
      if (s.seq().labels() != null)
        for (int i = s.from(); i < s.end(); i++) {
          byte y = s.seq().labels()[i];
          if (y >= 0) n++;
          if (y == TrainingData.POSITIVE) p++;
        }
    return n == 0 ? Double.NaN : (double) p / n;
  }

  private static int collect(List<Scored> seqs, SequenceScorer.Output[] out, float[][] alt, float[] sc, boolean[] pos) {
    int k = 0;
    for (int q = 0; q < seqs.size(); q++) {
      Scored s = seqs.get(q);
      byte[] y = s.seq().labels();
      if (y == null) continue;
      float[] v = alt != null ? alt[q] : out[q].score();
      for (int i = s.from(); i < s.end(); i++) {
        if (y[i] < 0) continue;
        sc[k] = v[i];
        pos[k++] = y[i] == TrainingData.POSITIVE;
      }
    }
    return k;
  }

  private static List<AlertThresholds.Track> tracks(List<Scored> seqs, SequenceScorer.Output[] out, float[][] alt) {
    List<AlertThresholds.Track> t = new ArrayList<>();
    for (int q = 0; q < seqs.size(); q++) {
      Scored s = seqs.get(q);
      t.add(new AlertThresholds.Track(alt != null ? alt[q] : out[q].score(), s.seq().labels(), s.seq().timeMillis(), s.from(), s.end()));
    }
    return t;
  }

  private static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }

  private static void copyInto(NetworkWeights src, NetworkWeights dst) {
    float[][] a = ParameterTensors.of(src), b = ParameterTensors.of(dst);
    for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, b[i], 0, a[i].length);
  }
}
