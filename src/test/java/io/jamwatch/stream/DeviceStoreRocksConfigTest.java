package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class DeviceStoreRocksConfigTest {
  @Test
  void theSetterTunesTheStoreForPointLookupsOfSmallValues() {
    RocksDB.loadLibrary();
    DeviceStoreRocksConfig setter = new DeviceStoreRocksConfig();
    try (Options o = new Options()) {
      o.setTableFormatConfig(new BlockBasedTableConfig());
      setter.setConfig("device-state", o, Map.of());
      assertEquals(CompressionType.LZ4_COMPRESSION, o.compressionType());
      assertEquals(DeviceStoreRocksConfig.WRITE_BUFFER_BYTES, o.writeBufferSize());
      assertEquals(3, o.maxWriteBufferNumber());
      assertTrue(o.optimizeFiltersForHits());
      assertTrue(o.memtableWholeKeyFiltering());
      assertEquals(DeviceStoreRocksConfig.MEMTABLE_BLOOM_RATIO, o.memtablePrefixBloomSizeRatio());
      BlockBasedTableConfig table = (BlockBasedTableConfig) o.tableFormatConfig();
      assertEquals(4096, table.blockSize());
      assertFalse(table.cacheIndexAndFilterBlocks(), "the sweep's scans must not evict index and filter blocks");
      assertEquals(DataBlockIndexType.kDataBlockBinaryAndHash, table.dataBlockIndexType());
      setter.close("device-state", o);
    }
  }
}
