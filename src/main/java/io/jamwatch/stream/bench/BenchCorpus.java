package io.jamwatch.stream.bench;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.Simulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's input, the same for every topology: event {@code i} of a population of {@code
 * devices} scanners, computed, not stored. Readings and event types come from the conveyor
 * simulator (a template of its first events over 8 lines x 8 scanners); device ids are generated up
 * front ({@code L0000-S000} form, 16 scanners a line) and visited in a fixed random order, every
 * device once per round, so a device's events are evenly spaced and its RocksDB reads are not in
 * key order. Event times advance 1 ms per event and end before the corpus is built; event ids are
 * unique, so nothing is a duplicate or out of order and nothing goes to the dead-letter topic.
 */
public final class BenchCorpus {
  static final int SCANNERS_PER_LINE = 16;
  private static final int TEMPLATE = 20_000;

  private final List<ScannerEvent> template;
  private final String[] keys;
  private final String[] lines;
  private final int[] order;
  private final long startMillis;

  private BenchCorpus(List<ScannerEvent> template, int devices, long events, long seed) {
    this.template = template;
    this.keys = new String[devices];
    this.lines = new String[devices];
    for (int d = 0; d < devices; d++) {
      int line = d / SCANNERS_PER_LINE;
      lines[d] = String.format("L%04d", line);
      keys[d] = String.format("%s-S%03d", lines[d], d % SCANNERS_PER_LINE);
    }
    this.order = new int[devices];
    for (int d = 0; d < devices; d++) order[d] = d;
    SplittableRandom r = new SplittableRandom(seed);
    for (int d = devices - 1; d > 0; d--) {
      int j = r.nextInt(d + 1);
      int t = order[d];
      order[d] = order[j];
      order[j] = t;
    }
    this.startMillis = System.currentTimeMillis() - events - 3_600_000L;
  }

  /** A corpus of {@code devices} scanners for up to {@code events} events (their times end an hour ago). */
  public static BenchCorpus of(int devices, long events) {
    return new BenchCorpus(simulatorTemplate(), devices, events, 11);
  }

  static List<ScannerEvent> simulatorTemplate() {
    List<ScannerEvent> out = new ArrayList<>(TEMPLATE);
    Iterator<ScannerEvent> sim =
        new Simulator(SimConfig.defaults().withShape(8, 8, Double.POSITIVE_INFINITY, 7)).events();
    while (out.size() < TEMPLATE) {
      ScannerEvent e = sim.next();
      if (e.getType() != EventType.JAM && e.getType() != EventType.JAM_CLEARED) {
        out.add(e);
      }
    }
    return out;
  }

  public int devices() {
    return keys.length;
  }

  /** The device of event {@code i}. */
  public String key(long i) {
    return keys[order[(int) (i % keys.length)]];
  }

  /** Event {@code i}, at the corpus's own time. */
  public ScannerEvent event(long i) {
    return event(i, startMillis + i);
  }

  /** Event {@code i} stamped {@code timeMillis} (the latency run stamps events as it sends them). */
  public ScannerEvent event(long i, long timeMillis) {
    int d = order[(int) (i % keys.length)];
    ScannerEvent t = template.get((int) (i % template.size()));
    return ScannerEvent.newBuilder()
        .setDeviceId(keys[d])
        .setLineId(lines[d])
        .setEventTime(Instant.ofEpochMilli(timeMillis))
        .setType(t.getType())
        .setReadings(t.getReadings())
        .setEventId(keys[d] + "-" + i)
        .build();
  }

  /** A GRU (H = 64) with random weights and a feature spec fitted on the template: speed does not depend on the weights. */
  static Path randomModel(Path dir) {
    List<ScannerEvent> events = simulatorTemplate();
    FeatureSpec spec = FeatureSpec.fit(events.iterator());
    NetworkWeights w =
        NetworkWeights.random(CellType.GRU, spec.size(), 64, 1, true, true, false, new SplittableRandom(1));
    Path out = dir.resolve("bench-gru64.onnx");
    OnnxExporter.export(w, ModelMetadata.describe(w, spec, null), out);
    return out;
  }

}
