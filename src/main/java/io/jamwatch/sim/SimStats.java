package io.jamwatch.sim;

import io.jamwatch.avro.EventType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts of what a {@link Simulator} emitted so far (delivered events only: nothing past the end).
 * Mutable, owned by one simulator; {@link #snapshot()} for a copy.
 */
public final class SimStats {
  private long events;
  private long packages;
  private long duplicates;
  private long lateDeliveries;
  private final EnumMap<EventType, Long> byType = new EnumMap<>(EventType.class);
  private final EnumMap<Mechanism, Long> jams = new EnumMap<>(Mechanism.class);

  SimStats() {
    for (EventType t : EventType.values()) {
      byType.put(t, 0L);
    }
    for (Mechanism m : Mechanism.values()) {
      jams.put(m, 0L);
    }
  }

  void countEvent(EventType type, boolean firstScannerOfLine, boolean duplicate, boolean late) {
    events++;
    byType.merge(type, 1L, Long::sum);
    if (duplicate) {
      duplicates++;
    } else if (firstScannerOfLine && (type == EventType.PACKAGE_SCANNED || type == EventType.NO_READ)) {
      packages++;
    }
    if (late) {
      lateDeliveries++;
    }
  }

  void countJam(Mechanism m) {
    jams.merge(m, 1L, Long::sum);
  }

  public long events() {
    return events;
  }

  /** Packages that entered a line (seen, or not read, at its first scanner). */
  public long packages() {
    return packages;
  }

  public long duplicates() {
    return duplicates;
  }

  public long lateDeliveries() {
    return lateDeliveries;
  }

  public long count(EventType type) {
    return byType.get(type);
  }

  public long jams(Mechanism m) {
    return jams.get(m);
  }

  public long jams() {
    return jams.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<Mechanism, Long> jamsByMechanism() {
    return Map.copyOf(jams);
  }

  public SimStats snapshot() {
    SimStats s = new SimStats();
    s.events = events;
    s.packages = packages;
    s.duplicates = duplicates;
    s.lateDeliveries = lateDeliveries;
    s.byType.putAll(byType);
    s.jams.putAll(jams);
    return s;
  }
}
