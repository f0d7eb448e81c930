package io.jamwatch.eval.bench;

import io.jamwatch.avro.ScannerEvent;
import java.util.List;

/**
 * A detector for one benchmark series (one device): fitted on a training prefix of that series
 * only, then scoring its events one at a time, each from the past alone.
 */
public interface SeriesDetector {

  /** Short name used in reports and NAB result folders. */
  String name();

  /** What the fit used, for the report (e.g. "GRU H=16, 30 epochs on the first 400 rows"). */
  String describe();

  /**
   * Fits on the training events (one device, time order). The returned scorer starts from a fresh
   * state: the caller streams the series from its first event, training rows included.
   */
  Scorer fit(List<ScannerEvent> training) throws Exception;

  /** Scores events of one device in time order. */
  interface Scorer extends AutoCloseable {
    /** Score of {@code e} in [0, 1], from this and earlier events only. */
    float score(ScannerEvent e) throws Exception;

    /** True while the scorer has not seen enough events to judge (its alarm is then 0). */
    boolean warming();

    @Override
    default void close() throws Exception {}
  }
}
