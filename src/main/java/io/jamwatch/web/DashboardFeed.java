package io.jamwatch.web;

import io.jamwatch.avro.JamAlert;
import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.TrustedAvroClasses;
import io.jamwatch.stream.AvroSerde;
import io.jamwatch.stream.JsonRecordSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link DashboardView} from Kafka with a consumer of its own group (by default a fresh
 * one per process, so every dashboard sees every partition). On assignment it rewinds: jam-alerts
 * to the beginning (small, and an alert raised long ago may still be open), jam-risk and
 * scanner-events to the first record within the history window by record timestamp, or, when a
 * partition holds only older records (a replay of an old log), to its last
 * {@code backfillRecords} records. Reads committed records only: the stream writes with
 * exactly-once transactions, and aborted scores must not appear.
 *
 * <p>A value that does not decode is logged with topic, partition and offset and counted; the
 * dashboard only reads, so the record stays on its topic untouched.
 */
public final class DashboardFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

  private final DashboardConfig config;
  private final DashboardView view;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicLong consumed = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  /** End offsets when the partitions were assigned: reaching them all means the view is live. */
  private final Map<TopicPartition, Long> catchUp = new HashMap<>();
  private volatile boolean running = true;
  private volatile Throwable failure;

  private final io.jamwatch.ingest.EventDecoder eventDecoder;

  private DashboardFeed(DashboardConfig config, DashboardView view, io.jamwatch.ingest.EventDecoder events) {
    this.config = config;
    this.eventDecoder = events;
    this.view = view;
    this.consumer = new KafkaConsumer<>(consumerProps(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::loop, "dashboard-feed");
    this.thread.setDaemon(true);
  }

  private static boolean isJson(byte[] b) {
    return b.length > 0 && b[0] == '{';
  }

  /** Subscribes and starts the polling thread. */
  public static DashboardFeed start(DashboardConfig config, DashboardView view) {
    return start(config, view, null);
  }

  /** With the decoder of the events topic's input format (null: see {@link Dashboard#start}). */
  public static DashboardFeed start(DashboardConfig config, DashboardView view, io.jamwatch.ingest.EventDecoder events) {
    DashboardFeed f = new DashboardFeed(config, view, events);
    f.thread.start();
    return f;
  }

  /** Records applied to the view so far. */
  public long consumed() {
    return consumed.get();
  }

  /** Records whose value could not be decoded. */
  public long undecodable() {
    return undecodable.get();
  }

  /** The error that stopped the feed, or null while it runs. */
  public Throwable failure() {
    return failure;
  }

  static Properties consumerProps(DashboardConfig c) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
    String group = c.groupId().isEmpty() ? "jamwatch-dashboard-" + UUID.randomUUID() : c.groupId();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
    // Offsets are chosen on every assignment (see class doc), so committing them would mean nothing.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
    return p;
  }

  private List<String> topics() {
    List<String> t = new ArrayList<>(List.of(config.riskTopic(), config.alertsTopic()));
    if (!config.eventsTopic().isEmpty()) t.add(config.eventsTopic());
    return t;
  }

  private void loop() {
    // The stream's own serdes: jam-risk and jam-alerts are Avro single-object encoding (first byte
    // C3) or JSON (output.format=json, first byte '{'), whichever the stream writes; the events
    // topic is read with the input format's decoder when one is given.
    TrustedAvroClasses.register();
    AvroSerde<JamRiskScore> riskAvro = new AvroSerde<>(JamRiskScore.getClassSchema());
    AvroSerde<JamAlert> alertsAvro = new AvroSerde<>(JamAlert.getClassSchema());
    AvroSerde<ScannerEvent> eventsAvro = new AvroSerde<>(ScannerEvent.getClassSchema());
    JsonRecordSerde<JamRiskScore> riskJson = new JsonRecordSerde<>(JamRiskScore.getClassSchema());
    JsonRecordSerde<JamAlert> alertsJson = new JsonRecordSerde<>(JamAlert.getClassSchema());
    io.jamwatch.ingest.EventDecoder eventsJson = new io.jamwatch.ingest.JsonEventDecoder(io.jamwatch.ingest.EventMapping.defaults());
    java.util.function.Function<byte[], JamRiskScore> risk = b -> isJson(b) ? riskJson.decode(b) : riskAvro.decode(b);
    java.util.function.Function<byte[], JamAlert> alerts = b -> isJson(b) ? alertsJson.decode(b) : alertsAvro.decode(b);
    io.jamwatch.ingest.EventDecoder events = eventDecoder != null ? eventDecoder
        : b -> isJson(b) ? eventsJson.decode(b) : eventsAvro.decode(b);
    try {
      consumer.subscribe(topics(), new Rewind());
      while (running) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          if (r.value() == null) continue; // tombstone: nothing to show
          try {
            if (r.topic().equals(config.riskTopic())) view.onRisk(risk.apply(r.value()));
            else if (r.topic().equals(config.alertsTopic())) view.onAlert(alerts.apply(r.value()));
            else view.onEvent(events.decode(r.value()));
            consumed.incrementAndGet();
          } catch (RuntimeException e) {
            long n = undecodable.incrementAndGet();
            if (n <= 10 || n % 1000 == 0) {
              LOG.warn("dashboard cannot decode {}-{}@{} ({} so far): {}", r.topic(), r.partition(), r.offset(), n, e.toString());
            }
          }
        }
        if (!view.live() && caughtUp()) view.markLive();
      }
    } catch (WakeupException e) {
      if (running) failure = e;
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("dashboard feed stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private boolean caughtUp() {
    if (catchUp.isEmpty()) return !consumer.assignment().isEmpty();
    for (Map.Entry<TopicPartition, Long> e : catchUp.entrySet()) {
      if (consumer.assignment().contains(e.getKey()) && consumer.position(e.getKey()) < e.getValue()) return false;
    }
    catchUp.clear();
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5000);
  }

  /** Chooses the start offset of every newly assigned partition (see class doc). */
  private final class Rewind implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
      if (parts.isEmpty()) return;
      List<TopicPartition> fromStart = new ArrayList<>();
      Map<TopicPartition, Long> byTime = new HashMap<>();
      long since = System.currentTimeMillis() - config.history().toMillis();
      for (TopicPartition tp : parts) {
        if (tp.topic().equals(config.alertsTopic())) fromStart.add(tp);
        else byTime.put(tp, since);
      }
      if (!fromStart.isEmpty()) consumer.seekToBeginning(fromStart);
      catchUp.putAll(consumer.endOffsets(parts));
      if (byTime.isEmpty()) return;
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(byTime);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(byTime.keySet());
      Map<TopicPartition, Long> end = consumer.endOffsets(byTime.keySet());
      for (TopicPartition tp : byTime.keySet()) {
        OffsetAndTimestamp at = found.get(tp);
        long offset = at != null ? at.offset() : Math.max(begin.get(tp), end.get(tp) - config.backfillRecords());
        consumer.seek(tp, offset);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
      // Nothing committed, nothing to hand over.
    }
  }
}
