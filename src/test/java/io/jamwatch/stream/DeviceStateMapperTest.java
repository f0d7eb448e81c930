package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jamwatch.avro.DeviceState;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.DeviceMemory;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class DeviceStateMapperTest {

  @Test
  void pendingAlertOutcomesRoundTripThroughTheStoredState() throws Exception {
    DeviceStateMapper m = new DeviceStateMapper();
    AlertState a = new AlertState();
    for (long t : new long[] {10, 20, 30, 40, 50, 60}) {
      if (a.pendingCount == a.pending.length) a.pending = Arrays.copyOf(a.pending, a.pending.length * 2);
      a.pending[a.pendingCount++] = t;
    }
    DeviceState s;
    try (io.jamwatch.scoring.ScoringModel model = io.jamwatch.scoring.ScoringModel.load(java.nio.file.Path.of("models/default.onnx"))) {
      DeviceMemory mem = model.newMemory();
      s = m.toState("model", "L1", mem, a, 0.5f, 0, List.of());
    }
    assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), s.getPendingOutcomes());
    AlertState back = new AlertState();
    m.toAlert(s, back);
    assertEquals(6, back.pendingCount);
    assertArrayEquals(new long[] {10, 20, 30, 40, 50, 60}, Arrays.copyOf(back.pending, 6));
  }

  @Test
  void aVersionTwoStateWrittenBeforeOutcomesReadsAsNonePending() throws Exception {
    // A state written with the released (golden) DeviceState schema, without pendingOutcomes.
    Schema old = new Schema.Parser().parse(java.nio.file.Path.of("src/test/resources/schemas-golden/DeviceState.avsc").toFile());
    GenericRecord r = new GenericData.Record(old);
    for (Schema.Field f : old.getFields()) {
      if (f.hasDefaultValue()) r.put(f.name(), GenericData.get().getDefaultValue(f));
    }
    r.put("version", DeviceStateMapper.VERSION);
    r.put("modelId", "m");
    r.put("h", java.nio.ByteBuffer.allocate(0));
    r.put("lastEventTime", Instant.EPOCH.toEpochMilli());
    r.put("eventCount", 1L);
    r.put("lastScore", 0f);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(old).write(r, enc);
    enc.flush();
    DeviceState s = new SpecificDatumReader<DeviceState>(old, DeviceState.getClassSchema())
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    AlertState a = new AlertState();
    a.pendingCount = 2;
    new DeviceStateMapper().toAlert(s, a);
    assertEquals(0, a.pendingCount);
    assertEquals(true, new DeviceStateMapper().readable(s));
  }
}
