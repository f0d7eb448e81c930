package io.jamwatch.train;

import io.jamwatch.model.NetworkWeights;
import io.jamwatch.model.TransposedWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fast float32 forward/backward of a whole {@link WindowBatch}: the B sequences are split into
 * {@code threads} contiguous slices, one {@link BackpropWorker} each, and the per-slice gradients
 * are summed into the gradient container in slice order. The result depends on the thread count
 * (float addition is not associative) but never on scheduling: same inputs, same threads, same
 * bits.
 *
 * <p>Call order: {@link #load} after every change of the weights (refreshes the transposed
 * cache), then {@link #forward} or {@link #lossAndGradient}; {@link #close} ends the threads.
 */
public final class ParallelBackprop implements AutoCloseable {
  private final NetworkWeights w;
  private final TransposedWeights tw;
  private final BackpropWorker[] workers;
  private final ExecutorService pool;
  private final int maxB;

  /**
   * @param w the weights trained in place (the one parameter container)
   * @param maxT longest window
   * @param maxB largest batch
   * @param threads worker threads (1 = run on the caller's thread)
   */
  public ParallelBackprop(NetworkWeights w, int maxT, int maxB, int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    this.w = w;
    this.maxB = maxB;
    this.tw = new TransposedWeights(w);
    int n = Math.min(threads, maxB);
    workers = new BackpropWorker[n];
    for (int i = 0; i < n; i++) workers[i] = new BackpropWorker(w, maxT, (maxB + n - 1) / n);
    pool =
        n == 1
            ? null
            : Executors.newFixedThreadPool(
                n - 1,
                r -> {
                  Thread th = new Thread(r, "jamwatch-backprop");
                  th.setDaemon(true);
                  return th;
                });
  }

  public NetworkWeights weights() {
    return w;
  }

  /** Re-reads the weights (after an optimiser step or any other change). */
  public void load() {
    tw.refresh(w);
  }

  /** Forward only (no dropout): fills score, pred, h1, c1; returns the window loss. */
  public double forward(WindowBatch batch, float posWeight) {
    return dispatch(batch, false, 0f, null, posWeight, null);
  }

  /**
   * Forward and backward: {@code grad} (same shape as the weights) is overwritten with dL/dθ of the
   * window loss. Dropout masks are drawn from generators split off {@code rng} in slice order.
   */
  public double lossAndGradient(
      WindowBatch batch, float dropout, SplittableRandom rng, float posWeight, NetworkWeights grad) {
    return dispatch(batch, true, dropout, rng, posWeight, grad);
  }

  /** The dropout masks the last call drew for slice {@code slice} (for tests against the plain path). */
  float[][] dropMasks(int slice) {
    return workers[slice].drop;
  }

  /**
   * After {@link #forward}: the mean over H of gate block {@code block} (GRU 0 = update gate z;
   * LSTM 2 = forget gate f) of the top layer at step t of sequence b.
   */
  public float topGateMean(WindowBatch batch, int block, int t, int b) {
    int n = slices(batch.B);
    for (int s = 0; s < n; s++) {
      int b0 = sliceStart(s, batch.B), b1 = sliceStart(s + 1, batch.B);
      if (b >= b0 && b < b1) return workers[s].gateMean(w.layers - 1, block, t, b - b0, b1 - b0);
    }
    throw new IllegalArgumentException("sequence " + b + " not in the batch of " + batch.B);
  }

  int slices(int B) {
    return Math.min(workers.length, B);
  }

  int sliceStart(int s, int B) {
    int n = slices(B);
    return (int) ((long) s * B / n);
  }

  private double dispatch(
      WindowBatch batch, boolean backward, float dropout, SplittableRandom rng, float posWeight,
      NetworkWeights grad) {
    int B = batch.B;
    if (B > maxB) throw new IllegalArgumentException("batch " + B + " > " + maxB);
    int n = slices(B);
    double nRisk = w.hasRisk ? batch.riskCount() : 0;
    double nPred = w.hasForecast ? batch.predCount() : 0;
    double[] nHorizon = batch.horizonCounts();
    SplittableRandom[] rngs = new SplittableRandom[n];
    for (int s = 0; s < n; s++) rngs[s] = rng == null ? null : rng.split();
    double[] losses = new double[n];
    List<Future<?>> futures = new ArrayList<>();
    for (int s = 1; s < n; s++) {
      int si = s;
      futures.add(
          pool.submit(
              () -> {
                losses[si] = runSlice(si, batch, backward, dropout, rngs[si], posWeight, nRisk, nHorizon, nPred);
              }));
    }
    losses[0] = runSlice(0, batch, backward, dropout, rngs[0], posWeight, nRisk, nHorizon, nPred);
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while training", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a backprop worker failed", e.getCause());
      }
    }
    double loss = 0;
    for (int s = 0; s < n; s++) loss += losses[s];
    if (backward) reduce(n, grad);
    return loss;
  }

  private double runSlice(
      int s, WindowBatch batch, boolean backward, float dropout, SplittableRandom rng, float posWeight,
      double nRisk, double[] nHorizon, double nPred) {
    BackpropWorker wk = workers[s];
    if (backward) wk.zeroGradients();
    return wk.run(
        w, tw, batch, sliceStart(s, batch.B), sliceStart(s + 1, batch.B), backward, dropout, rng,
        posWeight, nRisk, nHorizon, nPred);
  }

  /** grad = sum over slices in slice order; W and R transposed back into ONNX layout. */
  private void reduce(int n, NetworkWeights grad) {
    ParameterTensors.zero(grad);
    int GH = w.cell.gates * w.hiddenSize, H = w.hiddenSize;
    for (int s = 0; s < n; s++) {
      BackpropWorker wk = workers[s];
      for (int l = 0; l < w.layers; l++) {
        int In = w.layerInput(l);
        addTransposed(wk.dWT[l], grad.W[l]);
        addTransposed(wk.dRT[l], grad.R[l]);
        add(wk.dWb[l], grad.Wb[l]);
        add(wk.dRb[l], grad.Rb[l]);
      }
      add(wk.dRiskW, grad.riskW);
      add(wk.dRiskB, grad.riskB);
      add(wk.dPredW, grad.predW);
      add(wk.dPredB, grad.predB);
      add(wk.dHorizonW, grad.horizonW);
      add(wk.dHorizonB, grad.horizonB);
    }
  }

  private static void add(float[] src, float[] dst) {
    for (int i = 0; i < src.length; i++) dst[i] += src[i];
  }

  /** dst [cols, rows] (flat) += src [rows][cols]^T. */
  private static void addTransposed(float[][] src, float[] dst) {
    int rows = src.length;
    for (int r = 0; r < rows; r++) {
      float[] row = src[r];
      for (int c = 0; c < row.length; c++) dst[c * rows + r] += row[c];
    }
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
  }
}
