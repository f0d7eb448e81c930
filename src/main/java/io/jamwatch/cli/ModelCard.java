package io.jamwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jamwatch.train.EpochRecord;
import io.jamwatch.train.TrainConfig;
import io.jamwatch.train.TrainResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.jamwatch.eval.AlertMetrics;
import io.jamwatch.eval.PolicyThresholds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model card next to a model file: what it is (cell, shape, head, horizon), what it was trained
 * on (log folder, files, SHA-256 fingerprint of the decoded events, {@link io.jamwatch.logs.EventFingerprint}), how it did on validation (metrics, chosen thresholds
 * and the false-alarm rate they give), the config that reproduces it, and the learning curve. Written
 * as JSON (for tools) and Markdown (for people).
 */
public final class ModelCard {
  private ModelCard() {}

  /** Paths of the files written next to {@code model} ("x.onnx" -> x.card.json, x.card.md, x.curve.png). */
  public record Files3(Path json, Path md, Path png) {
    static Files3 beside(Path model) {
      String name = model.getFileName().toString();
      String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
      Path dir = model.toAbsolutePath().getParent();
      return new Files3(dir.resolve(stem + ".card.json"), dir.resolve(stem + ".card.md"), dir.resolve(stem + ".curve.png"));
    }
  }

  public static Map<String, Object> content(
      String modelId, Path model, TrainResult r, RecordedTrainingData.Loaded data, String command) {
    TrainConfig c = r.config();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_id", modelId);
    m.put("file", model.getFileName().toString());
    m.put("cell", c.cell().name().toLowerCase());
    m.put("layers", c.layers());
    m.put("hidden", c.hidden());
    m.put("input_size", r.weights().inputSize);
    m.put("linear_before_reset", c.linearBeforeReset());
    m.put("head", c.head().id());
    m.put("horizon_seconds", c.horizonMillis() / 1000);
    m.put("parameters", r.weights().parameterCount());
    Map<String, Object> th = new LinkedHashMap<>();
    th.put("raise", r.thresholds().raise());
    th.put("clear", r.thresholds().clear());
    th.put("target_false_alarms_per_device_hour", c.falseAlarmsPerDeviceHour());
    th.put("validation_false_alarms_per_device_hour", r.thresholds().falseAlarmsPerDeviceHour());
    th.put("target_met", r.thresholds().targetMet());
    th.put("validation_jams", r.thresholds().jams());
    th.put("validation_jams_caught", r.thresholds().jamsCaught());
    th.put("median_lead_seconds", r.thresholds().medianLeadSeconds());
    if (!Double.isNaN(r.thresholds().alertShare())) {
      // NaN once the train command has chosen the thresholds with the alert policy (no such figure).
      th.put("validation_alert_share", r.thresholds().alertShare());
    }
    m.put("thresholds", th);
    m.put("validation_metrics", r.metrics());
    if (r.surpriseStats() != null) m.put("surprise_stats", r.surpriseStats());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("logs", data.files().isEmpty() ? "" : String.valueOf(data.files().get(0).getParent()));
    d.put("files", data.files().stream().map(p -> p.getFileName().toString()).toList());
    d.put("fingerprint_sha256", data.fingerprint());
    d.put("events", data.data().events());
    d.put("devices", data.data().sequences().size());
    d.put("jam_events", data.jamEvents());
    d.put("validation_cut_millis", data.plan().cutMillis());
    d.put("validation_devices", data.plan().heldOut().stream().sorted().toList());
    m.put("data", d);
    m.put("features", r.spec() == null ? List.of() : r.spec().featureNames());
    m.put("config", c);
    m.put("best_epoch", r.bestEpoch());
    m.put("stopped_early", r.stoppedEarly());
    m.put("train_seconds", r.trainSeconds());
    List<Map<String, Object>> curve = new ArrayList<>();
    for (EpochRecord e : r.curve()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("epoch", e.epoch());
      p.put("train_loss", e.trainLoss());
      p.put("validation_loss", e.validationLoss());
      p.put("validation_" + r.metricName(), e.validationMetric());
      p.put("seconds", e.seconds());
      curve.add(p);
    }
    m.put("learning_curve", curve);
    m.put("command", command);
    return m;
  }

  /**
   * Adds the alert policy the thresholds were chosen with and its validation figures (the same
   * numbers {@code backtest} reports on the validation part with the same settings), at the chosen
   * thresholds and at the operators' budgets, with recall and median lead per mechanism.
   */
  public static void addAlertPolicy(Map<String, Object> card, PolicyThresholds.Choice choice, double clearFraction,
      boolean ladder) {
    var p = choice.policy();
    Map<String, Object> pol = new LinkedHashMap<>();
    // what the policy raises on: the primary score, or the horizon ladder (each alert judged on the horizon it claims)
    pol.put("signal", ladder ? "ladder" : "primary");
    pol.put("raise", p.raiseThreshold());
    pol.put("clear", p.clearThreshold());
    pol.put("clear_fraction", clearFraction);
    pol.put("min_events_above", p.minEventsAbove());
    pol.put("min_millis_above", p.minMillisAbove());
    pol.put("cooldown_millis", p.cooldownMillis());
    pol.put("suppress_events", p.suppressEvents());
    pol.put("target_met", choice.targetMet());
    pol.put("validation", outcome(choice.outcome()));
    card.put("alert_policy", pol);
    Map<String, Object> ops = new LinkedHashMap<>();
    choice.operatingPoints().forEach((k, v) -> ops.put(k.key(), v == null ? null : outcome(v)));
    card.put("operating_points", ops);
  }

