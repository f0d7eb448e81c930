package io.jamwatch.stream;

import io.jamwatch.scoring.RejectReason;
import io.jamwatch.scoring.AlertState;
import io.jamwatch.scoring.AlertPolicy;
import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.AlertOutcome;
import io.jamwatch.avro.EventType;
import io.jamwatch.scoring.AlertOutcomes;
import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.DeviceState;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.scoring.DeviceMemory;
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
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores one event: reads the device's {@link DeviceState} from the store, admits or rejects the
 * event and decides on a reset by {@link DeviceEventPolicy} (the one per-device policy, shared with
 * the offline scorer), steps it once through {@link ScoringModel#score} (the one stepping path), writes it
 * back, emits a {@link JamRiskScore} and any alert transition. Every check that can reject the
 * event runs before the store is written, so a rejected event leaves the state untouched.
 *
 * <p>A wall-clock punctuator sweeps the task's store: it evicts devices not seen for the TTL,
 * raises STALE for a device silent while its line is still running, and recounts the gauges.
 */
final class ScoringProcessor implements Processor<String, ScannerEvent, String, SpecificRecord> {
  private final StreamConfig config;
  private final ModelProvider models;
  private final StreamMetrics metrics;
  private final DeviceStateMapper mapper = new DeviceStateMapper();
  private final DeviceEventPolicy devicePolicy;
  private final EventChecks checks;
  private final AlertState alert = new AlertState();
  private AlertOutcomes outcomes;

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, DeviceState> store;
  private String task;
  private ScoringModel model;
  private DeviceMemory memory;
  private AlertPolicy policy;
  private AlertExplainer explainer; // built for the current model on its first raise

  ScoringProcessor(StreamConfig config, ModelProvider models, StreamMetrics metrics) {
    this.config = config;
    this.models = models;
    this.metrics = metrics;
    this.devicePolicy = StreamConfig.eventPolicy(config.input(), config.state());
    this.checks = new EventChecks(devicePolicy);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.store = context.getStateStore(JamwatchTopology.STORE);
    this.task = context.taskId().toString();
    context.schedule(
        Duration.ofMillis(config.state().punctuateMillis()), PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, ScannerEvent> record) {
    long wallNow = context.currentSystemTimeMs();
    ScannerEvent e = record.value();
    checks.check(record.key(), e, wallNow);
    String device = e.getDeviceId();
    long t = e.getEventTime().toEpochMilli();

    ScoringModel m = models.current();
    if (m != model) {
      model = m;
      memory = m.newMemory();
      outcomes = AlertOutcomes.forHorizonSeconds(m.metadata().horizonSeconds());
      policy =
          config.alertThresholdsFromModel()
              ? config.alert().withThresholds(m.metadata().raiseThreshold(), m.metadata().clearThreshold())
              : config.alert();
    }
    DeviceState old = store.get(device);
    List<String> recent = new ArrayList<>(devicePolicy.recentEventIds() + 1);
    boolean restored = false;
    if (old == null) {
      alert.reset();
    } else {
      long last = old.getLastEventTime().toEpochMilli();
      RejectReason bad = devicePolicy.checkAgainstDevice(e, last, old.getRecentEventIds());
      if (bad != null) {
        throw new RejectedEventException(bad, devicePolicy.describe(bad, e, last));
      }
      recent.addAll(old.getRecentEventIds());
      mapper.toAlert(old, alert);
      if (!mapper.readable(old)) {
        metrics.reset(StreamMetrics.ResetCause.UNKNOWN_VERSION);
      } else {
        DeviceEventPolicy.Start start = devicePolicy.start(old.getModelId(), last, m.modelId(), t);
        if (start == DeviceEventPolicy.Start.MODEL_SWAP) {
          metrics.reset(StreamMetrics.ResetCause.MODEL_SWAP);
        } else if (start == DeviceEventPolicy.Start.SILENCE_GAP) {
          metrics.reset(StreamMetrics.ResetCause.SILENCE_GAP);
        } else {
          restored = mapper.toMemory(old, memory);
          if (!restored) {
            // Same model id but arrays of another size: only a corrupt state can do this.
            metrics.reset(StreamMetrics.ResetCause.UNKNOWN_VERSION);
          }
        }
      }
    }

    long t0 = System.nanoTime();
    float score = devicePolicy.step(m, e, memory, !restored);
    metrics.stepped(System.nanoTime() - t0);
    boolean warming = m.warming(memory);
    metrics.scored(score);

    alert.staleAlerted = false;
    AlertPolicy.Transition tr = policy.apply(alert, score, t, warming);
    // Outcomes settled by this event (horizon passed, or this is the JAM), before its own RAISED.
    outcomeDevice = device;
    outcomeLine = e.getLineId();
    outcomeModel = m.modelId();
    outcomeTime = t;
    outcomeScore = score;
    outcomes.resolve(alert, t, e.getType() == EventType.JAM, outcomeSink);
    if (tr == AlertPolicy.Transition.RAISED) {
      outcomes.raised(alert, t);
    }
    devicePolicy.remember(recent, e.getEventId());
    store.put(device, mapper.toState(m.modelId(), e.getLineId(), memory, alert, score, wallNow, recent));

    JamRiskScore out =
        JamRiskScore.newBuilder()
            .setDeviceId(device)
            .setLineId(e.getLineId())
            .setEventTime(e.getEventTime())
            .setEventId(e.getEventId())
            .setModelId(m.modelId())
            .setScore(score)
            .setWarming(warming)
            .setEventCount(memory.eventCount)
            .build();
    context.forward(new Record<>(device, out, t), JamwatchTopology.SCORES_SINK);
    if (tr != AlertPolicy.Transition.NONE) {
      boolean raised = tr == AlertPolicy.Transition.RAISED;
      long horizon = raised ? m.alertHorizonMillis(score) : 0L; // before explain() re-steps the model
      emitAlert(
          device, e.getLineId(), raised ? AlertKind.RAISED : AlertKind.CLEARED, t, alert.raisedAt,
          m.modelId(), score, alert.peak, raised ? 0 : t - alert.raisedAt,
          raised ? explain(m, e, restored ? old : null, score) : List.of(), horizon);
    }
  }

  // The event being processed, for the outcome sink (a field, not a capturing lambda per event).
  private String outcomeDevice;
  private String outcomeLine;
  private String outcomeModel;
  private long outcomeTime;
  private float outcomeScore;
  private final AlertOutcomes.Sink outcomeSink = this::emitOutcome;

  private void emitOutcome(long raisedAt, boolean jamFollowed, long leadMillis) {
    JamAlert a =
        JamAlert.newBuilder()
            .setDeviceId(outcomeDevice)
            .setLineId(outcomeLine)
            .setKind(AlertKind.OUTCOME)
            .setTime(Instant.ofEpochMilli(outcomeTime))
            .setRaisedAt(Instant.ofEpochMilli(raisedAt))
            .setModelId(outcomeModel)
            .setScore(outcomeScore)
            .setPeakScore(outcomeScore)
            .setOutcome(new AlertOutcome(jamFollowed, leadMillis, outcomes.horizonMillis()))
            .build();
    metrics.outcome(jamFollowed);
    context.forward(new Record<>(outcomeDevice, a, outcomeTime), JamwatchTopology.ALERTS_SINK);
  }

  /**
   * Occlusion reasons for a raise (only then: one extra step per feature group). The state before
   * the event is re-read from the stored DeviceState still in hand ({@code before}, null when the
   * event started from a fresh state), so the per-event path keeps no copy.
   */
  private List<AlertReason> explain(ScoringModel m, ScannerEvent e, DeviceState before, float score) {
    if (explainer == null || explainer.model() != m) {
      explainer = new AlertExplainer(m);
    }
    DeviceMemory prior = explainer.memoryBefore();
    if (before == null || !mapper.toMemory(before, prior)) {
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

  /** Wall-clock sweep: TTL eviction, STALE alerts, gauges. */
  private void sweep(long now) {
    StreamConfig.DeviceStatePolicy p = config.state();
    Map<String, Long> lineLastSeen = new HashMap<>();
    List<KeyValue<String, DeviceState>> evict = new ArrayList<>();
    List<KeyValue<String, DeviceState>> silent = new ArrayList<>();
    long held = 0;
    long open = 0;
    try (KeyValueIterator<String, DeviceState> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, DeviceState> kv = it.next();
        DeviceState s = kv.value;
        long seen = s.getLastSeenWallClock();
        if (now - seen > p.ttlMillis()) {
          evict.add(kv);
          continue;
        }
        held++;
        if (s.getAlertOpen()) {
          open++;
        }
        lineLastSeen.merge(s.getLineId(), seen, Math::max);
        if (p.staleAfterMillis() > 0 && !s.getStaleAlerted() && now - seen > p.staleAfterMillis()) {
          silent.add(kv);
        }
      }
    }
    for (KeyValue<String, DeviceState> kv : evict) {
      DeviceState s = kv.value;
      if (s.getAlertOpen()) {
        // Do not leave an alert open for ever on the topic: close it as the device leaves.
        emitAlert(
            kv.key, s.getLineId(), AlertKind.CLEARED, now, s.getAlertRaisedAt(), s.getModelId(),
            s.getLastScore(), s.getAlertPeak(), s.getLastEventTime().toEpochMilli() - s.getAlertRaisedAt(),
            List.of(), 0L);
      }
      if (!s.getPendingOutcomes().isEmpty()) {
        // The device leaves with alerts still waiting: nothing followed that this task will see.
        if (outcomes == null) {
          outcomes = AlertOutcomes.forHorizonSeconds(models.current().metadata().horizonSeconds());
        }
        AlertState left = new AlertState();
        mapper.toAlert(s, left);
        outcomeDevice = kv.key;
        outcomeLine = s.getLineId();
        outcomeModel = s.getModelId();
        outcomeTime = now;
        outcomeScore = s.getLastScore();
        outcomes.resolveAll(left, outcomeSink);
      }
      store.delete(kv.key);
      metrics.evicted();
    }
    for (KeyValue<String, DeviceState> kv : silent) {
      DeviceState s = kv.value;
      Long lineSeen = lineLastSeen.get(s.getLineId());
      if (lineSeen != null && now - lineSeen <= p.lineActiveMillis()) {
        store.put(kv.key, DeviceState.newBuilder(s).setStaleAlerted(true).build());
        emitAlert(
            kv.key, s.getLineId(), AlertKind.STALE, now, now, s.getModelId(), s.getLastScore(),
            s.getAlertOpen() ? s.getAlertPeak() : s.getLastScore(), 0, List.of(), 0L);
      }
    }
    metrics.taskCounts(task, held, open);
  }

  @Override
  public void close() {
    metrics.taskClosed(task);
  }
}
