package io.jamwatch.web;

import static io.jamwatch.web.Records.cleared;
import static io.jamwatch.web.Records.event;
import static io.jamwatch.web.Records.raised;
import static io.jamwatch.web.Records.reason;
import static io.jamwatch.web.Records.risk;
import static io.jamwatch.web.Records.stale;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Writes a small plant (3 lines x 8 scanners) onto the broker in the stream's output format, for
 * the browser test: a few minutes of calm history at once, then one tick (5 s of event time) every
 * 100 ms. Once {@link #startRamp()} is called, the target device's risk climbs to 0.95 and an alert
 * with reasons is raised when it crosses 0.7. The history also holds one alert raised and cleared
 * on another device, one device gone STALE and one device joining late (warming up).
 */
final class PlantFeeder implements AutoCloseable {

  static final String TARGET = "L01-S03";
  private static final String CLEARED_DEVICE = "L02-S05";
  private static final String STALE_DEVICE = "L03-S02";
  private static final String LATE_DEVICE = "L03-S08";
  private static final long STEP_MILLIS = 5_000;
  private static final int PREFILL_TICKS = 120;

  private final KafkaProducer<String, byte[]> producer;
  private final AtomicBoolean ramp = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private long eventTime;
  private int tick;
  private int rampTick = -1;
  private boolean alertOpen;

  PlantFeeder(TestBroker broker) {
    this.producer = broker.producer(null);
    this.eventTime = System.currentTimeMillis() - 30 * 60_000L;
    this.thread = new Thread(this::run, "plant-feeder");
    this.thread.setDaemon(true);
  }

  void start() {
    for (int i = 0; i < PREFILL_TICKS; i++) tick();
    producer.flush();
    thread.start();
  }

  void startRamp() {
    ramp.set(true);
  }

  private void run() {
    while (running.get()) {
      tick();
      producer.flush();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void tick() {
    tick++;
    eventTime += STEP_MILLIS;
    if (ramp.get() && rampTick < 0) rampTick = tick;
    for (int line = 1; line <= 3; line++) {
      for (int s = 1; s <= 8; s++) {
        String line3 = String.format("L%02d", line);
        String device = String.format("%s-S%02d", line3, s);
        if (device.equals(STALE_DEVICE) && tick > 60) continue;
        if (device.equals(LATE_DEVICE) && tick < 100) continue;
        float score = score(device, line, s);
        boolean warming = device.equals(LATE_DEVICE) && tick < 100 + 1000;
        TestBroker.send(producer, "jam-risk", device, eventTime, risk(device, line3, eventTime, score, warming, device.equals(LATE_DEVICE) ? tick - 99 : tick));
        TestBroker.send(producer, "scanner-events", device, eventTime, event(device, line3, eventTime, Map.of(
            "belt_speed", 1.5f + 0.02f * (float) Math.sin(tick / 7.0 + s),
            "gap_ms", 400f - 250f * score + 10f * (float) Math.sin(tick / 3.0 + line),
            "vibration_rms", 0.2f + 1.6f * score * score,
            "motor_current_a", 3.1f + 0.8f * score)));
        alerts(device, line3, score);
      }
    }
    if (tick == 61) TestBroker.send(producer, "jam-alerts", STALE_DEVICE, eventTime, stale(STALE_DEVICE, "L03", eventTime));
  }

  private float score(String device, int line, int s) {
    float base = 0.04f + 0.05f * ((line * 7 + s * 3) % 5) + 0.03f * (float) Math.sin(tick / 5.0 + s);
    if (device.equals(CLEARED_DEVICE) && tick >= 40 && tick < 55) return 0.82f;
    if (device.equals(TARGET) && rampTick > 0) {
      return Math.min(0.95f, base + 0.03f * (tick - rampTick));
    }
    return base;
  }

  private void alerts(String device, String line, float score) {
    if (device.equals(CLEARED_DEVICE) && tick == 40) {
      TestBroker.send(producer, "jam-alerts", device, eventTime,
          raised(device, line, eventTime, score, List.of(reason("gap_ms", 0.22f), reason("belt_speed", 0.04f))));
    }
    if (device.equals(CLEARED_DEVICE) && tick == 56) {
      long raisedAt = eventTime - 16 * STEP_MILLIS;
      TestBroker.send(producer, "jam-alerts", device, eventTime, cleared(device, line, raisedAt, eventTime, score, 0.82f));
      // A jam followed 70 s after the raise: the cleared row reads "jam followed after 1m 10s".
      TestBroker.send(producer, "jam-alerts", device, eventTime,
          Records.outcome(device, line, raisedAt, eventTime, 70_000L));
    }
    if (device.equals(TARGET) && !alertOpen && score >= 0.7f) {
      alertOpen = true;
      // fired on the model's 10-min horizon: the open-alerts row reads "jam risk within ~10 min"
      TestBroker.send(producer, "jam-alerts", device, eventTime, io.jamwatch.avro.JamAlert.newBuilder(raised(device, line, eventTime, score,
          List.of(reason("vibration_rms", 0.31f), reason("gap_ms", 0.12f), reason("time_since_prev", 0.03f))))
          .setHorizonMillis(600_000L).build());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5000);
    producer.close();
  }
}
