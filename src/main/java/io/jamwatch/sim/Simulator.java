package io.jamwatch.sim;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Conveyor simulator: scanner events of {@code lines x scannersPerLine} scanners, produced lazily in
 * delivery order, with the ground truth of every jam.
 *
 * <h2>Physics</h2>
 * Packages enter each line at scanner 1 (a Poisson stream with a minimum headway, a ±25% shift wave
 * over 3 h, and surges) and ride the belt to scanner 2, 3, ... arriving after
 * {@code scannerSpacingM / belt speed} (about 4 s), never overtaking: a package seen at S3 is seen
 * at S4 a transit later, with the same length, so neighbours are correlated. Each scan reports
 * belt_speed, gap_ms (previous package's trailing edge to this leading edge), dwell_ms
 * (length / speed, longer when packages slip or bunch), lateral_offset_mm, motor_current_a
 * (rises with load and wear), vibration_rms and package_length_mm (see {@link Readings}). A scan
 * fails (NO_READ, without offset or length) with a base probability that rises steeply with
 * lateral offset. A scanner with nothing to report for {@code heartbeatIntervalMs} sends a
 * HEARTBEAT (belt speed, current, vibration; zeros while the line is stopped).
 *
 * <h2>Jam mechanisms, and what a detector must remember</h2>
 * <table>
 * <tr><th>mechanism</th><th>precursor</th><th>memory needed</th></tr>
 * <tr><td>(a) wear</td><td>over 15-45 min motor current creeps up by up to 1.5 A and vibration by
 *   up to 1.1 mm/s (convex: slow at first), belt speed sags 4%; the jam comes at the end</td>
 *   <td>a slow trend over tens of minutes: a level relative to the scanner's own normal, not any
 *   single event</td></tr>
 * <tr><td>(b) wobble</td><td>a 20-60 s episode of large, oscillating lateral offset (more
 *   NO_READs, dwell jitter, +0.35 mm/s vibration) that settles completely; with probability
 *   {@code wobbleJamProbability}, 2-6 min of normal readings later a mild drift (dwell +10%,
 *   current +0.25 A, offset +12 mm) over 1-2 min ends in a jam. The same mild drift also occurs
 *   alone ({@code benignDriftPerDeviceHour}) and then is harmless.</td>
 *   <td>the wobble, for 3-8 minutes, through a stretch of normal events: a 60-second window
 *   cannot see it; gated memory (GRU/LSTM) can, and needs it to tell the pre-jam drift from a
 *   benign one</td></tr>
 * <tr><td>(c) accumulation</td><td>an upstream surge raises the package rate 3.5-5x over
 *   1.5-4 min; gaps shrink on the whole line (seen first upstream), and at the jam scanner and the
 *   two before it gaps collapse, dwell grows up to +60% and current +0.5 A; the jam comes at the
 *   surge's peak. Benign surges (1.5-2.5x, mild bunching) decay without a jam.</td>
 *   <td>the last 1-4 minutes of gaps and dwell, and how far the squeeze went</td></tr>
 * <tr><td>(d) sudden</td><td>none (a foreign object): the unpredictable floor</td>
 *   <td>nothing helps; it bounds recall</td></tr>
 * </table>
 * A jam emits JAM at its scanner, stops the whole line for {@code jamStopMinS..jamStopMaxS} (no
 * package events, packages in flight removed, heartbeats continue), then JAM_CLEARED. Every episode
 * runs on the line's operating clock, which pauses during a stop.
 *
 * <h2>Sensor and delivery faults</h2>
 * Readings go missing ({@code missingReadingProbability} each), spike (x3-8), or stick at one value
 * for 5-20 min (one of vibration, current, offset, speed); each scanner's clock is off by a constant
 * skew (normal, {@code clockSkewSdMs}; a few scanners by 0.5-2 s), and event times are that
 * scanner's clock; a bounded share of events is delivered twice (same eventId, up to 2 s later)
 * or late (up to {@code outOfOrderMaxDelayMs}, after later events of the same scanner). JAM and
 * JAM_CLEARED are never faulted: they are the ground truth.
 *
 * <h2>Order, laziness, determinism</h2>
 * {@link #events()} yields events in delivery order: per line a generator steps its physics only as
 * far as the next delivery needs, and a priority queue merges the lines by delivery time (ties by
 * line). Delivery order is event-time order except for the injected faults (late events, clock
 * skew). Every line draws from its own {@link SplittableRandom} split from the seed, readings are
 * written in a fixed order, and nothing reads the wall clock: the same config gives the same
 * events, bit for bit.
 */
public final class Simulator {

  private final SimConfig config;
  private final List<LineGenerator.JamTruthBuilder> truth = new ArrayList<>();
  private final SimStats stats = new SimStats();
  private boolean started;
  private long lastDelivered;

  public Simulator(SimConfig config) {
    this.config = config;
    this.lastDelivered = config.startMillis();
  }

  public SimConfig config() {
    return config;
  }

  /**
   * The events, lazily. A simulator runs once: a second call throws.
   */
  public Iterator<ScannerEvent> events() {
    if (started) {
      throw new IllegalStateException("a Simulator yields its events once; make a new one to run again");
    }
    started = true;
    SplittableRandom root = new SplittableRandom(config.seed());
    PriorityQueue<LineGenerator> lines = new PriorityQueue<>(
        Math.max(1, config.lines()),
        Comparator.comparingLong(LineGenerator::peekTime).thenComparingInt(g -> g.index));
    // peekTime() is cached by the queue's ordering only while untouched: lines are re-inserted
    // after every poll, so their position always reflects their current head.
    List<LineGenerator> all = new ArrayList<>();
    for (int i = 0; i < config.lines(); i++) {
      all.add(new LineGenerator(config, i, root.split(), truth));
    }
    lines.addAll(all);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        LineGenerator g = lines.peek();
        return g != null && g.peekTime() != Long.MAX_VALUE;
      }

      @Override
      public ScannerEvent next() {
        LineGenerator g = lines.poll();
        if (g == null || g.peekTime() == Long.MAX_VALUE) {
          if (g != null) {
            lines.add(g);
          }
          throw new NoSuchElementException("simulation ended");
        }
        LineGenerator.Out o = g.poll();
        lines.add(g);
        lastDelivered = o.emitTime();
        EventType type = o.event().getType();
        stats.countEvent(type, o.scanner() == 0, o.duplicate(), o.late());
        if (type == EventType.JAM) {
          stats.countJam(o.mechanism());
        }
        return o.event();
      }
    };
  }

  /**
   * Ground truth of the jams simulated so far, ordered by jam time then device (complete after the
   * iterator is exhausted; a jam whose clear falls after the end has clearTime -1).
   */
  public List<JamTruth> truth() {
    List<JamTruth> out = new ArrayList<>();
    for (LineGenerator.JamTruthBuilder b : truth) {
      // Lines simulate a little ahead of delivery: report only jams already delivered.
      if (b.trueJamTime <= lastDelivered) {
        out.add(b.build());
      }
    }
    out.sort(Comparator.comparingLong(JamTruth::jamTime).thenComparing(JamTruth::deviceId));
    return out;
  }

  /** Counts of what was delivered so far. */
  public SimStats stats() {
    return stats.snapshot();
  }

  /** Delivery time of the last event handed out (for progress). */
  public long lastDeliveredMillis() {
    return lastDelivered;
  }
}
