package io.jamwatch.stream;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A read cache in front of one task's RocksDB device store, held by the task's processor: the
 * latest state bytes it wrote or read for each device, so that the per-event get does not go
 * through JNI into RocksDB's memtables, filters and blocks (a fifth of the stream thread's time in a
 * profile at 100,000 devices: Kafka Streams flushes the memtables at its checkpoints, so most gets
 * reach the files). Writes go through to the store (and so to its changelog) before the cache, so
 * the store stays the truth; scans are the store's.
 *
 * <p>Why it is coherent: the processor that holds it is the store's only writer while it is open.
 * Kafka Streams restores a store (from the changelog, or as a standby) only while no processor of
 * its task is initialised, and builds a new processor, with a new cache, whenever a task becomes
 * active again (after a rebalance, a revival of a corrupted exactly-once task, a standby's
 * promotion).
 *
 * <p>Garbage: the cache holds its own array per device and copies a rewrite of the same size into
 * it (a state's size changes only while its recent eventIds or pending outcomes grow), and a get
 * returns a copy. Holding the written arrays themselves instead made every write turn a long-lived
 * array into garbage, which the collector had to find in the old generation: the harness JVM's CPU
 * per event rose by about as much as the get saved (BENCHMARKS.md, session 9).
 *
 * <p>What it may hold: devices are admitted until the {@link Budget} shared by every task of the
 * instance is spent (counted as each entry's key, value and map overhead); a device that is not
 * admitted is read from the store as before. Admission, not eviction: a population that fits is
 * served from the heap entirely; one that does not keeps a fixed part of it there, at no cost per
 * event. A deleted device (the sweep's evictions) frees its share.
 */
public final class CachedDeviceStore implements KeyValueStore<String, byte[]> {
  /** The heap a whole instance's caches may use, shared by its tasks. */
  public static final class Budget {
    private final long bytes;
    private final AtomicLong used = new AtomicLong();

    public Budget(long bytes) {
      if (bytes < 0) throw new IllegalArgumentException("read cache size must be >= 0, got " + bytes);
      this.bytes = bytes;
    }

    long bytes() {
      return bytes;
    }

    long used() {
      return used.get();
    }

    boolean take(long n) {
      long u;
      do {
        u = used.get();
        if (u + n > bytes) return false;
      } while (!used.compareAndSet(u, u + n));
      return true;
    }

    void give(long n) {
      used.addAndGet(-n);
    }
  }

  /** Heap charged per cached device beyond its key's chars and its value's bytes (map node, key String, array headers). */
  static final int ENTRY_OVERHEAD = 112;

  private final KeyValueStore<String, byte[]> store;
  private final Budget budget;
  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();
  private long charged;

  private CachedDeviceStore(KeyValueStore<String, byte[]> store, Budget budget) {
    this.store = store;
    this.budget = budget;
  }

  /**
   * {@code store} with a read cache drawing on {@code budget}, or {@code store} itself when there is
   * nothing to cache (no budget, or a budget of 0).
   */
  public static KeyValueStore<String, byte[]> over(KeyValueStore<String, byte[]> store, Budget budget) {
    return budget == null || budget.bytes() == 0 ? store : new CachedDeviceStore(store, budget);
  }

  /** Releases this cache's share of the budget; the processor calls it when its task closes. */
  public static void release(KeyValueStore<String, byte[]> store) {
    if (store instanceof CachedDeviceStore c) c.clear();
  }

  private static long cost(String key, byte[] value) {
    return ENTRY_OVERHEAD + 2L * key.length() + value.length;
  }

  private void remember(String key, byte[] value) {
    if (value == null) {
      forget(key);
      return;
    }
    byte[] held = cache.get(key);
    if (held != null && held.length == value.length) {
      System.arraycopy(value, 0, held, 0, value.length); // the usual case: same size, no garbage
      return;
    }
    long delta = cost(key, value) - (held == null ? 0 : cost(key, held));
    if (delta <= 0 || budget.take(delta)) {
      if (delta <= 0) budget.give(-delta);
      cache.put(key, value.clone());
      charged += delta;
    } else if (held != null) {
      forget(key); // grew past the budget: the store serves it from now on
    }
  }

  private void forget(String key) {
    byte[] old = cache.remove(key);
    if (old != null) {
      long c = cost(key, old);
      budget.give(c);
      charged -= c;
    }
  }

  private void clear() {
    cache.clear();
    budget.give(charged);
    charged = 0;
  }

  /** Devices held on the heap (for tests and gauges). */
  int cachedDevices() {
    return cache.size();
  }

  /**
   * The device's state: a copy of the held array (short-lived, as RocksDB's own get allocates one),
   * or the store's value, which is then admitted if the budget allows.
   */
  @Override
  public byte[] get(String key) {
    byte[] v = cache.get(key);
    if (v != null) return v.clone();
    v = store.get(key);
    if (v != null) remember(key, v);
    return v;
  }

  @Override
  public void put(String key, byte[] value) {
    store.put(key, value);
    remember(key, value);
  }

  @Override
  public byte[] putIfAbsent(String key, byte[] value) {
    byte[] old = store.putIfAbsent(key, value);
    remember(key, old == null ? value : old);
    return old;
  }

  @Override
  public void putAll(List<KeyValue<String, byte[]>> entries) {
    store.putAll(entries);
    for (KeyValue<String, byte[]> kv : entries) remember(kv.key, kv.value);
  }

  @Override
  public byte[] delete(String key) {
    byte[] old = store.delete(key);
    forget(key);
    return old;
  }

  @Override
  public KeyValueIterator<String, byte[]> range(String from, String to) {
    return store.range(from, to);
  }

  @Override
  public KeyValueIterator<String, byte[]> reverseRange(String from, String to) {
    return store.reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<String, byte[]> all() {
    return store.all();
  }

  @Override
  public KeyValueIterator<String, byte[]> reverseAll() {
    return store.reverseAll();
  }

  @Override
  public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<String, byte[]> prefixScan(
      P prefix, PS prefixKeySerializer) {
    return store.prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return store.approximateNumEntries();
  }

  @Override
  public String name() {
    return store.name();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    throw new UnsupportedOperationException("a processor's view of a registered store; Kafka Streams initialises the store itself");
  }

  @Override
  public void flush() {
    store.flush();
  }

  @Override
  public void close() {
    clear(); // the task's store itself is closed by Kafka Streams
  }

  @Override
  public boolean persistent() {
    return store.persistent();
  }

  @Override
  public boolean isOpen() {
    return store.isOpen();
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
    return store.query(query, positionBound, config);
  }

  @Override
  public Position getPosition() {
    return store.getPosition();
  }
}
