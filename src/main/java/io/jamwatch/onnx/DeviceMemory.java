package io.jamwatch.onnx;

/** TEMPORARY compile-only placeholder of H3's contract (CONTRACTS.md); removed before merging h3. */
public final class DeviceMemory {
  public float[] h = new float[0];
  public float[] c = new float[0];
  public float[] pred = new float[0];
  public float[] surprise = new float[0];
  public long lastEventTime;
  public long eventCount;
}
