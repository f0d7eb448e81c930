package io.jamwatch.stream;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.onnx.DeviceMemory;
import io.jamwatch.onnx.ScoringModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Scores events offline through ScoringModel (per device, in order): the reference the stream must equal. */
final class OfflineScores {
  private OfflineScores() {}

  static Map<String, Float> of(Path model, List<ScannerEvent> events) {
    Map<String, Float> out = new HashMap<>();
    try (ScoringModel m = ScoringModel.load(model)) {
      Map<String, DeviceMemory> mem = new HashMap<>();
      for (ScannerEvent e : events) {
        DeviceMemory dm = mem.computeIfAbsent(e.getDeviceId(), d -> m.newMemory());
        out.put(e.getEventId(), m.score(e, dm));
      }
    }
    return out;
  }
}
