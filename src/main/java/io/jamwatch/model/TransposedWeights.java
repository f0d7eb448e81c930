package io.jamwatch.model;

/**
 * Row-split copies of W and R for the fast path, refreshed after every optimiser step; never the
 * master copy ({@link NetworkWeights} is). {@code WT[l][i]} is column i of W (length G*H), {@code
 * RT[l][j]} column j of R, so the forward pass accumulates {@code a += x_i * W[:, i]} over
 * contiguous rows; {@code Wr[l][k]} and {@code Rr[l][k]} are the rows of W and R for the backward
 * pass's {@code W^T da} and {@code R^T dq}.
 *
 * <p>Why separate row arrays: C2 (JDK 17) vectorises {@code y[o+k] += c * m[o+k]} when both sides
 * use the same offset expression, but not with two different offsets into flat arrays (it cannot
 * rule out that they alias), which measured 5x slower.
 */
public final class TransposedWeights {
  public final float[][][] WT; // [L][In_l][G*H]
  public final float[][][] RT; // [L][H][G*H]
  public final float[][][] Wr; // [L][G*H][In_l]
  public final float[][][] Rr; // [L][G*H][H]

  public TransposedWeights(NetworkWeights w) {
    int L = w.layers, GH = w.cell.gates * w.hiddenSize, H = w.hiddenSize;
    WT = new float[L][][];
    RT = new float[L][][];
    Wr = new float[L][][];
    Rr = new float[L][][];
    for (int l = 0; l < L; l++) {
      int In = w.layerInput(l);
      WT[l] = new float[In][GH];
      RT[l] = new float[H][GH];
      Wr[l] = new float[GH][In];
      Rr[l] = new float[GH][H];
    }
    refresh(w);
  }

  public void refresh(NetworkWeights w) {
    int GH = w.cell.gates * w.hiddenSize, H = w.hiddenSize;
    for (int l = 0; l < w.layers; l++) {
      int In = w.layerInput(l);
      float[] W = w.W[l], R = w.R[l];
      for (int k = 0; k < GH; k++) {
        System.arraycopy(W, k * In, Wr[l][k], 0, In);
        System.arraycopy(R, k * H, Rr[l][k], 0, H);
        for (int i = 0; i < In; i++) WT[l][i][k] = W[k * In + i];
        for (int j = 0; j < H; j++) RT[l][j][k] = R[k * H + j];
      }
    }
  }
}
