package io.jamwatch.web;

import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The dashboard's in-memory picture of the plant, built from the jam-risk, jam-alerts and
 * (optionally) scanner-events topics: per device its current risk, warming and STALE markers, a
 * bounded history of risk and readings over the configured window, and its alert spans; per plant
 * the open alerts and the most recently cleared ones.
 *
 * <p>Memory is bounded: at most {@code maxDevices} devices, each series at most
 * {@code maxPointsPerSeries} points (see {@link TimeSeriesRing}), and the window is counted back
 * from each device's newest event time (not the wall clock, so a replay of an old log shows its
 * own last hour). Thread-safe: the Kafka feed writes, HTTP handlers read snapshots; a version
 * counter lets the live stream wait for changes instead of polling.
 */
public final class DashboardView {

  private final DashboardConfig config;
  private final long windowMillis;
  private final Map<String, Device> devices = new HashMap<>();
  private final Map<String, AlertView> open = new HashMap<>();
  private final ArrayDeque<AlertView> cleared = new ArrayDeque<>();
  /** Outcomes by "device@raisedAt", oldest first (bounded), so a CLEARED read after its OUTCOME shows it. */
  private final java.util.LinkedHashMap<String, Outcome> outcomes = new java.util.LinkedHashMap<>();
  /** Per line: {jam followed, no jam} of the outcomes on {@link #tallyDay} (UTC day of event time). */
  private final java.util.TreeMap<String, long[]> tally = new java.util.TreeMap<>();
  private long tallyDay = Long.MIN_VALUE;
  private long version;
  private boolean live;
  private long untrackedDevices;
  private long invalidValues;

  public DashboardView(DashboardConfig config) {
    this.config = config;
    this.windowMillis = config.history().toMillis();
  }

  /** One JamRiskScore: the device's current risk, its warming marker, and a history point. */
  public synchronized void onRisk(JamRiskScore s) {
    Device d = device(s.getDeviceId(), s.getLineId());
    if (d == null) return;
    float score = s.getScore();
    if (!Float.isFinite(score)) {
      invalidValues++;
      return;
    }
    d.score = score;
    d.hasScore = true;
    d.warming = s.getWarming();
    d.eventCount = s.getEventCount();
    d.modelId = s.getModelId();
    // A fresh score means the device is talking again.
    if (live) d.stale = false;
    d.advance(s.getEventTime().toEpochMilli());
    d.risk.add(s.getEventTime().toEpochMilli(), score);
    AlertView a = open.get(d.deviceId);
    if (a != null && score > a.peak()) {
      // The peak of an open alert is the highest score since it was raised.
      open.put(d.deviceId, a.withPeak(score));
      d.raisePeak(score);
    }
    d.evict(windowMillis);
    changed();
  }

  /** One ScannerEvent: its readings become history points of the device. */
  public synchronized void onEvent(ScannerEvent e) {
    Device d = device(e.getDeviceId(), e.getLineId());
    if (d == null) return;
    d.advance(e.getEventTime().toEpochMilli());
    for (Map.Entry<String, Float> r : e.getReadings().entrySet()) {
      Float v = r.getValue();
      if (v == null || !Float.isFinite(v)) {
        // The stream dead-letters such events; the picture simply leaves the point out.
        invalidValues++;
        continue;
      }
      d.readings
          .computeIfAbsent(r.getKey(), k -> new TimeSeriesRing(config.maxPointsPerSeries(),
              config.bucketMillis(), TimeSeriesRing.Merge.LATEST))
          .add(e.getEventTime().toEpochMilli(), v);
    }
    d.evict(windowMillis);
    changed();
  }

