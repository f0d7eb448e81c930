package io.jamwatch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryAvroDecoderTest {
  /** A gateway's own schema: other names, nesting, a string type code, a union id. */
  static final String GATEWAY_SCHEMA = """
      {"type": "record", "name": "ScanMessage", "namespace": "com.example.gw", "fields": [
        {"name": "scanner", "type": {"type": "record", "name": "Scanner", "fields": [
          {"name": "id", "type": "string"}, {"name": "line", "type": "string"}]}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "kind", "type": "string"},
        {"name": "msgId", "type": ["null", "string"], "default": null},
        {"name": "plc", "type": {"type": "map", "values": "float"}},
        {"name": "vib", "type": "float"}]}""";

  private final RecordedRegistry registry;

  RegistryAvroDecoderTest() throws IOException {
    registry = new RecordedRegistry()
        .register(1, ScannerEvent.getClassSchema().toString())
        .register(42, GATEWAY_SCHEMA);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  static byte[] avro(Schema schema, Object datum, boolean specific) throws IOException {
    io.jamwatch.logs.TrustedAvroClasses.register();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    (specific ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema)).write(datum, enc);
    enc.flush();
    return out.toByteArray();
  }

  private RegistryAvroDecoder decoder(EventMapping m) {
    return new RegistryAvroDecoder(new SchemaRegistryClient(RegistrySettings.defaults().withUrl(registry.url())), m);
  }

  @Test
  void readsScannerEventsFramedWithTheirRegistryIdAsTheAvroPathDoes() throws IOException {
    RegistryAvroDecoder d = decoder(EventMapping.defaults());
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      ScannerEvent e = JsonEventDecoderTest.event(r, i);
      assertEquals(e, d.decode(RegistryAvroDecoder.frame(1, avro(ScannerEvent.getClassSchema(), e, true))));
    }
    assertEquals(1, registry.requests(), "the schema is fetched once per id");
  }

  @Test
  void mapsAForeignSchemaLikeJson() throws IOException {
    Schema s = new Schema.Parser().parse(GATEWAY_SCHEMA);
    GenericRecord scanner = new GenericData.Record(s.getField("scanner").schema());
    scanner.put("id", "L03-S07");
    scanner.put("line", "L03");
    GenericRecord msg = new GenericData.Record(s);
    msg.put("scanner", scanner);
    msg.put("ts", 1_767_225_600_250L);
    msg.put("kind", "scan");
    msg.put("msgId", "gw-1");
    msg.put("plc", Map.of("speed", 1.95f, "gap", 412f));
    msg.put("vib", 0.031f);
    ScannerEvent e = decoder(JsonEventDecoderTest.GATEWAY).decode(RegistryAvroDecoder.frame(42, avro(s, msg, false)));
    assertEquals("L03-S07", e.getDeviceId());
    assertEquals(Instant.ofEpochMilli(1_767_225_600_250L), e.getEventTime());
    assertEquals(EventType.PACKAGE_SCANNED, e.getType());
    assertEquals(Map.of("belt_speed", 1.95f, "gap_ms", 412f, "vibration_rms", 0.031f), e.getReadings());
  }

  @Test
  void sendsCredentialsAndHeaders() throws IOException {
    RegistrySettings s = RegistrySettings.defaults().withUrl(registry.url()).withBasicAuth("jam:s3cret");
    new RegistryAvroDecoder(new SchemaRegistryClient(s), EventMapping.defaults())
        .decode(RegistryAvroDecoder.frame(1, avro(ScannerEvent.getClassSchema(),
            JsonEventDecoderTest.event(new SplittableRandom(1), 1), true)));
    assertEquals("Basic " + Base64.getEncoder().encodeToString("jam:s3cret".getBytes()), registry.authorizations().get(0));
    assertTrue(!s.toString().contains("s3cret"), "credentials are never printed");
  }

  @Test
  void namesEachFailure() throws IOException {
    RegistryAvroDecoder d = decoder(EventMapping.defaults());
    byte[] good = avro(ScannerEvent.getClassSchema(), JsonEventDecoderTest.event(new SplittableRandom(1), 1), true);
    assertEquals(IngestFailure.BAD_REGISTRY_FRAMING, failure(d, new byte[] {0, 0, 0}));
    assertEquals(IngestFailure.BAD_REGISTRY_FRAMING, failure(d, RegistryAvroDecoder.frame(1, good), 0, (byte) 1));
    assertEquals(IngestFailure.UNKNOWN_REGISTRY_ID, failure(d, RegistryAvroDecoder.frame(7, good)));
    assertEquals(IngestFailure.UNDECODABLE_AVRO, failure(d, RegistryAvroDecoder.frame(1, java.util.Arrays.copyOf(good, 9))));
    byte[] trailing = java.util.Arrays.copyOf(RegistryAvroDecoder.frame(1, good), good.length + 7);
    assertEquals(IngestFailure.UNDECODABLE_AVRO, failure(d, trailing));
    assertEquals(IngestFailure.MISSING_FIELD,
        failure(decoder(EventMapping.builder().lineId("/line").build()), RegistryAvroDecoder.frame(1, good)));
  }

  @Test
  void aRegistryThatDoesNotAnswerIsUnavailableAndFailsFastThenRecovers() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RegistryAvroDecoder down = new RegistryAvroDecoder(new SchemaRegistryClient(
        RegistrySettings.defaults().withUrl("http://127.0.0.1:" + closedPort)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))), EventMapping.defaults());
    byte[] frame = RegistryAvroDecoder.frame(1, avro(ScannerEvent.getClassSchema(),
        JsonEventDecoderTest.event(new SplittableRandom(1), 1), true));
    assertEquals(IngestFailure.REGISTRY_UNAVAILABLE, failure(down, frame));

    long[] now = {0};
    SchemaRegistryClient client = new SchemaRegistryClient(
        RegistrySettings.defaults().withUrl(registry.url()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)),
        () -> now[0]);
    RegistryAvroDecoder flaky = new RegistryAvroDecoder(client, EventMapping.defaults());
    registry.failWith(503);
    assertEquals(IngestFailure.REGISTRY_UNAVAILABLE, failure(flaky, frame));
    registry.failWith(0);
    assertEquals(IngestFailure.REGISTRY_UNAVAILABLE, failure(flaky, frame), "within the backoff: fail fast");
    assertEquals(1, client.requests(), "no request during the backoff");
    now[0] += Duration.ofSeconds(11).toNanos();
    assertEquals("L01-S01", flaky.decode(frame).getDeviceId(), "asked again after the backoff");
  }

  private static IngestFailure failure(RegistryAvroDecoder d, byte[] bytes, int at, byte value) {
    bytes[at] = value;
    return failure(d, bytes);
  }

  private static IngestFailure failure(RegistryAvroDecoder d, byte[] bytes) {
    return assertThrows(IngestException.class, () -> d.decode(bytes)).failure();
  }
}
