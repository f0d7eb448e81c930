package io.jamwatch.eval.nab;

import java.util.List;

/**
 * One NAB data file: its rows in file order and its labelled anomaly windows.
 *
 * @param relPath path relative to the corpus {@code data/} folder, e.g. {@code realTweets/x.csv}
 * @param timestamps epoch millis (UTC) of every row, in file order
 * @param values the {@code value} column
 * @param windows anomaly windows from {@code combined_windows.json}, both ends inclusive
 */
public record NabSeries(String relPath, long[] timestamps, double[] values, List<Window> windows) {

  public NabSeries {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          relPath + ": " + timestamps.length + " timestamps but " + values.length + " values");
    }
    windows = List.copyOf(windows);
  }

  /** An anomaly window [start, end], both inclusive, as epoch millis. */
  public record Window(long start, long end) {
    public Window {
      if (end < start) {
        throw new IllegalArgumentException("window end " + end + " before start " + start);
      }
    }
  }

  public int size() {
    return timestamps.length;
  }
}
