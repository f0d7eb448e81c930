package io.jamwatch.train;

import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.train.DataSplit.Scored;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the network over whole device histories, as the stream would (zero state at the first
 * event, no dropout), several sequences side by side in windows of the batch's length. Collects
 * per step the risk logit and score and, for a forecast head, the surprise of each event against
 * the previous step's forecast. Also the masked loss over the scored steps.
 */
public final class SequenceScorer {

  /** Per-step outputs of one sequence ([n] each; unused arrays empty); horizonScore [K][n]. */
  public record Output(float[] logit, float[] score, float[] surprise, float[][] horizonScore) {}

  private final ParallelBackprop net;
  private final WindowBatch batch;
  private final float[] xHolder;
  private final LossFeatures loss;

  public SequenceScorer(ParallelBackprop net, WindowBatch batch) {
    this(net, batch, null);
  }

  /** @param loss the forecast loss's features (null = all), as in training */
  public SequenceScorer(ParallelBackprop net, WindowBatch batch, LossFeatures loss) {
    this.net = net;
    this.batch = batch;
    this.xHolder = new float[batch.inputSize];
    this.loss = loss;
  }

  /**
   * @param surprise computes surprises for a forecast head (null = none)
   * @param lossOut receives {sum of loss * count, count} over the scored steps
   */
  public Output[] run(List<Scored> seqs, float posWeight, ForecastSurprise surprise, double[] lossOut) {
    NetworkWeights w = net.weights();
    int F = w.inputSize, S = batch.stateSize;
    Output[] out = new Output[seqs.size()];
    for (int g0 = 0; g0 < seqs.size(); g0 += batch.maxB) {
      int B = Math.min(batch.maxB, seqs.size() - g0);
      int maxLen = 0;
      for (int b = 0; b < B; b++) {
        Scored s = seqs.get(g0 + b);
        maxLen = Math.max(maxLen, s.end());
        int n = s.end();
        out[g0 + b] =
            new Output(
                new float[w.hasRisk ? n : 0], new float[w.hasRisk ? n : 0], new float[w.hasForecast ? n : 0],
                new float[w.horizons][n]);
        if (w.hasForecast) Arrays.fill(out[g0 + b].surprise(), Float.NaN);
      }
      Arrays.fill(batch.h0, 0, S * B, 0f);
      Arrays.fill(batch.c0, 0, S * B, 0f);
      for (int t0 = 0; t0 < maxLen; t0 += batch.maxT) {
        int T = Math.min(batch.maxT, maxLen - t0);
        batch.resize(T, B);
        for (int t = 0; t < T; t++) {
          for (int b = 0; b < B; b++) {
            Scored s = seqs.get(g0 + b);
            int i = t0 + t, tb = t * B + b;
            WindowFiller.fill(batch, tb, s.seq(), i, s.end(), s.end(), s.from(), w.hasRisk, w.hasForecast, loss);
          }
        }
        double loss = net.forward(batch, posWeight);
        if (lossOut != null) {
          double cnt = (w.hasRisk ? batch.riskCount() : 0) + (w.hasForecast ? batch.predCount() : 0);
          lossOut[0] += loss * cnt;
          lossOut[1] += cnt;
        }
        for (int t = 0; t < T; t++) {
          for (int b = 0; b < B; b++) {
            Scored s = seqs.get(g0 + b);
            int i = t0 + t, tb = t * B + b;
            if (i >= s.end()) continue;
            Output o = out[g0 + b];
            if (w.hasRisk) {
              o.logit()[i] = batch.logit[tb];
              o.score()[i] = batch.score[tb];
            }
            for (int k = 0; k < w.horizons; k++) o.horizonScore()[k][i] = batch.horizonScore[tb * w.horizons + k];
            if (surprise != null && i + 1 < s.end()) {
              // pred at step i forecasts the encoded event i+1
              o.surprise()[i + 1] = surprise.surprise(batch.pred, tb * F, s.seq().x(), (i + 1) * F);
            }
          }
        }
        System.arraycopy(batch.h1, 0, batch.h0, 0, S * B);
        System.arraycopy(batch.c1, 0, batch.c0, 0, S * B);
      }
    }
    return out;
  }
}
