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

  @Option(names = "--logs", required = true, description = "Folder of recorded *.avro logs.")
  Path logs;

  @Option(names = "--out", required = true, description = "Output CSV file (columns: see README).")
  Path out;

  @Option(names = "--silence-gap", defaultValue = "600000",
      description = "A device silent longer than this (ms, event time) restarts from a fresh state, as in the stream (default: ${DEFAULT-VALUE}).")
  long silenceGapMillis;

  @Override
  public Integer call() throws Exception {
    long total = count(logs);
    StreamConfig.DeviceStatePolicy d = StreamConfig.DeviceStatePolicy.defaults();
    StreamConfig.DeviceStatePolicy policy =
        new StreamConfig.DeviceStatePolicy(silenceGapMillis, d.ttlMillis(), d.recentEventIds(),
            d.punctuateMillis(), d.staleAfterMillis(), d.lineActiveMillis());
    Map<io.jamwatch.scoring.RejectReason, Long> rejected = new java.util.TreeMap<>();
    long n = 0;
    ProgressBar bar = new ProgressBar("score");
    try (ScoringModel m = ScoringModel.load(model);
        RecordedLogReader.EventStream in = RecordedLogReader.open(logs);
        ScoreTableWriter w = new ScoreTableWriter(out)) {
      OfflineScorer scorer = new OfflineScorer(m, policy, StreamConfig.InputChecks.defaults());
      while (in.hasNext()) {
        ScannerEvent e = in.next();
        OfflineScorer.Scored s = scorer.score(e);
        if (s.reject() != null) {
          rejected.merge(s.reject(), 1L, Long::sum);
        }
        w.write(e, s);
        n++;
        if ((n & 1023) == 0) {
          bar.update((double) n / total, n + " events");
        }
      }
      bar.finish(n + " events in " + String.format("%.1f s", bar.elapsedSeconds()));
      System.out.printf("model %s (%s, %s head)%nscored %d events of %s into %s; rejected %s%n", m.modelId(),
          m.metadata().cell(), m.metadata().scoreHead().key(), n - rejected.values().stream().mapToLong(Long::longValue).sum(),
          logs, out, rejected.isEmpty() ? "none" : rejected);
    }
    return 0;
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
