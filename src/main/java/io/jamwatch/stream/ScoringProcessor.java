package io.jamwatch.stream;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.AlertOutcome;
import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.AlertOutcomes;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.scoring.DeviceMemory;
import io.jamwatch.scoring.DeviceRecord;
import io.jamwatch.scoring.DeviceScorer;
import io.jamwatch.scoring.IdHash;
import io.jamwatch.scoring.ScoringModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores one event: get the device's stored state (decoded in place into a reused {@link
 * DeviceRecord} by {@link DeviceStateCodec}), {@link DeviceScorer#apply} it (admission, resets, the
 * model step, the alert policy, outcomes: the one Kafka-free path, shared with the offline scorer),
 * put the state back, forward the {@link JamRiskScore} and any alert transition. A rejected event
 * throws before the store is written, so it leaves the state untouched.
 *
 * <p>A wall-clock punctuator sweeps the task's store in bounded slices ({@link StoreSweep}): it
 * evicts devices not seen for the TTL, raises STALE for a device silent while its line is still
 * running, and recounts the gauges once per full cycle.
 */
final class ScoringProcessor implements Processor<String, ScannerEvent, String, SpecificRecord> {
  private final StreamConfig config;
  private final ModelProvider models;
  private final StreamMetrics metrics;
  private final DeviceEventPolicy devicePolicy;
  private final EventChecks checks;
  private final CachedDeviceStore.Budget readCache;

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> store;
  private String task;
  private ScoringModel model;
  private DeviceScorer scorer;
  private DeviceRecord device;
  private AlertExplainer explainer; // built for the current model on its first raise
  private long applied; // events applied by this processor, for the sampled step timer
  private final JamRiskScore score = new JamRiskScore();

