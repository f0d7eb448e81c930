package io.jamwatch.onnx;

import io.jamwatch.avro.ScannerEvent;
import java.nio.file.Path;

/** TEMPORARY compile-only placeholder of H3's contract (CONTRACTS.md); removed before merging h3. */
public final class ScoringModel implements AutoCloseable {
  public static ScoringModel load(Path onnx) {
    throw new UnsupportedOperationException("placeholder until h3 is merged");
  }

  public String modelId() {
    throw new UnsupportedOperationException();
  }

  public DeviceMemory newMemory() {
    throw new UnsupportedOperationException();
  }

  public float score(ScannerEvent e, DeviceMemory m) {
    throw new UnsupportedOperationException();
  }

  public boolean warming(DeviceMemory m) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
