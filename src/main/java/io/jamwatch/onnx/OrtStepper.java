package io.jamwatch.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.jamwatch.model.CellType;
import io.jamwatch.model.Stepper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One streaming step (T = 1, B = 1) through ONNX Runtime. One {@link OrtEnvironment} per JVM (ORT's
 * own singleton), one session per model with one intra-op and one inter-op thread (a stream thread
 * owns it; parallelism comes from stream threads, not from inside a 64-unit matvec). The input
 * tensors x, h0, c0 wrap direct buffers allocated once, and the outputs are pinned onto tensors over
 * direct buffers allocated once ({@code OrtSession.run(inputs, pinnedOutputs)}), so a step copies
 * the caller's arrays in, runs, and copies the state out; ORT's Result wrapper is the only
 * per-step allocation. Not thread-safe.
 */
public final class OrtStepper implements Stepper {
  private final ModelMetadata meta;
  private final OrtSession session;
  private final int f;
  private final int state; // L * H
  private final FloatBuffer x, h0, c0, score, pred, h1, c1;
  private final FloatBuffer horizons; // [K] the extra horizons' probabilities, or null
  private final int k; // K
  private final List<OnnxTensor> tensors = new ArrayList<>();
  private final Map<String, OnnxTensor> inputs;
  private final Map<String, OnnxValue> outputs;

  /**
   * Opens a session on {@code modelBytes}, which {@code meta} must describe (its inputs and
   * outputs are checked against it: a mismatch is refused, never stepped).
   */
  public OrtStepper(byte[] modelBytes, ModelMetadata meta) {
    this.meta = meta;
    this.f = meta.inputSize();
    int L = meta.layers(), H = meta.hiddenSize();
    this.state = L * H;
    this.k = meta.extraHorizonSeconds().size();
    boolean lstm = meta.cell().hasCellState();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = options()) {
      session = env.createSession(modelBytes, opts);
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime cannot open the model: " + e.getMessage(), e);
    }
    try {
      checkIo(lstm);
      x = direct(f);
      h0 = direct(state);
      c0 = lstm ? direct(state) : null;
      score = meta.hasRisk() ? direct(1) : null;
      pred = meta.hasForecast() ? direct(f) : null;
      horizons = k > 0 ? direct(k) : null;
      h1 = direct(state);
      c1 = lstm ? direct(state) : null;
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("x", tensor(env, x, 1, 1, f));
      in.put("h0", tensor(env, h0, L, 1, H));
      if (lstm) in.put("c0", tensor(env, c0, L, 1, H));
      Map<String, OnnxValue> out = new HashMap<>();
      if (score != null) out.put("score", tensor(env, score, 1, 1));
      if (pred != null) out.put("pred", tensor(env, pred, 1, 1, f));
      if (horizons != null) out.put(ModelMetadata.HORIZONS_OUTPUT, tensor(env, horizons, 1, 1, k));
      out.put("h1", tensor(env, h1, L, 1, H));
      if (lstm) out.put("c1", tensor(env, c1, L, 1, H));
      inputs = Map.copyOf(in);
      outputs = Map.copyOf(out);
    } catch (OrtException | RuntimeException e) {
      close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException("cannot create ORT tensors", e);
    }
  }

  /** Single-threaded session options used for every jamwatch session. */
  static OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return o;
  }

  private void checkIo(boolean lstm) throws OrtException {
    int L = meta.layers(), H = meta.hiddenSize();
    Map<String, NodeInfo> in = session.getInputInfo(), out = session.getOutputInfo();
    List<String> wantIn = new ArrayList<>(List.of("x", "h0"));
    if (lstm) wantIn.add("c0");
    List<String> wantOut = new ArrayList<>();
    if (meta.hasRisk()) wantOut.add("score");
    if (meta.hasForecast()) wantOut.add("pred");
    if (k > 0) wantOut.add(ModelMetadata.HORIZONS_OUTPUT);
    wantOut.add("h1");
    if (lstm) wantOut.add("c1");
    if (!in.keySet().equals(new java.util.HashSet<>(wantIn)) || !out.keySet().equals(new java.util.HashSet<>(wantOut)))
      throw new IllegalArgumentException(
          "model inputs " + in.keySet() + " / outputs " + out.keySet() + " do not match its metadata, which needs "
              + wantIn + " / " + wantOut);
    expect(in, "x", -1, -1, f);
    expect(in, "h0", L, -1, H);
    expect(out, "h1", L, -1, H);
    if (lstm) {
      expect(in, "c0", L, -1, H);
      expect(out, "c1", L, -1, H);
    }
    if (meta.hasRisk()) expect(out, "score", -1, -1);
    if (meta.hasForecast()) expect(out, "pred", -1, -1, f);
    if (k > 0) expect(out, ModelMetadata.HORIZONS_OUTPUT, -1, -1, k);
  }

  private static void expect(Map<String, NodeInfo> info, String name, long... shape) {
    long[] have = ((TensorInfo) info.get(name).getInfo()).getShape();
    if (!Arrays.equals(have, shape))
      throw new IllegalArgumentException(
          "model " + name + " has shape " + Arrays.toString(have) + ", its metadata needs " + Arrays.toString(shape)
              + " (-1 = dynamic)");
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private OnnxTensor tensor(OrtEnvironment env, FloatBuffer b, long... shape) throws OrtException {
    OnnxTensor t = OnnxTensor.createTensor(env, b, shape);
    tensors.add(t);
    return t;
  }

  @Override
  public float step(float[] xIn, float[] h, float[] c, float[] predOut) {
    x.put(0, xIn, 0, f);
    h0.put(0, h, 0, state);
    if (c0 != null) c0.put(0, c, 0, state);
    try (OrtSession.Result r = session.run(inputs, outputs)) {
      // pinned outputs: the values are in our buffers; the Result does not own them
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime step failed: " + e.getMessage(), e);
    }
    h1.get(0, h, 0, state);
    if (c1 != null) c1.get(0, c, 0, state);
    if (pred != null && predOut != null) pred.get(0, predOut, 0, f);
    return score == null ? Float.NaN : score.get(0);
  }

  @Override
  public int horizons() {
    return k;
  }

  @Override
  public void horizonScores(float[] out) {
    if (horizons != null) horizons.get(0, out, 0, k);
  }

  @Override
  public int inputSize() {
    return f;
  }

  @Override
  public int hiddenSize() {
    return meta.hiddenSize();
  }

  @Override
  public int layers() {
    return meta.layers();
  }

  @Override
  public CellType cell() {
    return meta.cell();
  }

  @Override
  public boolean hasRisk() {
    return meta.hasRisk();
  }

  @Override
  public boolean hasForecast() {
    return meta.hasForecast();
  }

  @Override
  public void close() {
    for (OnnxTensor t : tensors) t.close();
    tensors.clear();
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("cannot close the ORT session", e);
      }
    }
  }
}
