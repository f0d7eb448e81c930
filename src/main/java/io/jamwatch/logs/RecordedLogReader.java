package io.jamwatch.logs;

import io.jamwatch.avro.ScannerEvent;
import java.nio.file.Path;
import java.util.Iterator;

/** TEMPORARY compile-only placeholder of H1's contract (CONTRACTS.md); removed before merging h1. */
public final class RecordedLogReader {
  public interface EventStream extends Iterator<ScannerEvent>, AutoCloseable {
    @Override
    void close();
  }

  public static EventStream open(Path dir) {
    throw new UnsupportedOperationException("placeholder until h1 is merged");
  }
}