  /** One alert transition: RAISED opens, CLEARED closes (into the recent list), STALE marks. */
  public synchronized void onAlert(JamAlert a) {
    Device d = device(a.getDeviceId(), a.getLineId());
    if (d == null) return;
    List<Reason> reasons = reasons(a);
    switch (a.getKind()) {
      case RAISED -> {
        AlertView v = new AlertView(a.getDeviceId(), a.getLineId(), a.getRaisedAt().toEpochMilli(), null,
            finite(a.getScore()), finite(a.getPeakScore()), 0L, a.getModelId(), reasons, null, a.getHorizonMillis());
        open.put(a.getDeviceId(), v);
        d.spans.add(new Span(a.getRaisedAt().toEpochMilli(), null, finite(a.getPeakScore())));
      }
      case CLEARED -> {
        AlertView was = open.remove(a.getDeviceId());
        List<Reason> why = was != null && reasons.isEmpty() ? was.reasons() : reasons;
        long raisedAt = a.getRaisedAt().toEpochMilli();
        AlertView v = new AlertView(a.getDeviceId(), a.getLineId(), raisedAt, a.getTime().toEpochMilli(),
            finite(a.getScore()), finite(a.getPeakScore()), a.getDurationMillis(), a.getModelId(), why,
            outcomes.get(a.getDeviceId() + "@" + raisedAt), was != null && was.raisedAt() == raisedAt ? was.horizonMillis() : 0L);
        cleared.addFirst(v);
        // Partitions are read interleaved, so clears arrive roughly, not strictly, in time order:
        // drop the one cleared longest ago.
        while (cleared.size() > config.maxClearedAlerts()) {
          cleared.remove(java.util.Collections.min(cleared, Comparator.comparingLong(AlertView::clearedAt)));
        }
        closeSpan(d, a.getRaisedAt().toEpochMilli(), a.getTime().toEpochMilli(), finite(a.getPeakScore()));
      }
      case STALE -> {
        // While catching up, the STALE may be read before the device's last scores (another
        // topic): hold it until live, so those older scores cannot clear it.
        if (live) d.stale = true;
        else d.stalePending = true;
      }
      case OUTCOME -> onOutcome(a);
      default -> {
        // UNKNOWN: a symbol from a newer schema; nothing to show for it.
      }
    }
    d.evict(windowMillis);
    changed();
  }

  /**
   * An alert's outcome (a jam followed within the horizon, or none): attached to the alert it
   * belongs to (device and raise time), whether it is still open, already cleared, or clears later
   * (the jam usually comes while the alert is open), and counted in its line's tally of the day.
   */
  private void onOutcome(JamAlert a) {
    if (a.getOutcome() == null) return;
    long raisedAt = a.getRaisedAt().toEpochMilli();
    Outcome o = new Outcome(a.getOutcome().getJamFollowed(),
        a.getOutcome().getJamFollowed() ? a.getOutcome().getLeadMillis() : null, a.getOutcome().getHorizonMillis());
    String key = a.getDeviceId() + "@" + raisedAt;
    if (outcomes.put(key, o) != null) return; // a replayed record: counted once
    while (outcomes.size() > 4 * config.maxClearedAlerts() + 64) {
      outcomes.remove(outcomes.keySet().iterator().next());
    }
    AlertView was = open.get(a.getDeviceId());
    if (was != null && was.raisedAt() == raisedAt) open.put(a.getDeviceId(), was.withOutcome(o));
    List<AlertView> now = new ArrayList<>(cleared);
    cleared.clear();
    for (AlertView v : now) {
      cleared.addLast(v.deviceId().equals(a.getDeviceId()) && v.raisedAt() == raisedAt ? v.withOutcome(o) : v);
    }
    long day = Math.floorDiv(a.getTime().toEpochMilli(), 86_400_000L);
    if (day > tallyDay) {
      tallyDay = day;
      tally.clear();
    }
    if (day == tallyDay) {
      long[] c = tally.computeIfAbsent(a.getLineId(), l -> new long[2]);
      c[o.jamFollowed() ? 0 : 1]++;
    }
  }

  /**
   * The feed has read everything that was on the topics when it started: from now on records are
   * new, so a STALE read while catching up takes effect and later scores clear it.
   */
  public synchronized void markLive() {
    if (live) return;
    live = true;
    for (Device d : devices.values()) {
      if (d.stalePending) d.stale = true;
      d.stalePending = false;
    }
    changed();
  }

  public synchronized boolean live() {
    return live;
  }