  ScoringProcessor(StreamConfig config, ModelProvider models, StreamMetrics metrics, CachedDeviceStore.Budget readCache) {
    this.config = config;
    this.readCache = readCache;
    this.models = models;
    this.metrics = metrics;
    this.devicePolicy = StreamConfig.eventPolicy(config.input(), config.state());
    this.checks = new EventChecks();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.store = CachedDeviceStore.over(context.getStateStore(JamwatchTopology.STORE), readCache);
    this.task = context.taskId().toString();
    StreamConfig.DeviceStatePolicy p = config.state();
    this.sweep = new StoreSweep<>(p.sweepBatch(), p.sweepBudgetMillis() * 1_000_000L, p.punctuateMillis());
    context.schedule(
        Duration.ofMillis(StoreSweep.tickMillis(p.punctuateMillis())), PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, ScannerEvent> record) {
    long wallNow = context.currentSystemTimeMs();
    ScannerEvent e = record.value();
    checks.check(record.key(), e);
    String id = e.getDeviceId();
    ScoringModel m = scorerFor(models.current());

    byte[] old = DeviceStateCodec.upgrade(store.get(id));
    DeviceStateCodec.decode(old, device, scorer.fingerprint());
    outcomeEvent(id, e.getLineId(), e.getEventTime().toEpochMilli());
    boolean timed = ++applied % StreamMetrics.STEP_SAMPLE == 0;
    long t0 = timed ? System.nanoTime() : 0L;
    DeviceScorer.Outcome o = scorer.apply(device, e, wallNow, outcomeSink);
    if (o.reject != null) {
      throw new RejectedEventException(o.reject, devicePolicy.describe(o.reject, e, device.memory.lastEventTime));
    }
    if (timed) metrics.stepped(System.nanoTime() - t0);
    metrics.event();
    count(o.reset);
    metrics.scored(o.score);
    store.put(id, DeviceStateCodec.encode(device, e.getLineId()));

    long t = outcomeTime;
    JamRiskScore out = score; // reused: the sink serialises it within forward()
    out.setDeviceId(id);
    out.setLineId(e.getLineId());
    out.setEventTime(e.getEventTime());
    out.setEventId(e.getEventId());
    out.setModelId(m.modelId());
    out.setScore(o.score);
    out.setWarming(o.warming);
    out.setEventCount(device.memory.eventCount);
    context.forward(new Record<>(id, out, t), JamwatchTopology.SCORES_SINK);
    if (o.transition != AlertPolicy.Transition.NONE) {
      boolean raised = o.transition == AlertPolicy.Transition.RAISED;
      AlertState alert = device.alert;
      emitAlert(
          id, e.getLineId(), raised ? AlertKind.RAISED : AlertKind.CLEARED, t, alert.raisedAt,
          m.modelId(), o.alertScore, alert.peak, raised ? 0 : t - alert.raisedAt,
          raised ? explain(m, e, o.restored() ? old : null, o.score) : List.of(), o.horizonMillis);
    }
  }

  /** The scorer of the provider's current model (a new one resets states written by another). */
  private ScoringModel scorerFor(ScoringModel m) {
    if (m != model) {
      model = m;
      AlertPolicy policy =
          config.alertThresholdsFromModel()
              ? config.alert().withThresholds(m.metadata().raiseThreshold(), m.metadata().clearThreshold())
              : config.alert();
      scorer = new DeviceScorer(m, devicePolicy, policy);
      device = scorer.newRecord();
    }
    return m;
  }

  private void count(DeviceScorer.Reset reset) {
    switch (reset) {
      case UNREADABLE -> metrics.reset(StreamMetrics.ResetCause.UNKNOWN_VERSION);
      case MODEL_SWAP -> metrics.reset(StreamMetrics.ResetCause.MODEL_SWAP);
      case SILENCE_GAP -> metrics.reset(StreamMetrics.ResetCause.SILENCE_GAP);
      default -> {}
    }
  }

  /** The model id behind a stored fingerprint: the current model's, else the fingerprint's hex (the id's prefix). */
  private String modelIdOf(long fingerprint) {
    return currentScorer().fingerprint() == fingerprint ? model.modelId() : IdHash.hex(fingerprint);
  }

  private void outcomeEvent(String device, String line, long time) {
    outcomeDevice = device;
    outcomeLine = line;
    outcomeTime = time;
    outcomeOfEvent = true;
  }

  // The event being processed, for the outcome sink (a field, not a capturing lambda per event).
  private String outcomeDevice;
  private String outcomeLine;
  private long outcomeTime;
  /** True in process(): the model and score are the current event's; false in the sweep: the fields below. */
  private boolean outcomeOfEvent;
  private String outcomeModel;
  private float outcomeScore;
  private final AlertOutcomes.Sink outcomeSink = this::emitOutcome;

  private void emitOutcome(long raisedAt, boolean jamFollowed, long leadMillis, long horizonMillis) {
    // An event's outcomes are settled inside apply, after its step: the score is the device's new last score.
    float score = outcomeOfEvent ? device.lastScore : outcomeScore;
    JamAlert a =
        JamAlert.newBuilder()
            .setDeviceId(outcomeDevice)
            .setLineId(outcomeLine)
            .setKind(AlertKind.OUTCOME)
            .setTime(Instant.ofEpochMilli(outcomeTime))
            .setRaisedAt(Instant.ofEpochMilli(raisedAt))
            .setModelId(outcomeOfEvent ? model.modelId() : outcomeModel)
            .setScore(score)
            .setPeakScore(score)
            .setOutcome(new AlertOutcome(jamFollowed, leadMillis, horizonMillis))
            .build();
    metrics.outcome(jamFollowed);
    context.forward(new Record<>(outcomeDevice, a, outcomeTime), JamwatchTopology.ALERTS_SINK);
  }

  /**
   * Occlusion reasons for a raise (only then: one extra step per feature group). The state before
   * the event is re-read from the stored bytes still in hand ({@code before}, null when the event
   * started from a fresh state), so the per-event path keeps no copy.
   */
  private List<AlertReason> explain(ScoringModel m, ScannerEvent e, byte[] before, float score) {
    if (explainer == null || explainer.model() != m) {
      explainer = new AlertExplainer(m);
    }
    DeviceMemory prior = explainer.memoryBefore();
    if (before == null || !DeviceStateCodec.readMemory(before, prior)) {
      prior.reset();
    }
    long t0 = System.nanoTime();
    List<AlertReason> reasons = explainer.explain(e, prior, score);
    metrics.explained(System.nanoTime() - t0);
    return reasons;
  }

  private void emitAlert(
      String device, String line, AlertKind kind, long time, long raisedAt, String modelId,
      float score, float peak, long duration, List<AlertReason> reasons, long horizonMillis) {
    JamAlert a =
        JamAlert.newBuilder()
            .setDeviceId(device)
            .setLineId(line)
            .setKind(kind)
            .setTime(Instant.ofEpochMilli(time))
            .setRaisedAt(Instant.ofEpochMilli(raisedAt))
            .setModelId(modelId)
            .setScore(score)
            .setPeakScore(peak)
            .setDurationMillis(duration)
            .setReasons(reasons)
            .setHorizonMillis(horizonMillis)
            .build();
    metrics.alert(kind.name());
    context.forward(new Record<>(device, a, time), JamwatchTopology.ALERTS_SINK);
  }

  private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();
  /**
   * Evictions and STALE alerts one sweep slice may make (each a store write and up to one alert,
   * tens of microseconds on RocksDB): they happen after the slice's visiting, outside its time
   * budget, so a slice that meets many silent devices at once (after an outage of a line's feed,
   * say) ends early and the next tick goes on from there.
   */
  static final int MAX_SWEEP_WRITES = 128;

  // The incremental sweep: its position and what the running cycle has counted so far.
  private StoreSweep<byte[]> sweep;
  private Map<String, Long> lineSeen = new HashMap<>(); // running cycle: line -> latest wall clock seen
  private Map<String, Long> lineSeenBefore = new HashMap<>(); // the previous full cycle's
  private long cycleHeld;
  private long cycleOpen;
  private final List<KeyValue<String, byte[]>> evict = new ArrayList<>();
  private final List<KeyValue<String, byte[]>> silent = new ArrayList<>();

  /**
   * Wall-clock sweep, one bounded slice per tick ({@link StoreSweep}): TTL eviction, STALE alerts,
   * and the gauges, published when a cycle over the whole store completes. A line counts as running
   * when any of its devices was seen within the line-active window, by what this cycle and the
   * previous full cycle visited: a store that fits in one slice decides exactly as a one-pass sweep
   * does; in a longer cycle a device may wait for the next cycle to learn that its line runs.
   */
  private void sweep(long now) {
    StreamConfig.DeviceStatePolicy p = config.state();
    long t0 = System.nanoTime();
    long cpu0 = THREAD_CPU.getCurrentThreadCpuTime();
    boolean cycleDone =
        sweep.slice(
            store,
            now,
            (key, stored) -> {
              byte[] s = DeviceStateCodec.upgrade(stored);
              if (!DeviceStateCodec.isCompact(s)) {
                return true; // unknown bytes: the device's next event restarts it
              }
              long seen = DeviceStateCodec.lastSeenWallClock(s);
              if (now - seen > p.ttlMillis()) {
                evict.add(KeyValue.pair(key, s));
              } else {
                cycleHeld++;
                if (DeviceStateCodec.alertOpen(s)) {
                  cycleOpen++;
                }
                lineSeen.merge(DeviceStateCodec.lineId(s), seen, Math::max);
                if (p.staleAfterMillis() > 0 && !DeviceStateCodec.staleAlerted(s) && now - seen > p.staleAfterMillis()) {
                  silent.add(KeyValue.pair(key, s));
                }
              }
              // The writes below come after the slice's time budget: bound them by count.
              return evict.size() + silent.size() < MAX_SWEEP_WRITES;
            });
    long visitCpu = THREAD_CPU.getCurrentThreadCpuTime() - cpu0;
    long visitWall = System.nanoTime() - t0;
    for (KeyValue<String, byte[]> kv : evict) {
      byte[] s = kv.value;
      String line = DeviceStateCodec.lineId(s);
      String modelId = modelIdOf(DeviceStateCodec.modelFingerprint(s));
      if (DeviceStateCodec.alertOpen(s)) {
        // Do not leave an alert open for ever on the topic: close it as the device leaves.
        emitAlert(
            kv.key, line, AlertKind.CLEARED, now, DeviceStateCodec.alertRaisedAt(s), modelId,
            DeviceStateCodec.lastScore(s), DeviceStateCodec.alertPeak(s),
            DeviceStateCodec.lastEventTime(s) - DeviceStateCodec.alertRaisedAt(s), List.of(), 0L);
      }
      if (DeviceStateCodec.pendingCount(s) > 0) {
        // The device leaves with alerts still waiting: nothing followed that this task will see.
        AlertState left = new AlertState();
        DeviceStateCodec.readAlert(s, left);
        outcomeDevice = kv.key;
        outcomeLine = line;
        outcomeOfEvent = false;
        outcomeModel = modelId;
        outcomeTime = now;
        outcomeScore = DeviceStateCodec.lastScore(s);
        currentScorer().outcomes().resolveAll(left, outcomeSink);
      }
      store.delete(kv.key);
      metrics.evicted();
    }
    for (KeyValue<String, byte[]> kv : silent) {
      byte[] s = kv.value;
      String line = DeviceStateCodec.lineId(s);
      long lineLast = Math.max(lineSeen.getOrDefault(line, Long.MIN_VALUE), lineSeenBefore.getOrDefault(line, Long.MIN_VALUE));
      if (lineLast != Long.MIN_VALUE && now - lineLast <= p.lineActiveMillis()) {
        store.put(kv.key, DeviceStateCodec.withStaleAlerted(s));
        float last = DeviceStateCodec.lastScore(s);
        emitAlert(
            kv.key, line, AlertKind.STALE, now, now, modelIdOf(DeviceStateCodec.modelFingerprint(s)), last,
            DeviceStateCodec.alertOpen(s) ? DeviceStateCodec.alertPeak(s) : last, 0, List.of(), 0L);
      }
    }
    evict.clear();
    silent.clear();
    if (cycleDone) {
      metrics.taskCounts(task, cycleHeld, cycleOpen);
      cycleHeld = 0;
      cycleOpen = 0;
      Map<String, Long> previous = lineSeenBefore;
      lineSeenBefore = lineSeen;
      lineSeen = previous;
      lineSeen.clear();
    }
    if (sweep.lastSliceSize() > 0) {
      metrics.swept(System.nanoTime() - t0, visitWall, THREAD_CPU.getCurrentThreadCpuTime() - cpu0, visitCpu, sweep.lastSliceSize());
    }
  }

  /** The scorer, built for the provider's model if no event has come yet (the sweep may run first). */
  private DeviceScorer currentScorer() {
    if (scorer == null) scorerFor(models.current());
    return scorer;
  }

  @Override
  public void close() {
    CachedDeviceStore.release(store);
    metrics.taskClosed(task);
  }
}
