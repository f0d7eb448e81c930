package io.jamwatch.stream;

import io.jamwatch.avro.ScannerEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts events on a topic in event-time order, paced at a multiple of recorded speed (or as fast as
 * possible): key = deviceId, record timestamp = event time, through an idempotent producer (acks
 * all), so a producer retry never duplicates an event. Optionally shifts event times so that the
 * first event happens now (the live demo).
 */
public final class EventReplayer {

  /** Pace relative to recorded time; {@link #MAX} sends without waiting. */
  public record Speed(double factor) {
    public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);

    public Speed {
      if (!(factor > 0)) {
        throw new IllegalArgumentException("speed must be > 0, got " + factor);
      }
    }

    /** Parses {@code 1x}, {@code 10x}, {@code 0.5x} or {@code max}. */
    public static Speed parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("max")) {
        return MAX;
      }
      if (t.endsWith("x")) {
        try {
          return new Speed(Double.parseDouble(t.substring(0, t.length() - 1)));
        } catch (NumberFormatException e) {
          // fall through to the message below
        }
      }
      throw new IllegalArgumentException("speed must be like 1x, 10x or max, got '" + text + "'");
    }

    @Override
    public String toString() {
      return Double.isInfinite(factor) ? "max" : factor + "x";
    }
  }

  private final Producer<String, ScannerEvent> producer;
  private final String topic;

  public EventReplayer(Producer<String, ScannerEvent> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** An idempotent producer for ScannerEvents; {@code extra} (e.g. SASL/TLS) goes on top. */
  public static KafkaProducer<String, ScannerEvent> producer(String bootstrap, Map<String, String> extra) {
    return producer(bootstrap, extra, new AvroSerde<ScannerEvent>(ScannerEvent.getClassSchema()).serializer());
  }

  /** The same producer writing another wire format (e.g. the JSON of an input mapping). */
  public static KafkaProducer<String, ScannerEvent> producer(
      String bootstrap, Map<String, String> extra, org.apache.kafka.common.serialization.Serializer<ScannerEvent> values) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    p.putAll(extra);
    return new KafkaProducer<>(p, new StringSerializer(), values);
  }

  /**
   * Sends every event of {@code events}; returns how many. {@code progress} is told the count now
   * and then. With {@code rebaseToNow}, event times are shifted so the first event is at the wall
   * clock of the start (all shifted by the same amount, so gaps are kept).
   */
  public long replay(Iterator<ScannerEvent> events, Speed speed, boolean rebaseToNow, LongConsumer progress)
      throws InterruptedException {
    long n = 0;
    long startWall = System.currentTimeMillis();
    long first = Long.MIN_VALUE;
    long shift = 0;
    while (events.hasNext()) {
      ScannerEvent e = events.next();
      long t = e.getEventTime().toEpochMilli();
      if (first == Long.MIN_VALUE) {
        first = t;
        shift = rebaseToNow ? startWall - first : 0;
      }
      if (!Double.isInfinite(speed.factor())) {
        long due = startWall + (long) ((t - first) / speed.factor());
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          producer.flush();
          Thread.sleep(wait);
        }
      }
      if (shift != 0) {
        e = ScannerEvent.newBuilder(e).setEventTime(Instant.ofEpochMilli(t + shift)).build();
      }
      producer.send(new ProducerRecord<>(topic, null, t + shift, e.getDeviceId(), e));
      n++;
      if ((n & 1023) == 0) {
        progress.accept(n);
      }
    }
    producer.flush();
    progress.accept(n);
    return n;
  }
}
