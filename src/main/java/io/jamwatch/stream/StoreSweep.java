package io.jamwatch.stream;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Walks a key-value store in bounded slices, one slice per call, so that a sweep over a million
 * devices never stalls the stream thread: a slice stops after {@code batch} entries or once {@code
 * budgetNanos} of wall time have passed (checked every 16 entries), whichever comes first. The
 * position is the last key visited, kept in this object (a moved task starts a new cycle from the
 * first key, which is harmless); the next slice resumes with a range scan from it, so nothing is
 * held open between punctuations and entries deleted meanwhile are simply not seen.
 *
 * <p>A cycle is one pass over the whole store; a new cycle starts at most every {@code
 * periodMillis} (wall clock), so a store that fits in one slice is swept exactly as before: once
 * per period, in one go.
 *
 * <p>The visitor may also end a slice (by returning false), e.g. once it has collected as many
 * writes as the caller will make after the slice: those writes happen outside the time budget.
 */
final class StoreSweep<V> {
  /** What a slice does with each entry; false ends the slice after this entry. */
  interface Visitor<V> {
    boolean visit(String key, V value);
  }

  private final int batch;
  private final long budgetNanos;
  private final long periodMillis;
  private String position; // last key visited in the running cycle; null: from the first key
  private boolean running;
  private long cycleStart;
  private boolean started;
  private int lastSliceSize;

  StoreSweep(int batch, long budgetNanos, long periodMillis) {
    this.batch = batch;
    this.budgetNanos = budgetNanos;
    this.periodMillis = periodMillis;
  }

  /**
   * Visits the next slice of {@code store} (or nothing, when no cycle is running and the next is
   * not yet due). Returns true when this call finished a cycle. The visitor must not write to the
   * store (collect, then write after this returns): the iterator is open while it runs.
   */
  boolean slice(KeyValueStore<String, V> store, long now, Visitor<V> visitor) {
    lastSliceSize = 0;
    if (!running) {
      if (started && now - cycleStart < periodMillis) {
        return false;
      }
      running = true;
      started = true;
      cycleStart = now;
      position = null;
    }
    long deadline = System.nanoTime() + budgetNanos;
    int n = 0;
    try (KeyValueIterator<String, V> it = position == null ? store.all() : store.range(position, null)) {
      while (it.hasNext()) {
        KeyValue<String, V> kv = it.next();
        if (kv.key.equals(position)) {
          continue; // the range is inclusive: visited in the previous slice
        }
        boolean more = visitor.visit(kv.key, kv.value);
        position = kv.key;
        n++;
        if (!more || n >= batch || ((n & 15) == 0 && System.nanoTime() >= deadline)) {
          lastSliceSize = n;
          return false;
        }
      }
    }
    lastSliceSize = n;
    running = false;
    position = null;
    return true;
  }

  /** Entries visited by the last call. */
  int lastSliceSize() {
    return lastSliceSize;
  }

  /** Wall-clock period between ticks: often enough that a long cycle advances steadily. */
  static long tickMillis(long periodMillis) {
    return Math.min(periodMillis, 100);
  }
}
