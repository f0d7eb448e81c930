package io.jamwatch.ingest;

import io.jamwatch.avro.ScannerEvent;

/** Bytes of one record in some wire format to a ScannerEvent; throws {@link IngestException} on bad input. */
@FunctionalInterface
public interface EventDecoder {
  ScannerEvent decode(byte[] bytes);
}
