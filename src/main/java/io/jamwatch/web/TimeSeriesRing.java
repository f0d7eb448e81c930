package io.jamwatch.web;

/**
 * A bounded, time-ordered series of (event time, value) points of one device: a ring of primitive
 * arrays, so an hour of history for thousands of devices costs a few MB and no boxing.
 *
 * <p>Points whose times fall in the same bucket are merged, so the whole window fits in the
 * capacity whatever the event rate: risk keeps the maximum of a bucket (a short spike must stay
 * visible when zoomed out), readings keep the latest value. A point older than the newest one is
 * merged into the newest bucket rather than breaking the order.
 */
final class TimeSeriesRing {

  /** How points falling into one bucket combine. */
  enum Merge { MAX, LATEST }

  private final long[] times;
  private final float[] values;
  private final long bucketMillis;
  private final Merge merge;
  private int head;
  private int size;

  TimeSeriesRing(int capacity, long bucketMillis, Merge merge) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    if (bucketMillis < 1) throw new IllegalArgumentException("bucketMillis must be >= 1, got " + bucketMillis);
    this.times = new long[capacity];
    this.values = new float[capacity];
    this.bucketMillis = bucketMillis;
    this.merge = merge;
  }

  void add(long time, float value) {
    if (size > 0) {
      int last = index(size - 1);
      long lastTime = times[last];
      if (time < lastTime || Math.floorDiv(time, bucketMillis) == Math.floorDiv(lastTime, bucketMillis)) {
        values[last] = merge == Merge.MAX ? Math.max(values[last], value) : value;
        times[last] = Math.max(lastTime, time);
        return;
      }
    }
    if (size == times.length) {
      head = (head + 1) % times.length;
      size--;
    }
    int at = index(size);
    times[at] = time;
    values[at] = value;
    size++;
  }

  /** Drops every point older than {@code cutoff}. */
  void evictBefore(long cutoff) {
    while (size > 0 && times[head] < cutoff) {
      head = (head + 1) % times.length;
      size--;
    }
  }

  int size() {
    return size;
  }

  Series snapshot() {
    long[] t = new long[size];
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      t[i] = times[index(i)];
      v[i] = values[index(i)];
    }
    return new Series(t, v);
  }

  private int index(int i) {
    return (head + i) % times.length;
  }
}