  /** One alert outcome for the card (the same fields as backtest's summary.json). */
  static Map<String, Object> outcome(AlertMetrics.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threshold", o.threshold());
    m.put("alerts", o.alerts());
    m.put("false_alarms", o.falseAlarms());
    m.put("false_alarms_per_device_hour", o.falseAlarmsPerDeviceHour());
    m.put("device_hours", o.deviceHours());
    m.put("jams", o.jams());
    m.put("caught", o.caught().size());
    m.put("recall", o.recall());
    m.put("preventable_recall", o.preventableRecall());
    m.put("median_lead_seconds", o.medianLeadSeconds());
    Map<String, Object> bm = new LinkedHashMap<>();
    for (String mech : o.jamsByMechanism().keySet()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("jams", o.jamsByMechanism().get(mech));
      x.put("recall", o.recall(mech::equals));
      x.put("median_lead_seconds", o.medianLeadSeconds(mech));
      bm.put(mech, x);
    }
    m.put("by_mechanism", bm);
    Map<String, Object> bc = new LinkedHashMap<>();
    o.byClaimSeconds().forEach((h, n) -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("alerts", n[0]);
      x.put("false_alarms", n[1]);
      bc.put(Long.toString(h), x);
    });
    m.put("by_claimed_horizon_seconds", bc);
    return m;
  }

  public static void writeJson(Map<String, Object> card, Path json) {
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), card);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + json, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static void writeMarkdown(Map<String, Object> card, TrainResult r, Path md, Path png) {
    StringBuilder s = new StringBuilder();
    s.append("# Model card: ").append(card.get("file")).append("\n\n");
    s.append("| | |\n|---|---|\n");
    for (String k : List.of("model_id", "cell", "layers", "hidden", "input_size", "linear_before_reset", "head", "horizon_seconds", "parameters", "best_epoch", "stopped_early"))
      s.append("| ").append(k).append(" | ").append(card.get(k)).append(" |\n");
    s.append(String.format("| train_seconds | %.1f |%n", r.trainSeconds()));
    s.append("\n## Alert thresholds (chosen on validation by replaying the stream's alert policy)\n\n| | |\n|---|---|\n");
    ((Map<String, Object>) card.get("thresholds")).forEach((k, v) -> s.append("| ").append(k).append(" | ").append(fmt(v)).append(" |\n"));
    if (card.get("operating_points") instanceof Map<?, ?> ops) {
      s.append("\n## Operating points (validation, the stream's alert policy replayed)\n\n"
          + "| budget | threshold | false alarms | recall | preventable recall | median lead s | per mechanism: recall / lead s |\n|---|---|---|---|---|---|---|\n");
      ops.forEach((k, v) -> {
        if (!(v instanceof Map<?, ?> o)) {
          s.append("| ").append(k).append(" | no threshold within the budget | | | | | |\n");
          return;
        }
        StringBuilder pm = new StringBuilder();
        ((Map<String, Map<String, Object>>) o.get("by_mechanism")).forEach((mech, x) ->
            pm.append(mech).append(" ").append(fmt(x.get("recall"))).append(" / ").append(fmt(x.get("median_lead_seconds"))).append("; "));
        s.append("| ").append(k).append(" | ").append(fmt(o.get("threshold"))).append(" | ").append(o.get("false_alarms"))
            .append(" | ").append(fmt(o.get("recall"))).append(" | ").append(fmt(o.get("preventable_recall")))
            .append(" | ").append(fmt(o.get("median_lead_seconds"))).append(" | ").append(pm).append(" |\n");
      });
    }
    s.append("\n## Validation metrics\n\nSplit by device and time: training saw only the training devices before the cut;"
        + " validation scores the held-out devices and every device after the cut.\n\n| metric | value |\n|---|---|\n");
    r.metrics().forEach((k, v) -> s.append("| ").append(k).append(" | ").append(fmt(v)).append(" |\n"));
    s.append("\n## Data\n\n| | |\n|---|---|\n");
    ((Map<String, Object>) card.get("data")).forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    s.append("\n## Learning curve\n\n![learning curve](").append(png.getFileName()).append(")\n\n");
    s.append("| epoch | train loss | validation loss | validation ").append(r.metricName()).append(" |\n|---|---|---|---|\n");
    for (EpochRecord e : r.curve())
      s.append(String.format("| %d | %.5f | %.5f | %.4f |%n", e.epoch(), e.trainLoss(), e.validationLoss(), e.validationMetric()));
    s.append("\n## Config\n\n```\n").append(r.config()).append("\n```\n\nRegenerate: `").append(card.get("command")).append("`\n");
    try {
      Files.writeString(md, s.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + md, e);
    }
  }

  static String fmt(Object v) {
    if (v instanceof Double d) return Double.isNaN(d) ? "n/a" : String.format("%.4g", d);
    if (v instanceof Float f) return String.format("%.4g", f);
    return String.valueOf(v);
  }
}