  /** Every line with its devices in id order, lines in id order. */
  public synchronized List<LineView> lines() {
    Map<String, List<Tile>> byLine = new TreeMap<>();
    for (Device d : devices.values()) {
      byLine.computeIfAbsent(d.lineId, k -> new ArrayList<>()).add(d.tile());
    }
    List<LineView> out = new ArrayList<>(byLine.size());
    for (Map.Entry<String, List<Tile>> e : byLine.entrySet()) {
      e.getValue().sort(Comparator.comparing(Tile::deviceId));
      out.add(new LineView(e.getKey(), List.copyOf(e.getValue())));
    }
    return out;
  }

  /** Every device's tile, in device-id order. */
  public synchronized List<Tile> devices() {
    List<Tile> out = new ArrayList<>(devices.size());
    for (Device d : devices.values()) out.add(d.tile());
    out.sort(Comparator.comparing(Tile::deviceId));
    return out;
  }

  /** One device's history over the window, or empty for a device never seen. */
  public synchronized Optional<History> history(String deviceId) {
    Device d = devices.get(deviceId);
    if (d == null) return Optional.empty();
    Map<String, Series> readings = new TreeMap<>();
    d.readings.forEach((k, v) -> readings.put(k, v.snapshot()));
    return Optional.of(new History(d.tile(), d.newestTime - windowMillis, d.newestTime,
        d.risk.snapshot(), readings, List.copyOf(d.spans)));
  }

  /** Open alerts (most recently raised first) and recently cleared ones (most recent first). */
  public synchronized Alerts alerts() {
    List<AlertView> o = new ArrayList<>(open.values());
    o.sort(Comparator.comparingLong(AlertView::raisedAt).reversed().thenComparing(AlertView::deviceId));
    List<AlertView> c = new ArrayList<>(cleared);
    c.sort(Comparator.comparingLong(AlertView::clearedAt).reversed().thenComparing(AlertView::deviceId));
    List<LineTally> t = new ArrayList<>();
    tally.forEach((line, n) -> t.add(new LineTally(line, tallyDay * 86_400_000L, n[0], n[1])));
    return new Alerts(o, List.copyOf(c), t);
  }

  /** Counters for the status endpoint. */
  public synchronized Status status() {
    return new Status(devices.size(), open.size(), untrackedDevices, invalidValues, version);
  }

  /** Monotonic count of changes, for the live stream. */
  public synchronized long version() {
    return version;
  }

  /**
   * Waits until the version differs from {@code seen} or the timeout passes; returns the version.
   */
  public synchronized long awaitChange(long seen, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    long left = timeoutMillis;
    while (version == seen && left > 0) {
      wait(left);
      left = deadline - System.currentTimeMillis();
    }
    return version;
  }

  private void changed() {
    version++;
    notifyAll();
  }

  private Device device(String deviceId, String lineId) {
    Device d = devices.get(deviceId);
    if (d != null) {
      if (lineId != null && !lineId.isEmpty()) d.lineId = lineId;
      return d;
    }
    if (devices.size() >= config.maxDevices()) {
      untrackedDevices++;
      return null;
    }
    d = new Device(deviceId, lineId == null || lineId.isEmpty() ? "?" : lineId, config);
    devices.put(deviceId, d);
    return d;
  }

  private static void closeSpan(Device d, long raisedAt, long clearedAt, float peak) {
    for (int i = d.spans.size() - 1; i >= 0; i--) {
      Span s = d.spans.get(i);
      if (s.clearedAt() == null && s.raisedAt() == raisedAt) {
        d.spans.set(i, new Span(raisedAt, clearedAt, peak));
        return;
      }
    }
    d.spans.add(new Span(raisedAt, clearedAt, peak));
  }

  private static List<Reason> reasons(JamAlert a) {
    List<AlertReason> rs = a.getReasons();
    if (rs == null || rs.isEmpty()) return List.of();
    List<Reason> out = new ArrayList<>(rs.size());
    for (AlertReason r : rs) out.add(new Reason(r.getGroup(), finite(r.getDrop())));
    return List.copyOf(out);
  }

  private static float finite(float f) {
    return Float.isFinite(f) ? f : 0f;
  }

  private static final class Device {
    final String deviceId;
    String lineId;
    float score;
    boolean hasScore;
    boolean warming;
    boolean stale;
    boolean stalePending;
    long eventCount;
    String modelId = "";
    long newestTime = Long.MIN_VALUE;
    final TimeSeriesRing risk;
    final Map<String, TimeSeriesRing> readings = new TreeMap<>();
    final List<Span> spans = new ArrayList<>();

