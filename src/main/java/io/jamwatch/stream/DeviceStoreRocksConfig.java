package io.jamwatch.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB settings of the device-state store (installed by {@link StreamConfig#streamsProperties()}
 * as {@code rocksdb.config.setter}; a {@code kafka.rocksdb.config.setter} key replaces it). The
 * store holds one small value (a few hundred bytes) per device, read and written once per event by
 * point lookups of keys that almost always exist, and scanned in key order by the sweep:
 *
 * <ul>
 *   <li>one LRU block cache of {@value #CACHE_BYTES} bytes shared by every store instance of the
 *       JVM (the Streams default is 50 MB per task), so memory stays bounded however many
 *       partitions an instance holds;
 *   <li>the index and filter blocks outside that cache, held by the open files (estimated at about
 *       1 % of the store's data, some 5 MB at 1M devices): the sweep scans the whole store through
 *       the cache (Kafka Streams' iterators cannot ask RocksDB not to fill it), and with the index
 *       and filter blocks inside it the scan evicted them, so point lookups read them back;
 *       measured, jamwatch spent 3.6 us less per event on RocksDB with them out of the cache and
 *       the hash index below (BENCHMARKS.md, session 8);
 *   <li>a hash index inside each data block ({@code kDataBlockBinaryAndHash}): a point lookup finds
 *       its key in the block without a binary search;
 *   <li>memtables charged to that cache through one {@link WriteBufferManager} ({@value
 *       #MEMTABLE_BYTES} bytes in all), each memtable {@value #WRITE_BUFFER_BYTES} bytes, at most
 *       3: small values fill a memtable slowly, and a smaller one flushes sooner on commit;
 *   <li>4 KB blocks and a 10-bit Bloom filter per key (point lookups), {@code
 *       optimize_filters_for_hits} (no filter on the last level: a lookup there almost always hits);
 *   <li>LZ4 compression: the recent eventIds and the line id compress, the float state does not,
 *       and LZ4 costs little CPU;
 *   <li>a whole-key Bloom filter in each memtable ({@value #MEMTABLE_BLOOM_RATIO} of its size): a
 *       lookup checks the active and the immutable memtables before the files, and with many
 *       devices the key is in none of them most of the time; without the filter each check walks a
 *       skip list (the largest single item in a profile of the store's get).
 * </ul>
 *
 * See the Kafka Streams memory-management guide ("BoundedMemoryRocksDBConfig") and the RocksDB
 * tuning guide. Measured with {@code bench scale} (BENCHMARKS.md); Bloom filters on every level
 * and a 256 MB cache were tried side by side on a store filling with new devices and did no better.
 */
public final class DeviceStoreRocksConfig implements RocksDBConfigSetter {
  static final long CACHE_BYTES = 128L << 20;
  static final long MEMTABLE_BYTES = 64L << 20;
  static final long WRITE_BUFFER_BYTES = 16L << 20;
  static final double MEMTABLE_BLOOM_RATIO = 0.1;

  /**
   * One cache and one memtable budget per JVM by design (the documented pattern): never closed,
   * they live as long as the process. A holder class, so that they are built in the first
   * setConfig, after Kafka Streams has loaded the RocksDB native library.
   */
  private static final class Shared {
    static final Cache CACHE = new LRUCache(CACHE_BYTES, -1, false, 0.1);
    static final WriteBufferManager MEMTABLES = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
  }

  private BloomFilter filter;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(Shared.CACHE);
    table.setCacheIndexAndFilterBlocks(false);
    table.setBlockSize(4096);
    table.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
    table.setDataBlockHashTableUtilRatio(0.75);
    filter = new BloomFilter(10, false);
    table.setFilterPolicy(filter);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(Shared.MEMTABLES);
    options.setWriteBufferSize(WRITE_BUFFER_BYTES);
    options.setMaxWriteBufferNumber(3);
    options.setOptimizeFiltersForHits(true);
    options.setCompressionType(CompressionType.LZ4_COMPRESSION);
    options.setMemtableWholeKeyFiltering(true);
    options.setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO);
  }

  @Override
  public void close(String storeName, Options options) {
    if (filter != null) {
      filter.close();
    }
  }
}
