package io.jamwatch.web;

import io.jamwatch.avro.AlertKind;
import io.jamwatch.avro.AlertReason;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders of the three record kinds the dashboard reads, for tests. */
final class Records {
  static {
    // Avro 1.12.2 resolves generated classes (also for a builder's default values) only if trusted.
    io.jamwatch.logs.TrustedAvroClasses.register();
  }

  private Records() {}

  static JamRiskScore risk(String device, String line, long t, float score, boolean warming) {
    return risk(device, line, t, score, warming, 1);
  }

  static JamRiskScore risk(String device, String line, long t, float score, boolean warming, long eventCount) {
    return JamRiskScore.newBuilder()
        .setDeviceId(device).setLineId(line).setEventTime(Instant.ofEpochMilli(t))
        .setModelId("m1").setScore(score).setWarming(warming).setEventCount(eventCount).build();
  }

  static JamAlert raised(String device, String line, long t, float score, List<AlertReason> reasons) {
    return JamAlert.newBuilder()
        .setDeviceId(device).setLineId(line).setKind(AlertKind.RAISED).setTime(Instant.ofEpochMilli(t))
        .setRaisedAt(Instant.ofEpochMilli(t)).setModelId("m1").setScore(score).setPeakScore(score)
        .setReasons(reasons).build();
  }

  static JamAlert cleared(String device, String line, long raisedAt, long t, float score, float peak) {
    return JamAlert.newBuilder()
        .setDeviceId(device).setLineId(line).setKind(AlertKind.CLEARED).setTime(Instant.ofEpochMilli(t))
        .setRaisedAt(Instant.ofEpochMilli(raisedAt)).setModelId("m1").setScore(score).setPeakScore(peak)
        .setDurationMillis(t - raisedAt).build();
  }

  /** What followed an alert raised at {@code raisedAt}: a jam after {@code leadMillis} (-1: none). */
  static JamAlert outcome(String device, String line, long raisedAt, long t, long leadMillis) {
    return JamAlert.newBuilder()
        .setDeviceId(device).setLineId(line).setKind(AlertKind.OUTCOME).setTime(Instant.ofEpochMilli(t))
        .setRaisedAt(Instant.ofEpochMilli(raisedAt)).setModelId("m1").setScore(0.5f).setPeakScore(0.5f)
        .setOutcome(new io.jamwatch.avro.AlertOutcome(leadMillis >= 0, leadMillis, 120_000L)).build();
  }

  static JamAlert stale(String device, String line, long t) {
    return JamAlert.newBuilder()
        .setDeviceId(device).setLineId(line).setKind(AlertKind.STALE).setTime(Instant.ofEpochMilli(t))
        .setRaisedAt(Instant.ofEpochMilli(t)).setModelId("m1").setScore(0f).setPeakScore(0f).build();
  }

  static ScannerEvent event(String device, String line, long t, Map<String, Float> readings) {
    return ScannerEvent.newBuilder()
        .setDeviceId(device).setLineId(line).setEventTime(Instant.ofEpochMilli(t))
        .setType(EventType.PACKAGE_SCANNED).setReadings(readings).build();
  }

  static AlertReason reason(String group, float drop) {
    return AlertReason.newBuilder().setGroup(group).setDrop(drop).build();
  }
}
