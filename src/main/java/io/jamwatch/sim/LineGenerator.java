package io.jamwatch.sim;

import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.JamTruth;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One conveyor line: its scanners, the packages in flight, its jam mechanisms and sensor faults,
 * stepped one physical action at a time, with a small queue of events waiting to be delivered.
 *
 * <p>Two clocks: true time {@code t} (epoch millis) and the line's <em>operating</em> time
 * {@code op} (millis since the start, paused while the line is stopped by a jam). Every episode
 * (wear, wobble, drift, surge, sudden jam, stuck sensor) is drawn in operating time, so a stop
 * pauses every precursor on the line instead of letting it run on a stopped belt.
 *
 * <p>Memory is bounded by the packages in flight (scanners x transit / headway), the delivery
 * delays and the stops of the last few hours: nothing grows with the length of the run.
 */
final class LineGenerator {

  /** An event waiting to be delivered at {@code emitTime} (true time), in creation order on ties. */
  record Out(long emitTime, long seq, ScannerEvent event, int scanner, boolean duplicate, boolean late,
      Mechanism mechanism) {}

  private record Hop(long time, long seq, int scanner, float lengthMm) {}

  private record Stop(long opAtStop, long duration) {}

  private static final long NEVER = Long.MAX_VALUE;
  private static final double MS_PER_HOUR = 3_600_000.0;
  // Shapes of the precursors (documented in Simulator's Javadoc).
  private static final long WOBBLE_MIN_MS = 20_000, WOBBLE_MAX_MS = 60_000;
  private static final long DRIFT_MIN_MS = 60_000, DRIFT_MAX_MS = 120_000, DRIFT_DECAY_MS = 60_000;
  private static final long SURGE_MIN_MS = 90_000, SURGE_MAX_MS = 240_000, SURGE_DECAY_MS = 90_000;
  private static final long STUCK_MIN_MS = 5 * 60_000, STUCK_MAX_MS = 20 * 60_000;
  private static final long RESTART_GUARD_MS = 1_000;
  private static final long DUPLICATE_MAX_DELAY_MS = 2_000;
  /** A photo-eye's gap timer saturates: after a stop or a lull the gap reads this, not minutes. */
  static final double GAP_TIMER_MAX_MS = 10_000;
  private static final String[] STUCK_CANDIDATES = {
      Readings.VIBRATION_RMS, Readings.MOTOR_CURRENT_A, Readings.LATERAL_OFFSET_MM, Readings.BELT_SPEED};

  /** Mutable per-scanner state; all episode times in operating time, NEVER when none is due. */
  private static final class Scanner {
    final String deviceId;
    final long skewMs;
    long seq;
    long lastEmit;
    long prevArrival = Long.MIN_VALUE;
    float prevDwell;
    long lastScheduledArrival = Long.MIN_VALUE;
    float lastScheduledDwell;
    // (a) wear: drift from wearStart, jam at wearJam.
    long wearStart, wearJam;
    // (b) wobble episode [wobStart, wobEnd), then (if wobJam != NEVER) a drift [wobJam - driftLen, wobJam).
    long wobStart, wobEnd, wobJam, wobDriftStart;
    // benign drift: ramp up [bdStart, bdPeak), decay [bdPeak, bdEnd), no jam.
    long bdStart, bdPeak, bdEnd;
    // (d) sudden jam.
    long sudden;
    // stuck sensor [stuckStart, stuckEnd) on one reading.
    long stuckStart, stuckEnd;
    String stuckReading;
    float stuckValue = Float.NaN;

    Scanner(String deviceId, long skewMs) {
      this.deviceId = deviceId;
      this.skewMs = skewMs;
    }
  }

  private final SimConfig cfg;
  final int index;
  final String lineId;
  private final SplittableRandom rng;
  private final Scanner[] scanners;
  private final long start;
  private final long end;
  private final double speedMps;
  private final double speedPhase;
  private final double shiftPhase;

