package io.jamwatch.stream;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.OfflineScorer;
import io.jamwatch.onnx.ModelRuntime;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Scores events with the offline scorer ({@code jamwatch score}'s path): the reference the stream must equal. */
final class OfflineScores {
  private OfflineScores() {}

  static Map<String, Float> of(Path model, List<ScannerEvent> events) {
    return of(model, ModelRuntime.ORT, events);
  }

  /** With the model stepped by {@code runtime}, as the stream's {@code model.runtime} says. */
  static Map<String, Float> of(Path model, ModelRuntime runtime, List<ScannerEvent> events) {
    Map<String, Float> out = new HashMap<>();
    try (ScoringModel m = ScoringModel.load(model, runtime)) {
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
