package io.jamwatch.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution guard: every schema in {@code schemas/} must stay backward compatible (the new
 * schema reads data written with the released one) and forward compatible (the released schema
 * reads data written with the new one) with its released copy in
 * {@code src/test/resources/schemas-golden/}, checked with Avro's {@link SchemaCompatibility}
 * (Avro specification, "Schema Resolution").
 *
 * <p>Releasing a schema change: make it compatible (new fields optional with defaults, enum symbols
 * only with a default symbol), then copy it over its golden file
 * ({@code cp schemas/X.avsc src/test/resources/schemas-golden/}), so the next change is checked
 * against it. A new schema gets its golden copy the same way.
 */
class SchemaEvolutionTest {

  private static final Path CURRENT = Path.of("schemas");
  private static final Path GOLDEN = Path.of("src/test/resources/schemas-golden");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses every *.avsc of a folder (enums first: records refer to them by name), by file name. */
  static Map<String, Schema> parseFolder(Path dir) {
    Map<String, String> texts = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
        texts.put(p.getFileName().toString(), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parseTexts(texts);
  }

  static Map<String, Schema> parseTexts(Map<String, String> texts) {
    List<String> order = new ArrayList<>();
    texts.forEach((name, text) -> {
      if (text.contains("\"enum\"") && !text.contains("\"record\"")) {
        order.add(name);
      }
    });
    texts.keySet().stream().filter(n -> !order.contains(n)).forEach(order::add);
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> out = new LinkedHashMap<>();
    for (String name : order) {
      out.put(name, parser.parse(texts.get(name)));
    }
    return out;
  }

  /** Every incompatibility between released and current schemas, as readable lines; empty if none. */
  static List<String> problems(Map<String, Schema> golden, Map<String, Schema> current) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Schema> g : golden.entrySet()) {
      Schema now = current.get(g.getKey());
      if (now == null) {
        problems.add(g.getKey() + ": released schema was removed");
        continue;
      }
      SchemaCompatibility.SchemaPairCompatibility backward =
          SchemaCompatibility.checkReaderWriterCompatibility(now, g.getValue());
      if (backward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        problems.add(g.getKey() + ": not backward compatible (new schema cannot read released data): "
            + backward.getResult().getIncompatibilities());
      }
      SchemaCompatibility.SchemaPairCompatibility forward =
          SchemaCompatibility.checkReaderWriterCompatibility(g.getValue(), now);
      if (forward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        problems.add(g.getKey() + ": not forward compatible (released schema cannot read new data): "
            + forward.getResult().getIncompatibilities());
      }
    }
    for (String name : current.keySet()) {
      if (!golden.containsKey(name)) {
        problems.add(name + ": no golden copy; copy it to " + GOLDEN + " when releasing it");
      }
    }
    return problems;
  }

  private static Map<String, String> goldenTexts() throws IOException {
    Map<String, String> texts = new TreeMap<>();
    try (Stream<Path> s = Files.list(GOLDEN)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".avsc")).toList()) {
        texts.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return texts;
  }

  private static String withField(String schemaJson, String fieldJson) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(schemaJson);
    ((ArrayNode) root.get("fields")).add(JSON.readTree(fieldJson));
    return JSON.writeValueAsString(root);
  }

  @Test
  void everySchemaIsBackwardAndForwardCompatibleWithItsReleasedCopy() {
    Map<String, Schema> golden = parseFolder(GOLDEN);
    assertEquals(7, golden.size(), "golden copies of the seven released schemas");
    List<String> problems = problems(golden, parseFolder(CURRENT));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void catchesAFieldAddedWithoutDefault() throws IOException {
    Map<String, String> texts = goldenTexts();
    texts.put("ScannerEvent.avsc", withField(texts.get("ScannerEvent.avsc"), "{\"name\":\"zone\",\"type\":\"string\"}"));
    List<String> problems = problems(parseFolder(GOLDEN), parseTexts(texts));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("ScannerEvent.avsc: not backward compatible"), problems.get(0));
  }

  @Test
  void acceptsAnOptionalFieldWithDefault() throws IOException {
    Map<String, String> texts = goldenTexts();
    texts.put("ScannerEvent.avsc",
        withField(texts.get("ScannerEvent.avsc"), "{\"name\":\"zone\",\"type\":[\"null\",\"string\"],\"default\":null}"));
    assertEquals(List.of(), problems(parseFolder(GOLDEN), parseTexts(texts)));
  }

  @Test
  void catchesARemovedRequiredField() throws IOException {
    Map<String, String> texts = goldenTexts();
    ObjectNode root = (ObjectNode) JSON.readTree(texts.get("JamRiskScore.avsc"));
    ArrayNode fields = (ArrayNode) root.get("fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).get("name").asText().equals("score")) {
        fields.remove(i);
        break;
      }
    }
    texts.put("JamRiskScore.avsc", JSON.writeValueAsString(root));
    List<String> problems = problems(parseFolder(GOLDEN), parseTexts(texts));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("JamRiskScore.avsc: not forward compatible"), problems.get(0));
  }

  @Test
  void catchesAFieldTypeChange() throws IOException {
    Map<String, String> texts = goldenTexts();
    String changed = texts.get("DeadLetter.avsc").replace("{\"name\": \"partition\", \"type\": \"int\"}",
        "{\"name\": \"partition\", \"type\": \"string\"}");
    assertTrue(!changed.equals(texts.get("DeadLetter.avsc")), "fixture edit applied");
    texts.put("DeadLetter.avsc", changed);
    List<String> problems = problems(parseFolder(GOLDEN), parseTexts(texts));
    assertEquals(2, problems.size(), problems.toString());
  }
}
