package io.jamwatch.model;

/**
 * The recurrent cells jamwatch trains and exports, with the ONNX gate order their weights use.
 *
 * <ul>
 *   <li>RNN: Elman cell, {@code H_t = tanh(W x_t + R H_{t-1} + Wb + Rb)}; one gate block.
 *   <li>GRU (Cho et al. 2014), ONNX order z, r, h; three gate blocks.
 *   <li>LSTM (Hochreiter &amp; Schmidhuber 1997, no peepholes), ONNX order i, o, f, c; four blocks.
 * </ul>
 */
public enum CellType {
  RNN(1),
  GRU(3),
  LSTM(4);

  /** Number of gate blocks of H rows in W and R. */
  public final int gates;

  CellType(int gates) {
    this.gates = gates;
  }

  public boolean hasCellState() {
    return this == LSTM;
  }

  /** The ONNX operator name: "RNN", "GRU" or "LSTM". */
  public String onnxOp() {
    return name();
  }
}
