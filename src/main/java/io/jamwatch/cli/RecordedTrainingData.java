package io.jamwatch.cli;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.features.FeatureEncoder;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.logs.EventFingerprint;
import io.jamwatch.logs.Labeller;
import io.jamwatch.logs.RecordedLogReader;
import io.jamwatch.train.DataSplit;
import io.jamwatch.train.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link TrainingData} from a recorded log: events grouped by device (in the reader's
 * event-time order), the feature spec fitted on the training part of the validation plan only
 * (training devices before the time cut, so no validation statistics leak into the encoder), every
 * event encoded with the one {@link FeatureEncoder}, labels cut by {@link Labeller} (in-jam and
 * censored steps carry negative codes and are excluded from the loss).
 */
public final class RecordedTrainingData {

  /**
   * @param data encoded sequences
   * @param fingerprint {@link EventFingerprint}: SHA-256 over the decoded events in the reader's
   *     merged order (independent of compression and of how the events are split into files)
   * @param files the files read
   * @param jamEvents JAM events in the log
   * @param plan the validation plan the spec was fitted under
   */
  public record Loaded(TrainingData data, String fingerprint, List<Path> files, long jamEvents, DataSplit.Plan plan) {}

  private RecordedTrainingData() {}

  public static Loaded load(Path logDir, long horizonMillis, double validationFraction, long seed) {
    return load(logDir, horizonMillis, validationFraction, seed, 0);
  }

  /** {@link #load(Path, long, double, long)} with per-device standardisation over {@code deviceWindow} events (0 = off). */
  public static Loaded load(Path logDir, long horizonMillis, double validationFraction, long seed, int deviceWindow) {
    return load(logDir, horizonMillis, List.of(), validationFraction, seed, deviceWindow);
  }

  /** As above, with labels for each of {@code extraHorizonsMillis} beside the primary horizon's. */
  public static Loaded load(Path logDir, long horizonMillis, List<Long> extraHorizonsMillis, double validationFraction,
      long seed, int deviceWindow) {
    List<Path> files = RecordedLogReader.avroFiles(logDir);
    Map<String, List<ScannerEvent>> byDevice = new TreeMap<>();
    long first = Long.MAX_VALUE, last = Long.MIN_VALUE, jams = 0;
    EventFingerprint fingerprint = new EventFingerprint();
    try (RecordedLogReader.EventStream events = RecordedLogReader.open(logDir)) {
      while (events.hasNext()) {
        ScannerEvent e = events.next();
        fingerprint.add(e);
        byDevice.computeIfAbsent(e.getDeviceId(), k -> new ArrayList<>()).add(e);
        first = Math.min(first, e.getEventTime().toEpochMilli());
        last = Math.max(last, e.getEventTime().toEpochMilli());
        if (e.getType() == EventType.JAM) jams++;
      }
    }
    if (byDevice.isEmpty())
      throw new IllegalArgumentException("recorded log " + logDir + " holds no events; record or simulate a log first");
    DataSplit.Plan plan = DataSplit.plan(byDevice.keySet(), first, last, validationFraction, seed);
    FeatureSpec spec = FeatureSpec.fit(trainingEvents(byDevice, plan)).withDeviceWindow(deviceWindow);
    FeatureEncoder enc = new FeatureEncoder(spec);
    int F = spec.size();
    List<TrainingData.Sequence> seqs = new ArrayList<>();
    for (Map.Entry<String, List<ScannerEvent>> d : byDevice.entrySet()) {
      List<ScannerEvent> ev = d.getValue();
      int n = ev.size();
      float[] x = new float[n * F];
      long[] time = new long[n];
      float[] row = new float[F];
      long prev = FeatureEncoder.NO_PREVIOUS;
      double[] dev = new double[enc.deviceStateSize()]; // a fresh device, as the stream starts it
      enc.initDeviceState(dev, 0);
      for (int i = 0; i < n; i++) {
        ScannerEvent e = ev.get(i);
        enc.encode(e, prev, dev, 0, row);
        System.arraycopy(row, 0, x, i * F, F);
        time[i] = e.getEventTime().toEpochMilli();
        prev = time[i];
      }
      byte[] labels = Labeller.label(ev, horizonMillis, last);
      byte[][] extra = null;
      if (!extraHorizonsMillis.isEmpty()) {
        extra = new byte[extraHorizonsMillis.size()][];
        for (int k = 0; k < extra.length; k++) extra[k] = Labeller.label(ev, extraHorizonsMillis.get(k), last);
      }
      seqs.add(new TrainingData.Sequence(d.getKey(), x, time, labels, extra));
    }
    return new Loaded(new TrainingData(spec, F, seqs), fingerprint.hex(), files, jams, plan);
  }

  /** The training part of the plan, device by device, each in time order (as FeatureSpec.fit expects). */
  private static Iterator<ScannerEvent> trainingEvents(Map<String, List<ScannerEvent>> byDevice, DataSplit.Plan plan) {
    List<ScannerEvent> train = new ArrayList<>();
    for (Map.Entry<String, List<ScannerEvent>> d : byDevice.entrySet())
      for (ScannerEvent e : d.getValue())
        if (plan.isTraining(d.getKey(), e.getEventTime().toEpochMilli())) train.add(e);
    if (train.isEmpty())
      throw new IllegalArgumentException("no training events before the validation cut; record a longer log or more devices");
    return train.iterator();
  }
}
