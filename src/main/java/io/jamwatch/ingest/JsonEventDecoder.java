package io.jamwatch.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;

/**
 * JSON input: one UTF-8 JSON object per record, mapped by an {@link EventMapping}. Strict JSON
 * (RFC 8259: no NaN/Infinity literals, no comments, no trailing content); decimals are kept as
 * decimals until the mapper rounds them once to float. Length limits bound what a hostile record
 * can cost (strings 1 MB, numbers 1,000 digits, nesting 64).
 */
public final class JsonEventDecoder implements EventDecoder {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    JSON.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(1_000_000).maxNumberLength(1000).maxNestingDepth(64).build());
  }

  private final EventMapper mapper;

  public JsonEventDecoder(EventMapping mapping) {
    this.mapper = new EventMapper(mapping);
  }

  public EventMapping mapping() {
    return mapper.mapping();
  }

  @Override
  public ScannerEvent decode(byte[] bytes) {
    return mapper.map(parse(bytes));
  }

  /** Parses one JSON object (the text of a record or of a JSON-lines line). */
  public static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IngestException(IngestFailure.INVALID_JSON, "empty value");
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || n.isMissingNode()) {
        throw new IngestException(IngestFailure.INVALID_JSON, "no JSON value");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IngestException(IngestFailure.INVALID_JSON, "invalid JSON: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException | RuntimeException e) {
      throw new IngestException(IngestFailure.INVALID_JSON, "invalid JSON: " + e, e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String l = nl < 0 ? s : s.substring(0, nl);
    return l.length() > 160 ? l.substring(0, 160) + "..." : l;
  }
}
