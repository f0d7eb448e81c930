package io.jamwatch.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.jamwatch.model.NetworkWeights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a model file's network back from its graph initializers (the inverse of {@link
 * OnnxExporter}): W_l, R_l, B_l (= [Wb, Rb]) per layer, risk_W / risk_B, horizons_W (stored [H, K]) / horizons_B, pred_W (stored [H, F],
 * transposed back to [F, H]), pred_B, pred_skip, x_clip_max. Nothing of the training side is needed.
 *
 * <p>Then the one check that makes the read trustworthy: the exporter, given the weights read and
 * the file's metadata, must write exactly the file's graph (nodes, attributes such as
 * linear_before_reset, initializers bit for bit, inputs and outputs). So every operation of the
 * file is one the Java forward implements, in the same wiring; a graph this build's exporter would
 * not write (another writer, a hand edit, a newer layout) is refused with the first difference
 * named, never half understood.
 */
public final class OnnxWeights {
  private OnnxWeights() {}

  /** The network of {@code model}, which {@code meta} describes; refused when its graph is not the exporter's. */
  public static NetworkWeights read(ModelProto model, ModelMetadata meta) {
    GraphProto g = model.getGraph();
    Map<String, TensorProto> init = new HashMap<>();
    for (TensorProto t : g.getInitializerList()) init.put(t.getName(), t);
    int F = meta.inputSize(), H = meta.hiddenSize(), L = meta.layers(), GH = meta.cell().gates * H;
    int K = meta.extraHorizonSeconds().size();
    NetworkWeights w =
        new NetworkWeights(meta.cell(), F, H, L, meta.linearBeforeReset(), meta.hasRisk(), meta.hasForecast(), K);
    for (int l = 0; l < L; l++) {
      copy(init, "W_" + l, w.W[l]);
      copy(init, "R_" + l, w.R[l]);
      float[] b = floats(init, "B_" + l, 2 * GH);
      System.arraycopy(b, 0, w.Wb[l], 0, GH);
      System.arraycopy(b, GH, w.Rb[l], 0, GH);
    }
    if (meta.hasRisk()) {
      copy(init, "risk_W", w.riskW);
      copy(init, "risk_B", w.riskB);
    }
    if (K > 0) {
      float[] ht = floats(init, "horizons_W", H * K); // [H, K]
      for (int k = 0; k < K; k++) for (int j = 0; j < H; j++) w.horizonW[k * H + j] = ht[j * K + k];
      copy(init, "horizons_B", w.horizonB);
    }
    if (meta.hasForecast()) {
      float[] wt = floats(init, "pred_W", H * F); // [H, F]
      for (int i = 0; i < F; i++) for (int j = 0; j < H; j++) w.predW[i * H + j] = wt[j * F + i];
      copy(init, "pred_B", w.predB);
      if (init.containsKey("pred_skip")) copy(init, "pred_skip", w.predSkip);
    }
    if (init.containsKey("x_clip_max")) w.setInputClip(floats(init, "x_clip_max", 1)[0]);

    GraphProto expected = OnnxExporter.build(w, meta).getGraph();
    if (!expected.equals(g))
      throw new IllegalArgumentException("its graph is not the one this build's exporter writes for its weights ("
          + firstDifference(expected, g) + "), so the Java runtime cannot run it");
    return w;
  }

  private static void copy(Map<String, TensorProto> init, String name, float[] into) {
    float[] v = floats(init, name, into.length);
    System.arraycopy(v, 0, into, 0, into.length);
  }

  /** A float initializer's values (raw little-endian data or float_data), refused unless it holds n. */
  private static float[] floats(Map<String, TensorProto> init, String name, int n) {
    TensorProto t = init.get(name);
    if (t == null) throw new IllegalArgumentException("its graph has no initializer " + name);
    if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber())
      throw new IllegalArgumentException("initializer " + name + " is not float32");
    float[] out = new float[n];
    if (!t.getRawData().isEmpty()) {
      if (t.getRawData().size() != 4 * n)
        throw new IllegalArgumentException("initializer " + name + " holds " + t.getRawData().size() / 4 + " values, expected " + n);
      ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    } else {
      if (t.getFloatDataCount() != n)
        throw new IllegalArgumentException("initializer " + name + " holds " + t.getFloatDataCount() + " values, expected " + n);
      for (int i = 0; i < n; i++) out[i] = t.getFloatData(i);
    }
    return out;
  }

  /** The first place two graphs differ, for the refusal message. */
  static String firstDifference(GraphProto want, GraphProto have) {
    String d = firstDifference("node", want.getNodeList(), have.getNodeList());
    if (d == null) d = firstDifference("initializer", want.getInitializerList(), have.getInitializerList());
    if (d == null) d = firstDifference("input", want.getInputList(), have.getInputList());
    if (d == null) d = firstDifference("output", want.getOutputList(), have.getOutputList());
    return d != null ? d : "graph name or annotations differ";
  }

  private static String firstDifference(String what, List<?> want, List<?> have) {
    for (int i = 0; i < Math.min(want.size(), have.size()); i++) {
      if (!want.get(i).equals(have.get(i))) return what + " " + i + " (" + name(have.get(i)) + ") differs";
    }
    if (want.size() != have.size()) return what + " count " + have.size() + ", expected " + want.size();
    return null;
  }

  private static String name(Object o) {
    if (o instanceof NodeProto n) return n.getOpType() + " " + n.getName();
    if (o instanceof TensorProto t) return t.getName();
    if (o instanceof ai.onnx.proto.OnnxMl.ValueInfoProto v) return v.getName();
    return String.valueOf(o);
  }
}
