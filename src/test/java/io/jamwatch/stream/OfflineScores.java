package io.jamwatch.stream;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.OfflineScorer;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Scores events with the offline scorer ({@code jamwatch score}'s path): the reference the stream must equal. */
final class OfflineScores {
  private OfflineScores() {}

  static Map<String, Float> of(Path model, List<ScannerEvent> events) {
    Map<String, Float> out = new HashMap<>();
    try (ScoringModel m = ScoringModel.load(model)) {
      OfflineScorer scorer = new OfflineScorer(m);
      for (ScannerEvent e : events) {
        OfflineScorer.Scored s = scorer.score(e);
        if (s.reject() == null) {
          out.put(e.getEventId(), s.score());
        }
      }
    }
    return out;
  }
}
