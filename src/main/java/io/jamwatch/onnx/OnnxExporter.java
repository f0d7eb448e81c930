package io.jamwatch.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes a {@link NetworkWeights} as a standard ONNX model (the "Model file" contract of DESIGN.md):
 *
 * <pre>
 *   inputs   x [T, B, F], h0 [L, B, H], c0 [L, B, H] (LSTM only)          T and B symbolic
 *   outputs  score [T, B] (risk head), score_horizons [T, B, K] (risk head with K extra horizons),
 *            pred [T, B, F] (forecast head),
 *            h1 [L, B, H], c1 [L, B, H] (LSTM only)
 * </pre>
 *
 * One ONNX GRU / LSTM / RNN node per layer (operator pages GRU-14, LSTM-14, RNN-14): layer l gets
 * its initial state sliced from h0 (and c0) on axis 0, its output Y [T, 1, B, H] is squeezed on the
 * direction axis and feeds layer l+1, and the layers' Y_h (Y_c) are concatenated into h1 (c1).
 * Heads: score = Sigmoid(MatMul(Y_top, riskW) + riskB), pred = MatMul(Y_top, predW^T) + predB, plus
 * Mul(x, predSkip) when the forecast is residual (NetworkWeights#predSkip; absent otherwise, so the
 * graph of a plain head is unchanged). With an input clip (NetworkWeights#inputClip) the first layer
 * reads Clip(x, -c, c) instead of x.
 * Weights are copied as they are, since NetworkWeights already uses ONNX gate order, and GRU's
 * linear_before_reset attribute is written from the weights' flag, always (never left to default).
 *
 * <p>Opset 14, IR version 7. Deterministic: the same weights and metadata give the same bytes
 * (no map fields in the ONNX protobuf; metadata props sorted), hence the same model id, the
 * SHA-256 of the file.
 */
public final class OnnxExporter {
  public static final int OPSET = 14;
  public static final long IR_VERSION = 7;

  private OnnxExporter() {}

  /** Builds the model, writes it atomically to {@code out}, returns its id (SHA-256 hex of the bytes). */
  public static String export(NetworkWeights w, ModelMetadata m, Path out) {
    byte[] bytes = build(w, m).toByteArray();
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      // A sibling temp file (default permissions, unlike createTempFile's 0600), moved atomically so a
      // model watcher never sees half a file.
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      Files.write(tmp, bytes);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model file " + out, e);
    }
    return modelId(bytes);
  }

  /** SHA-256 hex of a model file's bytes: the model id on every score and state. */
  public static String modelId(byte[] fileBytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(fileBytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  /** The ONNX model for {@code w}, described by {@code m} (which must describe w). */
  public static ModelProto build(NetworkWeights w, ModelMetadata m) {
    m.checkDescribes(w);
    int F = w.inputSize, H = w.hiddenSize, L = w.layers, G = w.cell.gates;
    boolean lstm = w.cell == CellType.LSTM;
    GraphProto.Builder g = GraphProto.newBuilder().setName("jamwatch_" + w.cell.name().toLowerCase());

    g.addInput(tensorInfo("x", "T", "B", F));
    g.addInput(tensorInfo("h0", L, "B", H));
    if (lstm) g.addInput(tensorInfo("c0", L, "B", H));

    String in = "x";
    if (w.inputClip() > 0f) {
      // the recurrent layers see x clipped (Clip-13: min and max as scalar inputs); a residual forecast adds x itself
      g.addInitializer(scalar("x_clip_min", -w.inputClip()));
      g.addInitializer(scalar("x_clip_max", w.inputClip()));
      g.addNode(node("Clip", "x_clip", new String[] {"x", "x_clip_min", "x_clip_max"}, new String[] {"x_clipped"}));
      in = "x_clipped";
    }
    String[] yh = new String[L], yc = new String[L];
    for (int l = 0; l < L; l++) {
      String hInit = "h0", cInit = "c0";
      if (L > 1) {
        // initial_h of layer l = h0[l : l+1]  ([1, B, H], the num_directions axis)
        g.addInitializer(longs("slice_start_" + l, l));
        g.addInitializer(longs("slice_end_" + l, l + 1));
        if (l == 0) g.addInitializer(longs("axis_0", 0));
        hInit = "h0_layer" + l;
        g.addNode(node("Slice", "slice_h0_" + l, new String[] {"h0", "slice_start_" + l, "slice_end_" + l, "axis_0"},
            new String[] {hInit}));
        if (lstm) {
          cInit = "c0_layer" + l;
          g.addNode(node("Slice", "slice_c0_" + l, new String[] {"c0", "slice_start_" + l, "slice_end_" + l, "axis_0"},
              new String[] {cInit}));
        }
      }
      int inSize = w.layerInput(l);
      g.addInitializer(floats("W_" + l, w.W[l], 1, G * H, inSize));
      g.addInitializer(floats("R_" + l, w.R[l], 1, G * H, H));
      float[] b = new float[2 * G * H]; // ONNX B = [Wb, Rb]
      System.arraycopy(w.Wb[l], 0, b, 0, G * H);
      System.arraycopy(w.Rb[l], 0, b, G * H, G * H);
      g.addInitializer(floats("B_" + l, b, 1, 2 * G * H));

      String y = "Y_" + l;
      yh[l] = L == 1 ? "h1" : "Y_h_" + l;
      yc[l] = L == 1 ? "c1" : "Y_c_" + l;
      NodeProto.Builder rnn =
          NodeProto.newBuilder()
              .setOpType(w.cell.onnxOp())
              .setName(w.cell.onnxOp().toLowerCase() + "_" + l)
              .addInput(in)
              .addInput("W_" + l)
              .addInput("R_" + l)
              .addInput("B_" + l)
              .addInput("") // sequence_lens: absent, every sequence runs T steps
              .addInput(hInit);
      if (lstm) rnn.addInput(cInit);
      rnn.addOutput(y).addOutput(yh[l]);
      if (lstm) rnn.addOutput(yc[l]);
      rnn.addAttribute(intAttr("hidden_size", H));
      rnn.addAttribute(stringAttr("direction", "forward"));
      if (w.cell == CellType.GRU) rnn.addAttribute(intAttr("linear_before_reset", w.linearBeforeReset ? 1 : 0));
      g.addNode(rnn);

      // Y [T, 1, B, H] -> [T, B, H]
      if (l == 0) g.addInitializer(longs("axis_1", 1));
      String squeezed = "Y_" + l + "_squeezed";
      g.addNode(node("Squeeze", "squeeze_" + l, new String[] {y, "axis_1"}, new String[] {squeezed}));
      in = squeezed;
    }
    if (L > 1) {
      g.addNode(concat0("concat_h1", yh, "h1"));
      if (lstm) g.addNode(concat0("concat_c1", yc, "c1"));
    }

    if (w.hasRisk) {
      // score = sigmoid(Y_top . riskW + riskB): MatMul with a 1-D right operand gives [T, B]
      g.addInitializer(floats("risk_W", w.riskW, H));
      g.addInitializer(floats("risk_B", w.riskB, 1));
      g.addNode(node("MatMul", "risk_matmul", new String[] {in, "risk_W"}, new String[] {"risk_logit_nb"}));
      g.addNode(node("Add", "risk_add", new String[] {"risk_logit_nb", "risk_B"}, new String[] {"risk_logit"}));
      g.addNode(node("Sigmoid", "risk_sigmoid", new String[] {"risk_logit"}, new String[] {"score"}));
      g.addOutput(tensorInfo("score", "T", "B"));
    }
    if (w.horizons > 0) {
      // score_horizons = sigmoid(Y_top horizonW^T + horizonB); horizonW is [K, H], MatMul wants [H, K]
      int K = w.horizons;
      float[] ht = new float[H * K];
      for (int k = 0; k < K; k++) for (int j = 0; j < H; j++) ht[j * K + k] = w.horizonW[k * H + j];
      g.addInitializer(floats("horizons_W", ht, H, K));
      g.addInitializer(floats("horizons_B", w.horizonB, K));
      g.addNode(node("MatMul", "horizons_matmul", new String[] {in, "horizons_W"}, new String[] {"horizons_logit_nb"}));
      g.addNode(node("Add", "horizons_add", new String[] {"horizons_logit_nb", "horizons_B"}, new String[] {"horizons_logit"}));
      g.addNode(node("Sigmoid", "horizons_sigmoid", new String[] {"horizons_logit"}, new String[] {ModelMetadata.HORIZONS_OUTPUT}));
      g.addOutput(tensorInfo(ModelMetadata.HORIZONS_OUTPUT, "T", "B", K));
    }
    if (w.hasForecast) {
      // pred = Y_top predW^T + predB; predW is [F, H], MatMul wants [H, F]
      float[] wt = new float[H * F];
      for (int i = 0; i < F; i++) for (int j = 0; j < H; j++) wt[j * F + i] = w.predW[i * H + j];
      g.addInitializer(floats("pred_W", wt, H, F));
      g.addInitializer(floats("pred_B", w.predB, F));
      g.addNode(node("MatMul", "pred_matmul", new String[] {in, "pred_W"}, new String[] {"pred_nb"}));
      if (w.hasResidualForecast()) {
        // residual forecast: pred = (Y_top predW^T + predB) + x . predSkip, predSkip [F] 0/1 broadcast
        // over [T, B, F], so the features it selects are forecast as the change from their value
        g.addInitializer(floats("pred_skip", w.predSkip, F));
        g.addNode(node("Add", "pred_add", new String[] {"pred_nb", "pred_B"}, new String[] {"pred_delta"}));
        g.addNode(node("Mul", "pred_skip_mul", new String[] {"x", "pred_skip"}, new String[] {"pred_x"}));
        g.addNode(node("Add", "pred_skip_add", new String[] {"pred_delta", "pred_x"}, new String[] {"pred"}));
      } else {
        g.addNode(node("Add", "pred_add", new String[] {"pred_nb", "pred_B"}, new String[] {"pred"}));
      }
      g.addOutput(tensorInfo("pred", "T", "B", F));
    }
    g.addOutput(tensorInfo("h1", L, "B", H));
    if (lstm) g.addOutput(tensorInfo("c1", L, "B", H));

    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName("jamwatch")
            .setProducerVersion(m.exporterVersion())
            .setDomain("io.jamwatch")
            .setModelVersion(ModelMetadata.FORMAT)
            .setDocString(
                "jamwatch " + w.cell + " L=" + L + " H=" + H + " F=" + F + " heads="
                    + m.toProps().get(ModelMetadata.PREFIX + "heads"))
            .setGraph(g);
    for (Map.Entry<String, String> e : m.toProps().entrySet())
      model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    return model.build();
  }

  private static NodeProto.Builder node(String op, String name, String[] inputs, String[] outputs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
    for (String i : inputs) n.addInput(i);
    for (String o : outputs) n.addOutput(o);
    return n;
  }

  private static NodeProto.Builder concat0(String name, String[] inputs, String out) {
    return node("Concat", name, inputs, new String[] {out}).addAttribute(intAttr("axis", 0));
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static AttributeProto stringAttr(String name, String v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v))
        .build();
  }

  /** A float32 initializer, little-endian raw_data as the ONNX spec requires. */
  private static TensorProto floats(String name, float[] data, long... dims) {
    long n = 1;
    for (long d : dims) n *= d;
    if (n != data.length)
      throw new IllegalStateException("initializer " + name + ": " + data.length + " values for shape " + java.util.Arrays.toString(dims));
    ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) t.addDims(d);
    return t.setRawData(ByteString.copyFrom(buf.array())).build();
  }

  /** A 0-D (scalar) float32 initializer. */
  private static TensorProto scalar(String name, float v) {
    ByteBuffer buf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(v);
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(buf.array())).build();
  }

  /** A 1-D int64 initializer of one value (Slice starts/ends/axes, Squeeze axes). */
  private static TensorProto longs(String name, long v) {
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.INT64.getNumber())
        .addDims(1)
        .addInt64Data(v)
        .build();
  }

  /** A float tensor ValueInfo; each dim an Integer (fixed) or a String (symbolic). */
  private static ValueInfoProto tensorInfo(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Integer i) dim.setDimValue(i);
      else dim.setDimParam((String) d);
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
        .build();
  }
}
