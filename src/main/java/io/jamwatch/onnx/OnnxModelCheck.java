package io.jamwatch.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the ONNX checker ({@code onnx.checker.check_model}, onnx/checker.cc) that can be
 * applied from Java without the C++ operator schemas, plus the jamwatch model-file contract:
 *
 * <ul>
 *   <li>ir_version set; an opset import for the default domain at version &gt;= 14;
 *   <li>SSA: every value (graph input, initializer, node output) is defined exactly once; node
 *       names unique; nodes in topological order (each input defined before its node);
 *   <li>every graph output produced; initializer payloads match their dims;
 *   <li>recurrent nodes: known op, hidden_size set, forward, W / R / B shapes consistent with
 *       hidden_size, the gate count of the op and the layer input width; GRU states
 *       linear_before_reset explicitly;
 *   <li>contract: inputs x [T, B, F], h0 [L, B, H] (c0 for LSTM), outputs h1 (c1) [L, B, H],
 *       score [T, B] and/or pred [T, B, F], optionally score_horizons [T, B, K] beside score, with T
 *       and B symbolic; metadata keys unique.
 * </ul>
 */
public final class OnnxModelCheck {
  private OnnxModelCheck() {}

  /** Every violated rule, each a sentence; empty when the model passes. */
  public static List<String> problems(ModelProto model) {
    List<String> p = new ArrayList<>();
    if (model.getIrVersion() <= 0) p.add("ir_version is not set");
    boolean opset = false;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        if (o.getVersion() < OnnxExporter.OPSET) p.add("default-domain opset " + o.getVersion() + " < " + OnnxExporter.OPSET);
        opset = true;
      }
    }
    if (!opset) p.add("no opset import for the default ONNX domain");
    Set<String> metaKeys = new HashSet<>();
    for (StringStringEntryProto e : model.getMetadataPropsList())
      if (!metaKeys.add(e.getKey())) p.add("metadata key " + e.getKey() + " appears twice");

    GraphProto g = model.getGraph();
    if (g.getName().isEmpty()) p.add("graph has no name");
    Map<String, TensorProto> inits = new HashMap<>();
    Set<String> defined = new HashSet<>();
    for (ValueInfoProto in : g.getInputList()) define(in.getName(), "graph input", defined, p);
    for (TensorProto t : g.getInitializerList()) {
      define(t.getName(), "initializer", defined, p);
      inits.put(t.getName(), t);
      checkPayload(t, p);
    }
    Set<String> nodeNames = new HashSet<>();
    int recurrent = 0;
    int hidden = -1;
    String cellOp = null;
    String firstW = null;
    for (NodeProto n : g.getNodeList()) {
      if (n.getName().isEmpty()) p.add("a " + n.getOpType() + " node has no name");
      else if (!nodeNames.add(n.getName())) p.add("node name " + n.getName() + " used twice");
      for (String in : n.getInputList())
        if (!in.isEmpty() && !defined.contains(in))
          p.add("node " + n.getName() + " reads '" + in + "' before it is defined (or it is never defined)");
      for (String out : n.getOutputList()) if (!out.isEmpty()) define(out, "output of " + n.getName(), defined, p);
      switch (n.getOpType()) {
        case "GRU", "LSTM", "RNN" -> {
          int h = checkRecurrent(n, inits, p);
          if (hidden >= 0 && h != hidden) p.add("layers disagree on hidden_size: " + hidden + " vs " + h);
          hidden = h;
          if (cellOp != null && !cellOp.equals(n.getOpType())) p.add("mixed recurrent ops " + cellOp + " and " + n.getOpType());
          cellOp = n.getOpType();
          if (firstW == null && n.getInputCount() > 1) firstW = n.getInput(1);
          recurrent++;
        }
        case "Slice", "Squeeze", "Concat", "MatMul", "Add", "Mul", "Clip", "Sigmoid", "Identity" -> {}
        default -> p.add("node " + n.getName() + ": op " + n.getOpType() + " is not one the exporter writes");
      }
    }
    for (ValueInfoProto out : g.getOutputList())
      if (!defined.contains(out.getName())) p.add("graph output " + out.getName() + " is never produced");

    // The model-file contract.
    if (recurrent == 0) {
      p.add("no GRU, LSTM or RNN node");
      return p;
    }
    boolean lstm = "LSTM".equals(cellOp);
    Map<String, ValueInfoProto> ins = byName(g.getInputList()), outs = byName(g.getOutputList());
    TensorProto w0 = firstW == null ? null : inits.get(firstW);
    long f = w0 == null || w0.getDimsCount() != 3 ? -1 : w0.getDims(2);
    expectShape(ins, "x", p, "T", "B", f);
    expectShape(ins, "h0", p, (long) recurrent, "B", (long) hidden);
    expectShape(outs, "h1", p, (long) recurrent, "B", (long) hidden);
    if (lstm) {
      expectShape(ins, "c0", p, (long) recurrent, "B", (long) hidden);
      expectShape(outs, "c1", p, (long) recurrent, "B", (long) hidden);
    } else {
      if (ins.containsKey("c0")) p.add("input c0 on a " + cellOp + " model");
      if (outs.containsKey("c1")) p.add("output c1 on a " + cellOp + " model");
    }
    if (!outs.containsKey("score") && !outs.containsKey("pred")) p.add("neither output score nor pred");
    if (outs.containsKey("score")) expectShape(outs, "score", p, "T", "B");
    if (outs.containsKey("pred")) expectShape(outs, "pred", p, "T", "B", f);
    if (outs.containsKey(ModelMetadata.HORIZONS_OUTPUT)) {
      if (!outs.containsKey("score")) p.add("output " + ModelMetadata.HORIZONS_OUTPUT + " without the risk score");
      TensorProto hb = inits.get("horizons_B");
      long k = hb == null || hb.getDimsCount() != 1 ? -1 : hb.getDims(0);
      expectShape(outs, ModelMetadata.HORIZONS_OUTPUT, p, "T", "B", k);
    }
    return p;
  }

  private static void define(String name, String what, Set<String> defined, List<String> p) {
    if (!defined.add(name)) p.add("value '" + name + "' (" + what + ") is defined twice");
  }

  private static void checkPayload(TensorProto t, List<String> p) {
    long n = 1;
    for (long d : t.getDimsList()) n *= d;
    long have;
    int width;
    if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber()) {
      width = 4;
      have = t.getRawData().isEmpty() ? t.getFloatDataCount() : t.getRawData().size() / width;
    } else if (t.getDataType() == TensorProto.DataType.INT64.getNumber()) {
      width = 8;
      have = t.getRawData().isEmpty() ? t.getInt64DataCount() : t.getRawData().size() / width;
    } else {
      p.add("initializer " + t.getName() + " has data type " + t.getDataType() + " (only float and int64 expected)");
      return;
    }
    if (have != n) p.add("initializer " + t.getName() + " holds " + have + " values, its dims say " + n);
  }

  /** Checks one recurrent node; returns its hidden_size (or -1). */
  private static int checkRecurrent(NodeProto n, Map<String, TensorProto> inits, List<String> p) {
    int gates = switch (n.getOpType()) {
      case "GRU" -> 3;
      case "LSTM" -> 4;
      default -> 1;
    };
    long hidden = -1;
    boolean lbr = false;
    for (AttributeProto a : n.getAttributeList()) {
      switch (a.getName()) {
        case "hidden_size" -> hidden = a.getI();
        case "linear_before_reset" -> {
          lbr = true;
          if (a.getI() != 0 && a.getI() != 1) p.add(n.getName() + ": linear_before_reset must be 0 or 1");
        }
        case "direction" -> {
          if (!a.getS().toStringUtf8().equals("forward")) p.add(n.getName() + ": direction must be forward");
        }
        default -> p.add(n.getName() + ": unexpected attribute " + a.getName());
      }
    }
    if (hidden <= 0) p.add(n.getName() + ": hidden_size missing");
    if (n.getOpType().equals("GRU") && !lbr) p.add(n.getName() + ": linear_before_reset is not stated");
    if (!n.getOpType().equals("GRU") && lbr) p.add(n.getName() + ": linear_before_reset on a " + n.getOpType());
    if (n.getInputCount() < 3) {
      p.add(n.getName() + ": needs X, W, R");
      return (int) hidden;
    }
    TensorProto w = inits.get(n.getInput(1)), r = inits.get(n.getInput(2));
    TensorProto b = n.getInputCount() > 3 ? inits.get(n.getInput(3)) : null;
    long gh = gates * hidden;
    if (w == null || w.getDimsCount() != 3 || w.getDims(0) != 1 || w.getDims(1) != gh)
      p.add(n.getName() + ": W must be an initializer [1, " + gh + ", In]");
    if (r == null || !r.getDimsList().equals(List.of(1L, gh, hidden)))
      p.add(n.getName() + ": R must be an initializer [1, " + gh + ", " + hidden + "]");
    if (b == null || !b.getDimsList().equals(List.of(1L, 2 * gh)))
      p.add(n.getName() + ": B must be an initializer [1, " + 2 * gh + "]");
    return (int) hidden;
  }

  private static Map<String, ValueInfoProto> byName(List<ValueInfoProto> vs) {
    Map<String, ValueInfoProto> m = new HashMap<>();
    for (ValueInfoProto v : vs) m.put(v.getName(), v);
    return m;
  }

  /** Each expected dim is a Long (fixed value) or a String (symbolic name). */
  private static void expectShape(Map<String, ValueInfoProto> vs, String name, List<String> p, Object... dims) {
    ValueInfoProto v = vs.get(name);
    if (v == null) {
      p.add("missing " + name);
      return;
    }
    if (!v.getType().hasTensorType() || v.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT.getNumber()) {
      p.add(name + " is not a float tensor");
      return;
    }
    TensorShapeProto s = v.getType().getTensorType().getShape();
    if (s.getDimCount() != dims.length) {
      p.add(name + " has rank " + s.getDimCount() + ", expected " + dims.length);
      return;
    }
    for (int i = 0; i < dims.length; i++) {
      TensorShapeProto.Dimension d = s.getDim(i);
      boolean ok = dims[i] instanceof String sym ? d.hasDimParam() && d.getDimParam().equals(sym)
          : d.hasDimValue() && d.getDimValue() == (Long) dims[i];
      if (!ok) p.add(name + " dim " + i + " is " + d.toString().trim() + ", expected " + dims[i]);
    }
  }
}
