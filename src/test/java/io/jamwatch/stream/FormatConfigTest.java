package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.ingest.EventMapping;
import io.jamwatch.ingest.InputFormat;
import java.io.StringReader;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FormatConfigTest {
  private static StreamConfig parse(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return StreamConfig.fromProperties(p);
  }

  @Test
  void defaultsAreJamwatchAvroInAndOut() {
    StreamConfig d = StreamConfig.defaults();
    assertEquals(InputFormat.JAMWATCH_AVRO, d.ingest().format());
    assertEquals(EventMapping.defaults(), d.ingest().mapping());
    assertEquals(OutputFormat.AVRO, d.output());
  }

  @Test
  void readsFormatsMappingAndRegistryKeys() throws Exception {
    StreamConfig c = parse("""
        input.format=avro-registry
        output.format=json
        mapping.device-id=/scanner/id
        mapping.readings=*
        registry.url=http://registry:8081/apis/ccompat/v7/
        registry.basic.auth.user.info=jam:pw
        registry.timeout=2s
        registry.retry-backoff=30s
        registry.header.X-Tenant=plant-3
        """);
    assertEquals(InputFormat.AVRO_REGISTRY, c.ingest().format());
    assertEquals(OutputFormat.JSON, c.output());
    assertEquals("/scanner/id", c.ingest().mapping().deviceId().toString());
    assertEquals("http://registry:8081/apis/ccompat/v7", c.ingest().registry().url().toString());
    assertEquals(Duration.ofSeconds(2), c.ingest().registry().timeout());
    assertEquals(Duration.ofSeconds(30), c.ingest().registry().retryBackoff());
    assertEquals("plant-3", c.ingest().registry().headers().get("X-Tenant"));
    assertEquals("jam:pw", c.ingest().registry().basicAuthUserInfo());
  }

  @Test
  void refusesWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> parse("input.format=protobuf"));
    assertThrows(IllegalArgumentException.class, () -> parse("output.format=xml"));
    assertThrows(IllegalArgumentException.class, () -> parse("mapping.device=/id"), "a typo in a mapping key");
    assertThrows(IllegalArgumentException.class, () -> parse("registry.ulr=http://x"), "a typo in a registry key");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("input.format=avro-registry"));
    assertTrue(e.getMessage().contains("registry.url"), e.getMessage());
  }
}
