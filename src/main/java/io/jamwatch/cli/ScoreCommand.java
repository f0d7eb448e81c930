package io.jamwatch.cli;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.OfflineScorer;
import io.jamwatch.eval.ScoreTableWriter;
import io.jamwatch.logs.RecordedLogReader;
import io.jamwatch.scoring.ScoringModel;
import io.jamwatch.stream.StreamConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch score}: every event of a recorded log stepped exactly as the stream steps it. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = "Score a recorded log offline through the stream's stepping path; writes a CSV table.")
public final class ScoreCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "Model file (.onnx written by jamwatch train).")
  Path model;

  @Option(names = "--logs", required = true,
      description = "Folder of recorded *.avro logs, or with --input-format json a JSON-lines file.")
  Path logs;

  @picocli.CommandLine.Mixin InputOptions input;

  @picocli.CommandLine.Mixin RuntimeOptions runtime = new RuntimeOptions();

  @Option(names = "--out", required = true, description = "Output CSV file (columns: see README).")
  Path out;

  @Option(names = "--silence-gap", defaultValue = "600000",
      description = "A device silent longer than this (ms, event time) restarts from a fresh state, as in the stream (default: ${DEFAULT-VALUE}).")
  long silenceGapMillis;

  @Override
  public Integer call() throws Exception {
    StreamConfig.DeviceStatePolicy d = StreamConfig.DeviceStatePolicy.defaults();
    StreamConfig.DeviceStatePolicy policy =
        new StreamConfig.DeviceStatePolicy(silenceGapMillis, d.ttlMillis(), d.recentEventIds(),
            d.punctuateMillis(), d.staleAfterMillis(), d.lineActiveMillis());
    io.jamwatch.ingest.IngestConfig in = input.ingest();
    boolean json = in.format() == io.jamwatch.ingest.InputFormat.JSON;
    long total = json ? Math.max(1, java.nio.file.Files.size(logs) / 200) : count(logs);
    // Reasons as the stream names its dead letters: the scorer's rejects and, for JSON lines, the
    // ingest failures (the same names).
    Map<String, Long> rejected = new java.util.TreeMap<>();
    long n = 0;
    long lines = 0;
    ProgressBar bar = new ProgressBar("score");
    try (ScoringModel m = ScoringModel.load(model, runtime.runtime());
        Events events = json ? Events.json(logs, in.mapping()) : Events.avro(logs);
        ScoreTableWriter w = new ScoreTableWriter(out)) {
      OfflineScorer scorer = new OfflineScorer(m, policy, StreamConfig.InputChecks.defaults());
      while (events.hasNext()) {
        lines++;
        io.jamwatch.ingest.JsonLinesReader.Line l = events.next();
        if (l.error() != null) {
          rejected.merge(l.error().failure().name(), 1L, Long::sum);
          continue;
        }
        ScannerEvent e = l.event();
        OfflineScorer.Scored s = scorer.score(e);
        if (s.reject() != null) {
          rejected.merge(s.reject().name(), 1L, Long::sum);
        }
        w.write(e, s);
        n++;
        if ((lines & 1023) == 0) {
          bar.update(Math.min(0.99, (double) lines / total), n + " events");
        }
      }
      bar.finish(n + " events in " + String.format("%.1f s", bar.elapsedSeconds()));
      long bad = rejected.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("model %s (%s, %s head, runtime %s)%nscored %d events of %s into %s; rejected %s%n", m.modelId(),
          m.metadata().cell(), m.metadata().scoreHead().key(), m.runtime().key(), lines - bad,
          logs, out, rejected.isEmpty() ? "none" : rejected);
    }
    return 0;
  }

  /** The events of a recorded log or of a JSON-lines file, with JSON lines that do not map. */
  private interface Events extends java.util.Iterator<io.jamwatch.ingest.JsonLinesReader.Line>, AutoCloseable {
    @Override
    void close() throws Exception;

    static Events avro(Path logs) {
      RecordedLogReader.EventStream s = RecordedLogReader.open(logs);
      long[] i = {0};
      return new Events() {
        public boolean hasNext() {
          return s.hasNext();
        }

        public io.jamwatch.ingest.JsonLinesReader.Line next() {
          return new io.jamwatch.ingest.JsonLinesReader.Line(++i[0], s.next(), null);
        }

        public void close() {
          s.close();
        }
      };
    }

    static Events json(Path file, io.jamwatch.ingest.EventMapping mapping) throws java.io.IOException {
      io.jamwatch.ingest.JsonLinesReader r = new io.jamwatch.ingest.JsonLinesReader(file, mapping);
      return new Events() {
        public boolean hasNext() {
          return r.hasNext();
        }

        public io.jamwatch.ingest.JsonLinesReader.Line next() {
          return r.next();
        }

        public void close() throws java.io.IOException {
          r.close();
        }
      };
    }
  }

  /** Events in the log (a first pass, for the progress bar). */
  static long count(Path logs) throws Exception {
    long n = 0;
    try (RecordedLogReader.EventStream in = RecordedLogReader.open(logs)) {
      while (in.hasNext()) {
        in.next();
        n++;
      }
    }
    return Math.max(1, n);
  }
}
