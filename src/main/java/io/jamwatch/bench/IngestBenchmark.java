package io.jamwatch.bench;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.EventMapping;
import io.jamwatch.ingest.JsonEventDecoder;
import io.jamwatch.ingest.JsonEventEncoder;
import io.jamwatch.stream.AvroSerde;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of reading one event per input format, as the stream's source deserializer does: jamwatch
 * Avro (single-object encoding, {@link AvroSerde}) against JSON with jamwatch's own field names and
 * JSON through a gateway mapping (nested ids, ISO time, a type value map, readings in a
 * sub-object); seven readings each. Run:
 *
 * <pre>
 *   java -Xss16m -cp target/jamwatch.jar org.openjdk.jmh.Main IngestBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestBenchmark {
  static final EventMapping GATEWAY =
      EventMapping.builder()
          .deviceId("/scanner/id").lineId("/scanner/line").eventTime("/ts").timeFormat(EventMapping.TimeFormat.ISO)
          .type("/kind").typeValues("scan:PACKAGE_SCANNED,noread:NO_READ").eventId("/msgId").readings("/plc/*")
          .build();

  private AvroSerde<ScannerEvent> avro;
  private JsonEventDecoder json;
  private JsonEventDecoder gateway;
  private byte[] avroBytes;
  private byte[] jsonBytes;
  private byte[] gatewayBytes;

  @Setup
  public void setup() {
    Map<String, Float> r = new LinkedHashMap<>();
    String[] names = {"belt_speed", "gap_ms", "dwell_ms", "lateral_offset_mm", "motor_current_a", "vibration_rms", "package_length_mm"};
    for (int i = 0; i < names.length; i++) {
      r.put(names[i], 1.2345678f * (i + 1));
    }
    ScannerEvent e = ScannerEvent.newBuilder().setDeviceId("L01-S07").setLineId("L01")
        .setEventTime(Instant.parse("2026-01-05T06:00:01.516Z")).setType(EventType.PACKAGE_SCANNED)
        .setReadings(r).setEventId("L01-S07-123456").build();
    avro = new AvroSerde<>(ScannerEvent.getClassSchema());
    json = new JsonEventDecoder(EventMapping.defaults());
    gateway = new JsonEventDecoder(GATEWAY);
    avroBytes = avro.encode(e);
    jsonBytes = new JsonEventEncoder(EventMapping.defaults()).encode(e);
    gatewayBytes = new JsonEventEncoder(GATEWAY).encode(e);
  }

  @Benchmark
  public ScannerEvent jamwatchAvro() {
    return avro.decode(avroBytes);
  }

  @Benchmark
  public ScannerEvent jsonOwnNames() {
    return json.decode(jsonBytes);
  }

  @Benchmark
  public ScannerEvent jsonGatewayMapping() {
    return gateway.decode(gatewayBytes);
  }
}
