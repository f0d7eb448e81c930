package io.jamwatch.nn;

/**
 * Transposed copies of W and R ({@code WT[l]} [In_l, G*H], {@code RT[l]} [H, G*H]) so the forward
 * pass can accumulate {@code a += x_i * W[:, i]} as an axpy over a contiguous row of length G*H.
 * A cache of {@link NetworkWeights}, refreshed after every optimiser step; never the master copy.
 */
final class TransposedWeights {
  final float[][] WT;
  final float[][] RT;

  TransposedWeights(NetworkWeights w) {
    WT = new float[w.layers][];
    RT = new float[w.layers][];
    for (int l = 0; l < w.layers; l++) {
      WT[l] = new float[w.W[l].length];
      RT[l] = new float[w.R[l].length];
    }
    refresh(w);
  }

  void refresh(NetworkWeights w) {
    int GH = w.cell.gates * w.hiddenSize;
    for (int l = 0; l < w.layers; l++) {
      transpose(w.W[l], GH, w.layerInput(l), WT[l]);
      transpose(w.R[l], GH, w.hiddenSize, RT[l]);
    }
  }

  /** dst [cols, rows] = src [rows, cols] transposed. */
  static void transpose(float[] src, int rows, int cols, float[] dst) {
    for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
  }
}
