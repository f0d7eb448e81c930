package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import java.util.List;

/** A detector that can also fit on other sequences (e.g. SKAB's anomaly-free.csv) before its own. */
public interface PretrainableDetector extends SeriesDetector {
  SeriesDetector.Scorer fit(List<ScannerEvent> own, List<List<ScannerEvent>> pretrain) throws Exception;
}
