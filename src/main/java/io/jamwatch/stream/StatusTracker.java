package io.jamwatch.stream;

import java.util.function.Supplier;

/**
 * Turns a detector's counters into a {@link DetectorStatus}, with events/s measured between two
 * consecutive calls (the console ticks it once a second; the page reads the last snapshot).
 */
public final class StatusTracker {
  private final Detector detector;
  private final Supplier<String> modelId;
  private double lastEvents;
  private long lastNanos = System.nanoTime();
  private volatile DetectorStatus last;

  /** {@code modelId}: the model the stream threads score with now (e.g. ReloadingModelProvider::modelsInUse). */
  public StatusTracker(Detector detector, Supplier<String> modelId) {
    this.detector = detector;
    this.modelId = modelId;
    this.last = new DetectorStatus("CREATED", modelId.get(), 0, 0, 0, 0, 0);
  }

  /** Takes a new snapshot; call from one thread at a steady pace. */
  public synchronized DetectorStatus tick() {
    StreamMetrics m = detector.metrics();
    long now = System.nanoTime();
    double events = m.eventsTotal();
    double rate = (events - lastEvents) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastEvents = events;
    lastNanos = now;
    last =
        new DetectorStatus(
            detector.state().name(), modelId.get(), rate, events, m.devicesHeld(), m.openAlerts(),
            m.deadLettersTotal());
    return last;
  }

  public DetectorStatus last() {
    return last;
  }
}