    Device(String deviceId, String lineId, DashboardConfig c) {
      this.deviceId = deviceId;
      this.lineId = lineId;
      this.risk = new TimeSeriesRing(c.maxPointsPerSeries(), c.bucketMillis(), TimeSeriesRing.Merge.MAX);
    }

    void advance(long eventTime) {
      newestTime = Math.max(newestTime, eventTime);
    }

    void evict(long windowMillis) {
      if (newestTime == Long.MIN_VALUE) return;
      long cutoff = newestTime - windowMillis;
      risk.evictBefore(cutoff);
      for (Iterator<TimeSeriesRing> it = readings.values().iterator(); it.hasNext(); ) {
        TimeSeriesRing r = it.next();
        r.evictBefore(cutoff);
        if (r.size() == 0) it.remove();
      }
      spans.removeIf(s -> s.clearedAt() != null && s.clearedAt() < cutoff);
    }

    void raisePeak(float peak) {
      int last = spans.size() - 1;
      if (last >= 0 && spans.get(last).clearedAt() == null) {
        Span s = spans.get(last);
        spans.set(last, new Span(s.raisedAt(), null, Math.max(s.peak(), peak)));
      }
    }

    Tile tile() {
      boolean alertOpen = !spans.isEmpty() && spans.get(spans.size() - 1).clearedAt() == null;
      return new Tile(deviceId, lineId, hasScore ? score : null,
          newestTime == Long.MIN_VALUE ? null : newestTime, warming, stale, alertOpen, eventCount, modelId);
    }
  }

  /** A device as one tile of its line's strip. {@code score} is null until its first score. */
  public record Tile(String deviceId, String lineId, Float score, Long eventTime, boolean warming,
      boolean stale, boolean alertOpen, long eventCount, String modelId) {}

  /** A conveyor line: its devices in id order. */
  public record LineView(String lineId, List<Tile> devices) {}

  /** An alert's span on a device's timeline; {@code clearedAt} is null while it is open. */
  public record Span(long raisedAt, Long clearedAt, float peak) {}

  /** One reason of an explained alert: the score drop when the feature group is occluded. */
  public record Reason(String group, float drop) {}

  /**
   * An alert as listed: {@code clearedAt} null while open; {@code horizonMillis} the horizon it fired
   * on ("jam risk within ~10 min"), 0 when its producer did not say.
   */
  public record AlertView(String deviceId, String lineId, long raisedAt, Long clearedAt, float score,
      float peak, long durationMillis, String modelId, List<Reason> reasons, Outcome outcome, long horizonMillis) {
    AlertView withPeak(float p) {
      return new AlertView(deviceId, lineId, raisedAt, clearedAt, score, p, durationMillis, modelId, reasons, outcome,
          horizonMillis);
    }

    AlertView withOutcome(Outcome o) {
      return new AlertView(deviceId, lineId, raisedAt, clearedAt, score, peak, durationMillis, modelId, reasons, o,
          horizonMillis);
    }
  }

  /**
   * What followed an alert: {@code leadMillis} (jam time minus raise) when a jam followed within
   * {@code horizonMillis}, null otherwise. Absent (null on the alert) while still waiting.
   */
  public record Outcome(boolean jamFollowed, Long leadMillis, long horizonMillis) {}

  /** A line's alert outcomes on one UTC day ({@code dayStart}, epoch ms): true and false alerts. */
  public record LineTally(String lineId, long dayStart, long jamFollowed, long noJam) {}

  /** Open and recently cleared alerts, and today's outcome tally per line. */
  public record Alerts(List<AlertView> open, List<AlertView> cleared, List<LineTally> outcomes) {}

  /** One device's window: risk, readings by name, alert spans. */
  public record History(Tile device, long windowStart, long windowEnd, Series risk,
      Map<String, Series> readings, List<Span> alerts) {}

  /** Counters: tracked devices, open alerts, devices not tracked (over the bound), bad values. */
  public record Status(int devices, int openAlerts, long untrackedDevices, long invalidValues, long version) {}
}
