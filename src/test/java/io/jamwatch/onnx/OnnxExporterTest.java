package io.jamwatch.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxExporterTest {
  @TempDir Path dir;

  static Stream<Arguments> nets() {
    return Stream.of(
        Arguments.of(CellType.RNN, false, 1, true, true), Arguments.of(CellType.GRU, true, 2, true, false),
        Arguments.of(CellType.GRU, false, 3, false, true), Arguments.of(CellType.LSTM, false, 2, true, true),
        Arguments.of(CellType.LSTM, false, 1, false, true));
  }

  @ParameterizedTest
  @MethodSource("nets")
  void exportedModelPassesTheCheckerRules(CellType cell, boolean lbr, int layers, boolean risk, boolean forecast) {
    NetworkWeights w = NetworkWeights.random(cell, 9, 6, layers, lbr, risk, forecast, new SplittableRandom(3));
    ModelProto m = OnnxExporter.build(w, TestModels.metadata(w));
    assertEquals(List.of(), OnnxModelCheck.problems(m));
    long recurrentNodes = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(cell.onnxOp())).count();
    assertEquals(layers, recurrentNodes, "one recurrent node per layer");
  }

  @Test
  void checkerCatchesABrokenGraph() {
    NetworkWeights w = TestModels.random(CellType.GRU, 9, 6, 2, false, 3);
    ModelProto good = OnnxExporter.build(w, TestModels.metadata(w));
    // drop the first layer's node: layer 1 reads an undefined value, h1 loses an input
    ModelProto.Builder b = good.toBuilder();
    int idx = 0;
    while (!b.getGraph().getNode(idx).getOpType().equals("GRU")) idx++;
    b.getGraphBuilder().removeNode(idx);
    List<String> p = OnnxModelCheck.problems(b.build());
    assertTrue(p.stream().anyMatch(s -> s.contains("before it is defined")), p.toString());
    // duplicate value name
    ModelProto.Builder d = good.toBuilder();
    d.getGraphBuilder().addNode(NodeProto.newBuilder().setOpType("Identity").setName("dup").addInput("x").addOutput("h1"));
    assertTrue(OnnxModelCheck.problems(d.build()).stream().anyMatch(s -> s.contains("defined twice")));
    // low opset
    ModelProto.Builder o = good.toBuilder();
    o.getOpsetImportBuilder(0).setVersion(11);
    assertFalse(OnnxModelCheck.problems(o.build()).isEmpty());
  }

  @Test
  void gruStatesLinearBeforeResetExactlyAsTheWeights() {
    for (boolean lbr : new boolean[] {false, true}) {
      NetworkWeights w = TestModels.random(CellType.GRU, 9, 6, 2, lbr, 3);
      ModelProto m = OnnxExporter.build(w, TestModels.metadata(w));
      for (NodeProto n : m.getGraph().getNodeList()) {
        if (!n.getOpType().equals("GRU")) continue;
        long v = n.getAttributeList().stream().filter(a -> a.getName().equals("linear_before_reset")).findFirst().orElseThrow().getI();
        assertEquals(lbr ? 1 : 0, v);
      }
    }
  }

  @Test
  void sameInputGivesSameBytesAndIdIsSha256OfTheFile() throws Exception {
    NetworkWeights w = TestModels.random(CellType.LSTM, 9, 6, 2, false, 5);
    ModelMetadata meta = TestModels.metadata(w);
    Path a = dir.resolve("a.onnx"), b = dir.resolve("sub/b.onnx");
    String idA = OnnxExporter.export(w, meta, a);
    String idB = OnnxExporter.export(w.copy(), ModelMetadata.fromProps(meta.toProps()), b);
    byte[] bytes = Files.readAllBytes(a);
    assertArrayEquals(bytes, Files.readAllBytes(b));
    assertEquals(idA, idB);
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), idA);
    NetworkWeights w2 = w.copy();
    w2.R[1][0] += 1e-3f;
    assertNotEquals(idA, OnnxExporter.export(w2, meta, dir.resolve("c.onnx")));
  }

  @Test
  void metadataPropsInTheFileRoundTrip() throws Exception {
    NetworkWeights w = TestModels.random(CellType.GRU, 9, 6, 1, true, 5);
    ModelMetadata meta = TestModels.metadata(w);
    Path f = dir.resolve("m.onnx");
    OnnxExporter.export(w, meta, f);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(f));
    Map<String, String> props = new TreeMap<>();
    for (StringStringEntryProto e : m.getMetadataPropsList()) props.put(e.getKey(), e.getValue());
    assertEquals(meta, ModelMetadata.fromProps(props));
    assertTrue(m.getOpsetImport(0).getVersion() >= 14);
  }
}
