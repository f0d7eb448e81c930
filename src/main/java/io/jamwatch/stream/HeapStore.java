package io.jamwatch.stream;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code state.store=memory} device store on the heap (changelogged by the builder's logging
 * layer like any store, restored from the changelog on start): a hash map holds the values, so the
 * per-event get and put cost O(1), and a sorted set of the keys, touched only when a device is
 * added or removed, serves range and full scans by walking it. Kafka Streams' own in-memory store
 * copies the remaining key set into a new tree on every {@code range()}/{@code all()} (so that an
 * open iterator survives concurrent writes), which makes every sweep slice cost O(devices) before
 * its first entry; a {@link ConcurrentSkipListSet}'s views are weakly consistent instead (an
 * iterator sees the set as it changes, never throws), so a slice costs O(log devices + its own
 * entries), and a key removed meanwhile is skipped. The sweep writes only after closing its
 * iterator ({@link StoreSweep}), so nothing it relies on changes underneath.
 *
 * <p>Keys order as Kafka's {@link Bytes} compare (unsigned lexicographic), the same as RocksDB's and
 * the in-memory store's, so a sweep visits devices in the same order whatever the store kind.
 */
final class HeapStore implements KeyValueStore<Bytes, byte[]> {
  private final String name;
  private final ConcurrentHashMap<Bytes, byte[]> map = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Bytes> keys = new ConcurrentSkipListSet<>();
  private final Position position = Position.emptyPosition();
  private StateStoreContext context;
  private volatile boolean open;

  HeapStore(String name) {
    this.name = name;
  }

  /** A supplier for {@code Stores.keyValueStoreBuilder}. */
  static KeyValueBytesStoreSupplier supplier(String name) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new HeapStore(name);
      }

      @Override
      public String metricsScope() {
        return "in-memory";
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    this.context = context;
    context.register(root, (key, value) -> {
      // the changelog's records, in order: a null value is a delete (tombstone)
      write(Bytes.wrap(key), value);
    });
    open = true;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Position getPosition() {
    return position;
  }

  /** Where the record being processed came from, as Kafka's stores track it for their changelog. */
  private void track() {
    if (context != null) {
      context.recordMetadata().ifPresent(m -> {
        if (m.topic() != null) {
          position.withComponent(m.topic(), m.partition(), m.offset());
        }
      });
    }
  }

  @Override
  public byte[] get(Bytes key) {
    return map.get(key);
  }

  @Override
  public void put(Bytes key, byte[] value) {
    write(key, value);
    track();
  }

  /** Puts, or removes for a null value; returns the previous value. */
  private byte[] write(Bytes key, byte[] value) {
    byte[] old = value == null ? map.remove(key) : map.put(key, value);
    if (old == null && value != null) {
      keys.add(key);
    } else if (old != null && value == null) {
      keys.remove(key);
    }
    return old;
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = map.get(key);
    if (old == null) {
      put(key, value);
    }
    return old;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    for (KeyValue<Bytes, byte[]> e : entries) {
      put(e.key, e.value);
    }
  }

  @Override
  public byte[] delete(Bytes key) {
    byte[] old = write(key, null);
    track();
    return old;
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return iterate(view(from, to));
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return iterate(view(from, to).descendingSet());
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return iterate(keys);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return iterate(keys.descendingSet());
  }

  /** Both bounds inclusive, either may be null (open); an empty range when from > to, as Kafka's stores give. */
  private NavigableSet<Bytes> view(Bytes from, Bytes to) {
    if (from != null && to != null && from.compareTo(to) > 0) {
      return new ConcurrentSkipListSet<>();
    }
    if (from == null && to == null) return keys;
    if (from == null) return keys.headSet(to, true);
    if (to == null) return keys.tailSet(from, true);
    return keys.subSet(from, true, to, true);
  }

  /** The keys in order with their current values; a key whose value is gone meanwhile is skipped. */
  private KeyValueIterator<Bytes, byte[]> iterate(NavigableSet<Bytes> view) {
    Iterator<Bytes> it = view.iterator();
    return new KeyValueIterator<>() {
      private KeyValue<Bytes, byte[]> next;

      @Override
      public boolean hasNext() {
        while (next == null && it.hasNext()) {
          Bytes k = it.next();
          byte[] v = map.get(k);
          if (v != null) next = KeyValue.pair(k, v);
        }
        return next != null;
      }

      @Override
      public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) throw new NoSuchElementException();
        KeyValue<Bytes, byte[]> kv = next;
        next = null;
        return kv;
      }

      @Override
      public Bytes peekNextKey() {
        if (!hasNext()) throw new NoSuchElementException();
        return next.key;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public long approximateNumEntries() {
    return map.size(); // the hash map's count, not the key set's (ConcurrentSkipListSet.size() walks it)
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    map.clear();
    keys.clear();
    open = false;
  }
}
