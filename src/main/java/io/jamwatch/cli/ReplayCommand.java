package io.jamwatch.cli;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.logs.RecordedLogReader;
import io.jamwatch.stream.EventReplayer;
import io.jamwatch.stream.StreamConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch replay}: a recorded log onto a topic at recorded, scaled or maximum speed. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Replays a recorded log (folder of *.avro) onto a topic: key deviceId, record timestamp ="
            + " event time, idempotent producer.")
public final class ReplayCommand implements Callable<Integer> {

  @Option(names = "--logs", required = true, description = "Folder of recorded *.avro logs.")
  Path logs;

  @Option(names = "--topic", defaultValue = "scanner-events", description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--speed", defaultValue = "max", description = "1x, 10x, ... or max. Default: ${DEFAULT-VALUE}.")
  String speed;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Default: ${DEFAULT-VALUE} (kafka.bootstrap.servers of --config wins).")
  String bootstrap;

  @Option(names = "--config", description = "Optional properties file; its kafka.* keys configure the producer.")
  Path config;

  @Option(
      names = "--broker-wait",
      defaultValue = "60",
      description = "Seconds to wait for a Kafka broker to answer before giving up with exit code 2; 0 = wait for ever."
          + " Default: ${DEFAULT-VALUE}.")
  long brokerWaitSeconds;

  @Override
  public Integer call() throws Exception {
    EventReplayer.Speed pace = EventReplayer.Speed.parse(speed);
    Map<String, String> extra = Map.of();
    if (config != null) {
      extra = producerSafe(StreamConfig.load(config).kafka());
    }
    java.util.Properties check = new java.util.Properties();
    check.put("bootstrap.servers", bootstrap);
    check.putAll(extra);
    Integer unreachable = io.jamwatch.stream.BrokerCheck.gate("replay", check, brokerWaitSeconds);
    if (unreachable != null) {
      return unreachable;
    }
    long start = System.nanoTime();
    try (RecordedLogReader.EventStream events = RecordedLogReader.open(logs);
        KafkaProducer<String, ScannerEvent> producer = EventReplayer.producer(bootstrap, extra)) {
      Progress progress = new Progress(events);
      long n =
          new EventReplayer(producer, topic)
              .replay(progress, pace, false, count -> progress.print(count, start));
      progress.print(n, start);
      System.err.println();
      System.err.printf("replayed %d events onto %s at %s%n", n, topic, pace);
    }
    return 0;
  }

  /** Drops the Streams-only keys of a run config so the same file can feed the producer. */
  private static Map<String, String> producerSafe(Map<String, String> kafka) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>(kafka);
    for (String k : new String[] {"application.id", "processing.guarantee", "state.dir",
        "num.stream.threads", "commit.interval.ms", "num.standby.replicas"}) {
      m.remove(k);
    }
    return m;
  }

  /** Watches the events go by to show the event time reached on the progress line. */
  private static final class Progress implements Iterator<ScannerEvent> {
    private final Iterator<ScannerEvent> in;
    private volatile long lastEventTime;

    Progress(Iterator<ScannerEvent> in) {
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public ScannerEvent next() {
      ScannerEvent e = in.next();
      lastEventTime = e.getEventTime().toEpochMilli();
      return e;
    }

    void print(long n, long startNanos) {
      double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
      System.err.printf(
          "\rreplay %,12d events  %,9.0f ev/s  event time %s   ",
          n, n / secs, lastEventTime == 0 ? "-" : Instant.ofEpochMilli(lastEventTime));
    }
  }
}
