package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The heap store answers every read as Kafka Streams' own in-memory store does, after the same writes. */
class HeapStoreTest {
  private final SplittableRandom rnd = new SplittableRandom(5);

  private Bytes key() {
    // short keys over a few byte values, including bytes >= 0x80 (unsigned order) and empty keys
    byte[] k = new byte[rnd.nextInt(4)];
    for (int i = 0; i < k.length; i++) k[i] = (byte) (rnd.nextBoolean() ? 'a' + rnd.nextInt(3) : 0xf0 + rnd.nextInt(2));
    return Bytes.wrap(k);
  }

  private static List<String> drain(KeyValueIterator<Bytes, byte[]> it) {
    List<String> out = new ArrayList<>();
    try (it) {
      while (it.hasNext()) {
        Bytes peek = it.peekNextKey();
        KeyValue<Bytes, byte[]> kv = it.next();
        assertEquals(peek, kv.key);
        out.add(kv.key + "=" + new String(kv.value));
      }
    }
    return out;
  }

  @Test
  void answersAsKafkasInMemoryStoreAfterTheSameWrites() {
    KeyValueStore<Bytes, byte[]> ours = new HeapStore("s");
    KeyValueStore<Bytes, byte[]> kafka = Stores.inMemoryKeyValueStore("s").get();
    for (int op = 0; op < 20_000; op++) {
      Bytes k = key();
      byte[] v = ("v" + op).getBytes();
      switch (rnd.nextInt(6)) {
        case 0, 1 -> {
          ours.put(k, v);
          kafka.put(k, v);
        }
        case 2 -> assertArrayEquals(kafka.delete(k), ours.delete(k));
        case 3 -> assertArrayEquals(kafka.putIfAbsent(k, v), ours.putIfAbsent(k, v));
        case 4 -> {
          ours.put(k, null);
          kafka.put(k, null);
        }
        default -> {
          Bytes from = rnd.nextInt(5) == 0 ? null : key();
          Bytes to = rnd.nextInt(5) == 0 ? null : key();
          assertEquals(drain(kafka.range(from, to)), drain(ours.range(from, to)), "range " + from + " " + to);
          assertEquals(drain(kafka.reverseRange(from, to)), drain(ours.reverseRange(from, to)));
        }
      }
      assertArrayEquals(kafka.get(k), ours.get(k));
      assertEquals(kafka.approximateNumEntries(), ours.approximateNumEntries());
    }
    assertEquals(drain(kafka.all()), drain(ours.all()));
    assertEquals(drain(kafka.reverseAll()), drain(ours.reverseAll()));
    assertFalse(ours.persistent());
  }

  @Test
  void restoresFromTheChangelogRecordsItIsGiven() {
    HeapStore store = new HeapStore("s");
    StateRestoreCallback[] registered = new StateRestoreCallback[1];
    // The only context call a store makes in init is register(): a proxy answers it.
    StateStoreContext context = (StateStoreContext) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {StateStoreContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("register")) {
            registered[0] = (StateRestoreCallback) args[1];
            return null;
          }
          if (method.getName().equals("recordMetadata")) return java.util.Optional.empty();
          throw new UnsupportedOperationException(method.getName());
        });
    store.init(context, store);
    assertTrue(store.isOpen());
    registered[0].restore("d1".getBytes(), "a".getBytes());
    registered[0].restore("d2".getBytes(), "b".getBytes());
    registered[0].restore("d1".getBytes(), "c".getBytes()); // a later state of d1
    registered[0].restore("d2".getBytes(), null); // tombstone: d2 evicted
    registered[0].restore("d3".getBytes(), "e".getBytes());
    assertEquals(List.of("d1=c", "d3=e"), drain(store.all()));
    assertEquals(2, store.approximateNumEntries());
    store.put(Bytes.wrap("d0".getBytes()), "f".getBytes()); // a put outside a record: nothing to track
    assertEquals(List.of("d0=f", "d1=c", "d3=e"), drain(store.all()));
    store.close();
    assertFalse(store.isOpen());
  }

  @Test
  void anOpenScanSurvivesWritesAndSeesTheMapAsItIs() {
    KeyValueStore<Bytes, byte[]> ours = new HeapStore("s");
    for (char c = 'a'; c <= 'e'; c++) ours.put(Bytes.wrap(new byte[] {(byte) c}), new byte[] {1});
    List<String> seen = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = ours.all()) {
      seen.add(it.next().key.toString());
      ours.delete(Bytes.wrap(new byte[] {'c'}));
      ours.put(Bytes.wrap(new byte[] {'z'}), new byte[] {2});
      while (it.hasNext()) seen.add(it.next().key.toString());
    }
    assertEquals(List.of("a", "b", "d", "e", "z"), seen);
  }
}
