package io.jamwatch.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import io.jamwatch.logs.RecordedLogWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Simulator} to the end and writes what it produced as a recorded log:
 * {@code Lnn.avro} per line (events in delivery order), {@code jams.csv} ({@link JamTruth}) and
 * {@code sim-config.json} (the exact config, so the log can be regenerated).
 */
public final class SimulatedLog {

  public static final String CONFIG_FILE = "sim-config.json";
  private static final int PROGRESS_EVERY = 20_000;

  /** Called every few thousand events with the counts so far and the last delivered event time. */
  @FunctionalInterface
  public interface Progress {
    void update(SimStats stats, long timeMillis);
  }

  /** What was written. {@code chart} is null until a picture is added. */
  public record Result(Path dir, int files, SimStats stats, List<JamTruth> truth, Path chart) {
    public Result withChart(Path chart) {
      return new Result(dir, files, stats, truth, chart);
    }
  }

  private SimulatedLog() {}

  public static Result write(SimConfig cfg, Path dir, Progress progress) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Simulator sim = new Simulator(cfg);
    Map<String, RecordedLogWriter> writers = new LinkedHashMap<>();
    long n = 0;
    try {
      Iterator<ScannerEvent> it = sim.events();
      while (it.hasNext()) {
        ScannerEvent e = it.next();
        RecordedLogWriter w = writers.get(e.getLineId());
        if (w == null) {
          w = new RecordedLogWriter(dir.resolve(e.getLineId() + ".avro"));
          writers.put(e.getLineId(), w);
        }
        w.write(e);
        if (++n % PROGRESS_EVERY == 0 && progress != null) {
          progress.update(sim.stats(), sim.lastDeliveredMillis());
        }
      }
    } finally {
      RuntimeException failure = null;
      for (RecordedLogWriter w : writers.values()) {
        try {
          w.close();
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
    List<JamTruth> truth = sim.truth();
    JamTruth.write(dir, truth);
    writeConfig(cfg, dir.resolve(CONFIG_FILE));
    return new Result(dir, writers.size(), sim.stats(), new ArrayList<>(truth), null);
  }

  static void writeConfig(SimConfig cfg, Path file) {
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), cfg);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