  private final PriorityQueue<Hop> hops = new PriorityQueue<>((a, b) -> a.time != b.time
      ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private final PriorityQueue<Out> out = new PriorityQueue<>((a, b) -> a.emitTime != b.emitTime
      ? Long.compare(a.emitTime, b.emitTime) : Long.compare(a.seq, b.seq));
  private final ArrayDeque<Stop> stops = new ArrayDeque<>();
  private final List<JamTruthBuilder> truthSink;
  private long seq;
  private long peek;
  private boolean peekValid;

  private long now;
  private long downtime;
  private boolean stopped;
  private long stopEnd;
  private long lastClear = Long.MIN_VALUE;
  private int jamScanner = -1;
  private JamTruthBuilder openJam;
  private long nextArrival;

  // (c) surge on the whole line: intensity ramps [surgeStart, surgePeak), then either a jam at
  // surgeScanner (surgeJam) or a decay until surgeEnd.
  private long surgeStart, surgePeak, surgeEnd;
  private boolean surgeJam;
  private double surgeIntensity, surgeCompression;
  private int surgeScanner;

  // Cached schedule, refreshed when op passes nextRoll or after a jam.
  private long nextRollOp;
  private long nextJamOp;
  private int nextJamScanner;
  private Mechanism nextJamMechanism;
  private int heartbeatArgmin = -1;

  /** A jam's ground truth being filled in (clear time arrives later). */
  static final class JamTruthBuilder {
    final String deviceId, lineId;
    final long trueJamTime, jamTime, precursorStart;
    final Mechanism mechanism;
    long clearTime = -1;

    JamTruthBuilder(String deviceId, String lineId, long trueJamTime, long jamTime, Mechanism mechanism,
        long precursorStart) {
      this.trueJamTime = trueJamTime;
      this.deviceId = deviceId;
      this.lineId = lineId;
      this.jamTime = jamTime;
      this.mechanism = mechanism;
      this.precursorStart = precursorStart;
    }

    JamTruth build() {
      return new JamTruth(deviceId, lineId, jamTime, clearTime, mechanism.label(), precursorStart);
    }
  }

  LineGenerator(SimConfig cfg, int index, SplittableRandom rng, List<JamTruthBuilder> truthSink) {
    this.cfg = cfg;
    this.index = index;
    this.lineId = String.format("L%02d", index + 1);
    this.rng = rng;
    this.truthSink = truthSink;
    this.start = cfg.startMillis();
    this.end = cfg.endMillis();
    this.now = start;
    this.speedMps = cfg.beltSpeedMps() * (1 + 0.03 * rng.nextGaussian());
    this.speedPhase = rng.nextDouble(2 * Math.PI);
    this.shiftPhase = rng.nextDouble(2 * Math.PI);
    this.scanners = new Scanner[cfg.scannersPerLine()];
    for (int j = 0; j < scanners.length; j++) {
      long skew = Math.round(rng.nextGaussian() * cfg.clockSkewSdMs());
      if (rng.nextDouble() < cfg.largeSkewProbability()) {
        skew = (rng.nextBoolean() ? 1 : -1) * (500 + rng.nextLong(1501));
      }
      Scanner s = new Scanner(String.format("%s-S%02d", lineId, j + 1), skew);
      s.lastEmit = start;
      scheduleWear(s, 0);
      scheduleWobble(s, 0);
      scheduleBenignDrift(s, 0);
      s.sudden = draw(cfg.suddenPerDeviceHour(), 0);
      scheduleStuck(s, 0);
      scanners[j] = s;
    }
    scheduleSurge(0);
    nextArrival = start + Math.round(rng.nextDouble() * cfg.meanArrivalGapMs());
    hops.add(new Hop(nextArrival, seq++, 0, drawLength()));
    refreshSchedule(0);
  }

  // ---------------------------------------------------------------- delivery side

  /** True time of the next event this line will deliver, or {@code Long.MAX_VALUE} if none before the end. */
  long peekTime() {
    // Cached: the merging queue compares lines many times between two polls.
    if (!peekValid) {
      peek = computePeekTime();
      peekValid = true;
    }
    return peek;
  }

  private long computePeekTime() {
    while (true) {
      Out head = out.peek();
      long next = nextActionTime();
      if (head != null && head.emitTime <= next) {
        return head.emitTime < end ? head.emitTime : NEVER;
      }
      if (next >= end) {
        // Nothing more happens before the end; what is queued is delivered if it arrives in time.
        return head != null && head.emitTime < end ? head.emitTime : NEVER;
      }
      step();
    }
  }

  /** Removes and returns the next event; call only after {@link #peekTime()} returned a time. */
  Out poll() {
    peekValid = false;
    return out.poll();
  }

  // ---------------------------------------------------------------- physical side

  private long op(long t) {
    return stopped ? stops.getLast().opAtStop : t - start - downtime;
  }

  private long trueTimeOfPastOp(long op) {
    long d = downtime;
    for (var it = stops.descendingIterator(); it.hasNext(); ) {
      Stop s = it.next();
      if (s.opAtStop > op) {
        d -= s.duration;
      } else {
        break;
      }
    }
    return start + op + d;
  }

  private long nextActionTime() {
    long t = heartbeatDue();
    if (stopped) {
      return Math.min(t, stopEnd);
    }
    Hop h = hops.peek();
    if (h != null) {
      t = Math.min(t, h.time);
    }
    if (nextJamOp != NEVER) {
      long jamAt = Math.max(start + nextJamOp + downtime, lastClear + RESTART_GUARD_MS);
      t = Math.min(t, jamAt);
    }
    return t;
  }

  private long heartbeatDue() {
    if (heartbeatArgmin < 0) {
      int arg = 0;
      for (int j = 1; j < scanners.length; j++) {
        if (scanners[j].lastEmit < scanners[arg].lastEmit) {
          arg = j;
        }
      }
      heartbeatArgmin = arg;
    }
    return scanners[heartbeatArgmin].lastEmit + cfg.heartbeatIntervalMs();
  }

  private void emitted(int j, long t) {
    scanners[j].lastEmit = t;
    if (j == heartbeatArgmin) {
      heartbeatArgmin = -1;
    }
  }

  private void step() {
    long t = nextActionTime();
    now = t;
    if (stopped) {
      if (stopEnd <= t) {
        clearJam(stopEnd);
      } else {
        heartbeat(heartbeatArgmin, t);
      }
      return;
    }
    long op = op(t);
    if (op >= nextRollOp) {
      refreshSchedule(op);
      return; // the schedule may have changed what comes next
    }
    long jamAt = nextJamOp == NEVER ? NEVER
        : Math.max(start + nextJamOp + downtime, lastClear + RESTART_GUARD_MS);
    Hop h = hops.peek();
    if (jamAt == t) {
      jam(t, nextJamScanner, nextJamMechanism);
    } else if (h != null && h.time == t) {
      hops.poll();
      packageAt(h, t, op);
    } else {
      heartbeat(heartbeatArgmin, t);
    }
  }

  // ---------------------------------------------------------------- episodes

  /** Operating time of the next Poisson event at {@code ratePerHour} after {@code fromOp}. */
  private long draw(double ratePerHour, long fromOp) {
    if (ratePerHour <= 0) {
      return NEVER;
    }
    double hours = -Math.log(1 - rng.nextDouble()) / ratePerHour;
    double ms = hours * MS_PER_HOUR;
    return ms > 1e15 ? NEVER : fromOp + Math.round(ms);
  }

  private long uniform(long lo, long hi) {
    return lo + (hi > lo ? rng.nextLong(hi - lo + 1) : 0);
  }

  private void scheduleWear(Scanner s, long fromOp) {
    s.wearStart = draw(cfg.wearPerDeviceHour(), fromOp);
    s.wearJam = s.wearStart == NEVER ? NEVER
        : s.wearStart + uniform(Math.round(cfg.wearMinMinutes() * 60_000), Math.round(cfg.wearMaxMinutes() * 60_000));
  }

  private void scheduleWobble(Scanner s, long fromOp) {
    s.wobStart = draw(cfg.wobblePerDeviceHour(), fromOp);
    if (s.wobStart == NEVER) {
      s.wobEnd = s.wobJam = s.wobDriftStart = NEVER;
      return;
    }
    s.wobEnd = s.wobStart + uniform(WOBBLE_MIN_MS, WOBBLE_MAX_MS);
    if (rng.nextDouble() < cfg.wobbleJamProbability()) {
      long quiet = uniform(Math.round(cfg.wobbleQuietMinMinutes() * 60_000), Math.round(cfg.wobbleQuietMaxMinutes() * 60_000));
      s.wobDriftStart = s.wobEnd + quiet;
      s.wobJam = s.wobDriftStart + uniform(DRIFT_MIN_MS, DRIFT_MAX_MS);
    } else {
      s.wobDriftStart = s.wobJam = NEVER;
    }
  }

  private void scheduleBenignDrift(Scanner s, long fromOp) {
    s.bdStart = draw(cfg.benignDriftPerDeviceHour(), fromOp);
    s.bdPeak = s.bdStart == NEVER ? NEVER : s.bdStart + uniform(DRIFT_MIN_MS, DRIFT_MAX_MS);
    s.bdEnd = s.bdPeak == NEVER ? NEVER : s.bdPeak + DRIFT_DECAY_MS;
  }

  private void scheduleStuck(Scanner s, long fromOp) {
    s.stuckStart = draw(cfg.stuckPerDeviceHour(), fromOp);
    s.stuckEnd = s.stuckStart == NEVER ? NEVER : s.stuckStart + uniform(STUCK_MIN_MS, STUCK_MAX_MS);
    s.stuckReading = STUCK_CANDIDATES[rng.nextInt(STUCK_CANDIDATES.length)];
    s.stuckValue = Float.NaN;
  }

  private void scheduleSurge(long fromOp) {
    surgeStart = draw(cfg.surgesPerLineHour(), fromOp);
    if (surgeStart == NEVER) {
      surgePeak = surgeEnd = NEVER;
      surgeJam = false;
      return;
    }
    surgePeak = surgeStart + uniform(SURGE_MIN_MS, SURGE_MAX_MS);
    surgeJam = rng.nextDouble() < cfg.surgeJamProbability();
    if (surgeJam) {
      surgeIntensity = 3.5 + 1.5 * rng.nextDouble();
      surgeCompression = 1.0;
      surgeEnd = surgePeak;
    } else {
      surgeIntensity = 1.5 + 1.0 * rng.nextDouble();
      surgeCompression = 0.25 + 0.15 * rng.nextDouble();
      surgeEnd = surgePeak + SURGE_DECAY_MS;
    }
    // Accumulation builds where packages converge: the downstream half of the line.
    int n = scanners.length;
    surgeScanner = n / 2 + rng.nextInt(n - n / 2);
  }

  /** Rolls finished benign episodes forward and caches the next jam and the next roll time. */
  private void refreshSchedule(long op) {
    long roll = NEVER;
    long jam = NEVER;
    int jamAt = -1;
    Mechanism why = null;
    for (int j = 0; j < scanners.length; j++) {
      Scanner s = scanners[j];
      if (s.wobJam == NEVER && s.wobEnd != NEVER && op >= s.wobEnd) {
        scheduleWobble(s, s.wobEnd);
      }
      if (s.bdEnd != NEVER && op >= s.bdEnd) {
        scheduleBenignDrift(s, s.bdEnd);
      }
      if (s.stuckEnd != NEVER && op >= s.stuckEnd) {
        scheduleStuck(s, s.stuckEnd);
      }
      if (s.wobJam == NEVER) {
        roll = Math.min(roll, s.wobEnd);
      }
      roll = Math.min(roll, Math.min(s.bdEnd, s.stuckEnd));
      if (s.wearJam < jam) {
        jam = s.wearJam;
        jamAt = j;
        why = Mechanism.WEAR;
      }
      if (s.wobJam < jam) {
        jam = s.wobJam;
        jamAt = j;
        why = Mechanism.WOBBLE;
      }
      if (s.sudden < jam) {
        jam = s.sudden;
        jamAt = j;
        why = Mechanism.SUDDEN;
      }
    }
    if (!surgeJam && surgeEnd != NEVER && op >= surgeEnd) {
      scheduleSurge(surgeEnd);
    }
    if (surgeJam) {
      if (surgePeak < jam) {
        jam = surgePeak;
        jamAt = surgeScanner;
        why = Mechanism.ACCUMULATION;
      }
    } else {
      roll = Math.min(roll, surgeEnd);
    }
    nextRollOp = roll;
    nextJamOp = jam;
    nextJamScanner = jamAt;
    nextJamMechanism = why;
  }

  // ---------------------------------------------------------------- jams

  private void jam(long t, int j, Mechanism m) {
    Scanner s = scanners[j];
    long op = op(t);
    long precursorOp = switch (m) {
      case WEAR -> s.wearStart;
      case WOBBLE -> s.wobStart;
      case ACCUMULATION -> surgeStart;
      case SUDDEN -> -1;
    };
    long precursor = precursorOp < 0 ? -1 : trueTimeOfPastOp(precursorOp) + s.skewMs;
    switch (m) {
      case WEAR -> scheduleWear(s, op);
      case WOBBLE -> scheduleWobble(s, op);
      case ACCUMULATION -> scheduleSurge(op);
      case SUDDEN -> s.sudden = draw(cfg.suddenPerDeviceHour(), op);
    }
    Map<String, Float> r = new LinkedHashMap<>();
    r.put(Readings.BELT_SPEED, (float) speed(op));
    r.put(Readings.MOTOR_CURRENT_A, (float) (motorCurrent(s, op, j) + 1.0));
    r.put(Readings.VIBRATION_RMS, (float) (vibration(s, op) + 0.5));
    long eventTime = t + s.skewMs;
    openJam = new JamTruthBuilder(s.deviceId, lineId, t, eventTime, m, Math.min(precursor, eventTime));
    truthSink.add(openJam);
    enqueue(t, j, EventType.JAM, r, false, m);
    // Stop the line: packages in flight are taken off the belt by the operator.
    stopped = true;
    jamScanner = j;
    long stopMs = Math.round(1000 * (cfg.jamStopMinS() + rng.nextDouble() * (cfg.jamStopMaxS() - cfg.jamStopMinS())));
    stopEnd = t + stopMs;
    stops.addLast(new Stop(op, stopMs));
    long keep = Math.round(cfg.wearMaxMinutes() * 60_000) + 3_600_000L;
    while (stops.size() > 1 && stops.getFirst().opAtStop < op - keep) {
      stops.removeFirst();
    }
    hops.clear();
    refreshSchedule(op);
  }

  private void clearJam(long t) {
    Scanner s = scanners[jamScanner];
    downtime += stops.getLast().duration;
    stopped = false;
    lastClear = t;
    openJam.clearTime = t + s.skewMs;
    openJam = null;
    Map<String, Float> r = new LinkedHashMap<>();
    r.put(Readings.BELT_SPEED, (float) speed(op(t)));
    enqueue(t, jamScanner, EventType.JAM_CLEARED, r, false, null);
    jamScanner = -1;
    nextArrival = t + interArrival(op(t));
    hops.add(new Hop(nextArrival, seq++, 0, drawLength()));
  }

  // ---------------------------------------------------------------- events

  private void heartbeat(int j, long t) {
    Scanner s = scanners[j];
    Map<String, Float> r = new LinkedHashMap<>();
    if (stopped) {
      put(r, s, Readings.BELT_SPEED, 0.0);
      put(r, s, Readings.MOTOR_CURRENT_A, 0.05 * Math.abs(rng.nextGaussian()));
      put(r, s, Readings.VIBRATION_RMS, 0.02 + 0.01 * Math.abs(rng.nextGaussian()));
    } else {
      long op = op(t);
      put(r, s, Readings.BELT_SPEED, speed(op) * (1 - 0.04 * wear(s, op)) + 0.01 * rng.nextGaussian());
      put(r, s, Readings.MOTOR_CURRENT_A, motorCurrent(s, op, j) - 0.3 + 0.04 * rng.nextGaussian());
      put(r, s, Readings.VIBRATION_RMS, vibration(s, op) + 0.025 * rng.nextGaussian());
    }
    enqueue(t, j, EventType.HEARTBEAT, r, true, null);
  }

  private void packageAt(Hop h, long t, long op) {
    int j = h.scanner;
    Scanner s = scanners[j];
    double v = speed(op) * (1 - 0.04 * wear(s, op));
    double c = compression(j, op);
    double wob = wobble(s, op);
    double d = drift(s, op);
    double dwell = h.lengthMm / v * (1 + 0.6 * c) * (1 + 0.10 * d) * (1 + 0.15 * wob * rng.nextGaussian())
        + 4 * rng.nextGaussian();
    dwell = Math.max(20, dwell);
    double gap = s.prevArrival == Long.MIN_VALUE ? cfg.meanArrivalGapMs() : (t - s.prevArrival) - s.prevDwell;
    gap = Math.max(0, Math.min(GAP_TIMER_MAX_MS, gap * (1 - 0.85 * c) + 5 * rng.nextGaussian()));
    double offset = 6 * rng.nextGaussian() + wob * (25 * rng.nextGaussian() + 20 * Math.sin(2 * Math.PI * op / 3000.0))
        + 12 * d;
    double pNoRead = cfg.noReadProbability() + Math.min(0.3, 0.2 * Math.pow(Math.abs(offset) / 60, 2));
    boolean noRead = rng.nextDouble() < pNoRead;

    Map<String, Float> r = new LinkedHashMap<>();
    put(r, s, Readings.BELT_SPEED, v + 0.01 * rng.nextGaussian());
    put(r, s, Readings.GAP_MS, gap);
    put(r, s, Readings.DWELL_MS, dwell);
    if (!noRead) {
      put(r, s, Readings.LATERAL_OFFSET_MM, offset);
    }
    put(r, s, Readings.MOTOR_CURRENT_A, motorCurrent(s, op, j) + 0.04 * rng.nextGaussian());
    put(r, s, Readings.VIBRATION_RMS, vibration(s, op) + 0.025 * rng.nextGaussian());
    if (!noRead) {
      put(r, s, Readings.PACKAGE_LENGTH_MM, h.lengthMm + 3 * rng.nextGaussian());
    }
    enqueue(t, j, noRead ? EventType.NO_READ : EventType.PACKAGE_SCANNED, r, true, null);
    s.prevArrival = t;
    s.prevDwell = (float) dwell;

    // The package moves on to the next scanner; packages never overtake one another.
    if (j + 1 < scanners.length) {
      Scanner next = scanners[j + 1];
      long arrive = t + Math.round(cfg.scannerSpacingM() / speed(op) * 1000 + 25 * rng.nextGaussian());
      if (next.lastScheduledArrival != Long.MIN_VALUE) {
        arrive = Math.max(arrive, next.lastScheduledArrival + Math.round(next.lastScheduledDwell) + 50);
      }
      next.lastScheduledArrival = arrive;
      next.lastScheduledDwell = (float) (h.lengthMm / speedMps);
      hops.add(new Hop(arrive, seq++, j + 1, h.lengthMm));
    }
    if (j == 0) {
      float len = drawLength();
      long gapMs = Math.max(interArrival(op), Math.round(h.lengthMm / speedMps) + 100);
      nextArrival = t + gapMs;
      hops.add(new Hop(nextArrival, seq++, 0, len));
    }
  }

  private void put(Map<String, Float> r, Scanner s, String name, double value) {
    if (rng.nextDouble() < cfg.missingReadingProbability()) {
      return;
    }
    double v = value;
    if (rng.nextDouble() < cfg.spikeProbability()) {
      v = value * (3 + 5 * rng.nextDouble());
    }
    long op = op(now);
    if (name.equals(s.stuckReading) && op >= s.stuckStart && op < s.stuckEnd) {
      if (Float.isNaN(s.stuckValue)) {
        s.stuckValue = (float) v;
      }
      r.put(name, s.stuckValue);
      return;
    }
    r.put(name, (float) v);
  }

  private void enqueue(long t, int j, EventType type, Map<String, Float> readings, boolean faultable, Mechanism m) {
    Scanner s = scanners[j];
    // The all-fields constructor: the builder re-validates and looks up defaults on every event.
    ScannerEvent e = new ScannerEvent(s.deviceId, lineId, Instant.ofEpochMilli(t + s.skewMs), type, readings,
        s.deviceId + "-" + (++s.seq));
    emitted(j, t);
    boolean late = faultable && rng.nextDouble() < cfg.outOfOrderProbability();
    long emit = late ? t + 1 + rng.nextLong(cfg.outOfOrderMaxDelayMs()) : t;
    out.add(new Out(emit, seq++, e, j, false, late, m));
    if (faultable && rng.nextDouble() < cfg.duplicateProbability()) {
      // The constructor, not newBuilder(e): the builder deep-copies through Avro reflection.
      ScannerEvent copy = new ScannerEvent(e.getDeviceId(), e.getLineId(), e.getEventTime(), e.getType(),
          new LinkedHashMap<>(readings), e.getEventId());
      out.add(new Out(emit + rng.nextLong(DUPLICATE_MAX_DELAY_MS + 1), seq++, copy, j, true, late, null));
    }
  }

  // ---------------------------------------------------------------- physics

  private float drawLength() {
    double len = cfg.meanPackageLengthMm() * Math.exp(0.35 * rng.nextGaussian() - 0.06);
    return (float) Math.max(150, Math.min(1200, len));
  }

  /** Line belt speed, m/s: nominal with a slow ±2% wave (load changes). */
  private double speed(long op) {
    return speedMps * (1 + 0.02 * Math.sin(2 * Math.PI * op / (37 * 60_000.0) + speedPhase));
  }

  /** Time to the next package entering the line: shift wave (±25% over 3 h) and surges shorten it. */
  private long interArrival(long op) {
    double wave = 1 + 0.25 * Math.sin(2 * Math.PI * op / (3 * MS_PER_HOUR) + shiftPhase);
    double mean = cfg.meanArrivalGapMs() * wave / surgeFactor(op);
    double extra = Math.max(50, mean - cfg.minHeadwayMs());
    return Math.round(cfg.minHeadwayMs() - extra * Math.log(1 - rng.nextDouble()));
  }

  private double surgeFactor(long op) {
    if (surgeStart == NEVER || op < surgeStart || op >= surgeEnd) {
      return 1;
    }
    return 1 + (surgeIntensity - 1) * surgeShape(op);
  }

  /** 0..1: rises over [surgeStart, surgePeak), decays to surgeEnd for a benign surge. */
  private double surgeShape(long op) {
    if (op < surgePeak) {
      return (op - surgeStart) / (double) (surgePeak - surgeStart);
    }
    return Math.max(0, 1 - (op - surgePeak) / (double) (surgeEnd - surgePeak));
  }

  /** Accumulation at scanner j: packages bunch up at and just upstream of the surge's scanner. */
  private double compression(int j, long op) {
    if (surgeStart == NEVER || op < surgeStart || op >= surgeEnd) {
      return 0;
    }
    int behind = surgeScanner - j;
    double weight = behind == 0 ? 1 : behind == 1 ? 0.6 : behind == 2 ? 0.3 : 0;
    double x = surgeShape(op);
    return weight * surgeCompression * x * x;
  }

  /** 0..1 wear level: creeps up over the wear episode, 0 outside it. */
  private static double wear(Scanner s, long op) {
    if (s.wearStart == NEVER || op < s.wearStart || op >= s.wearJam) {
      return 0;
    }
    return (op - s.wearStart) / (double) (s.wearJam - s.wearStart);
  }

  /** 0..1 wobble intensity: sets in and dies out over the first and last ~10% of the episode. */
  private static double wobble(Scanner s, long op) {
    if (s.wobStart == NEVER || op < s.wobStart || op >= s.wobEnd) {
      return 0;
    }
    return Math.min(1, 3 * Math.sin(Math.PI * (op - s.wobStart) / (double) (s.wobEnd - s.wobStart)));
  }

  /** 0..1 mild drift: before a wobble jam, or a benign one (same shape, no jam). */
  private static double drift(Scanner s, long op) {
    double d = 0;
    if (s.wobJam != NEVER && op >= s.wobDriftStart && op < s.wobJam) {
      d = (op - s.wobDriftStart) / (double) (s.wobJam - s.wobDriftStart);
    }
    if (s.bdStart != NEVER && op >= s.bdStart && op < s.bdEnd) {
      double b = op < s.bdPeak ? (op - s.bdStart) / (double) (s.bdPeak - s.bdStart)
          : 1 - (op - s.bdPeak) / (double) (s.bdEnd - s.bdPeak);
      d = Math.max(d, b);
    }
    return d;
  }

  private double motorCurrent(Scanner s, long op, int j) {
    double load = 1000.0 / cfg.meanArrivalGapMs() * surgeFactor(op);
    double w = wear(s, op);
    return 1.8 + 0.15 * load + 1.5 * Math.pow(w, 1.3) + 0.25 * drift(s, op) + 0.5 * compression(j, op);
  }

  private double vibration(Scanner s, long op) {
    double w = wear(s, op);
    return 0.30 + 1.1 * Math.pow(w, 1.6) + 0.35 * wobble(s, op) + 0.1 * drift(s, op);
  }

  /** Event time now (for progress). */
  long now() {
    return now;
  }
}
