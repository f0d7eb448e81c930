package io.jamwatch.cli;

import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.ingest.EventMapping;
import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.JsonEventDecoder;
import io.jamwatch.ingest.JsonEventEncoder;
import io.jamwatch.stream.OutputFormat;
import io.jamwatch.sim.SimConfig;
import io.jamwatch.sim.Simulator;
import io.jamwatch.stream.Detector;
import io.jamwatch.stream.DetectorStatus;
import io.jamwatch.stream.EmbeddedBroker;
import io.jamwatch.stream.EventReplayer;
import io.jamwatch.stream.JamwatchTopics;
import io.jamwatch.stream.ReloadingModelProvider;
import io.jamwatch.stream.StatusTracker;
import io.jamwatch.stream.StreamConfig;
import io.jamwatch.stream.StreamMetrics;
import io.jamwatch.web.Dashboard;
import io.jamwatch.web.DashboardConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jamwatch demo}: everything in one JVM, no outside service. An in-JVM KRaft broker on
 * loopback, the four topics, the bundled model, a simulated line fed live (real time, event times
 * from now on), the detector topology, a console summary once a second, and the dashboard with the
 * detector's Prometheus metrics (/metrics) and status (/status) on http://127.0.0.1:8080. Ctrl-C
 * stops it cleanly.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs the whole detector on an in-JVM Kafka broker fed by a live simulated line.")
public final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @Option(names = "--model", defaultValue = "models/default.onnx", description = "Default: ${DEFAULT-VALUE}.")
  Path model;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--lines", defaultValue = "2", description = "Simulated lines. Default: ${DEFAULT-VALUE}.")
  int lines;

  @Option(names = "--scanners", defaultValue = "8", description = "Scanners per line. Default: ${DEFAULT-VALUE}.")
  int scanners;

  @Option(names = "--speed", defaultValue = "1x", description = "Feed pace: 1x is real time. Default: ${DEFAULT-VALUE}.")
  String speed;

  @Option(names = "--seed", defaultValue = "42", description = "Simulator seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description = "Stop after this many seconds; 0 = until Ctrl-C. Default: ${DEFAULT-VALUE}.")
  long durationSeconds;

  @Option(
      names = "--input-format",
      defaultValue = "jamwatch-avro",
      description = "Wire format of the simulated events: jamwatch-avro, or json (a gateway-style JSON message per event,"
          + " read through the mapping printed at start). Default: ${DEFAULT-VALUE}.")
  String inputFormat;

  @Option(names = "--output-format", defaultValue = "avro",
      description = "Wire format of jam-risk and jam-alerts: avro or json. Default: ${DEFAULT-VALUE}.")
  String outputFormat;

  /**
   * The mapping of {@code --input-format json}: what a typical scanner gateway sends (nested ids,
   * ISO-8601 times with an offset-free Z, short type codes, the PLC readings in a sub-object), so the
   * demo shows a mapping doing work rather than jamwatch's own names.
   */
  static final EventMapping GATEWAY =
      EventMapping.builder()
          .deviceId("/scanner/id")
          .lineId("/scanner/line")
          .eventTime("/ts")
          .timeFormat(EventMapping.TimeFormat.ISO)
          .type("/kind")
          .typeValues("scan:PACKAGE_SCANNED,noread:NO_READ,jam:JAM,clear:JAM_CLEARED,hb:HEARTBEAT")
          .eventId("/msgId")
          .readings("/plc/*")
          .build();

  @Override
  public Integer call() throws Exception {
    quietLogs();
    InputFormat format = InputFormat.parse(inputFormat);
    if (format == InputFormat.AVRO_REGISTRY) {
      System.err.println("jamwatch demo: --input-format is jamwatch-avro or json (the demo has no schema registry)");
      return 2;
    }
    OutputFormat output = OutputFormat.parse(outputFormat);
    if (!Files.isRegularFile(model)) {
      System.err.println(
          "jamwatch demo: no model at " + model.toAbsolutePath()
              + ". Run from the project folder (the bundled model is models/default.onnx), or pass"
              + " --model FILE; models/README.md says how to train one.");
      return 2;
    }
    EventReplayer.Speed pace = EventReplayer.Speed.parse(speed);
    GracefulShutdown shutdown = new GracefulShutdown();
    Path stateDir = Files.createTempDirectory("jamwatch-demo-state");
    System.err.println("jamwatch demo: starting an in-JVM Kafka broker on loopback ...");
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      StreamConfig cfg =
          StreamConfig.defaults()
              .withModelPath(model)
              .withHttpPort(port)
              .withKafka(
                  Map.of(
                      "bootstrap.servers", broker.bootstrapServers(),
                      "application.id", "jamwatch-demo",
                      "state.dir", stateDir.toString()))
              .withIngest(IngestConfig.defaults().withFormat(format).withMapping(GATEWAY))
              .withOutput(output);
      if (format == InputFormat.JSON) {
        System.err.println("jamwatch demo: events as gateway JSON, read through this mapping (config-file keys):");
        GATEWAY.describe().forEach(l -> System.err.println("  " + l));
        System.err.println("  e.g. " + new String(new JsonEventEncoder(GATEWAY).encode(
            new Simulator(SimConfig.defaults().withShape(1, 1, 1.0, seed)).events().next()), java.nio.charset.StandardCharsets.UTF_8));
      }
      JamwatchTopics topics = JamwatchTopics.of(cfg);
      broker.createTopics(topics, 4);
      StreamMetrics metrics = new StreamMetrics();
      ReloadingModelProvider models = new ReloadingModelProvider(model, cfg.runtime());
      String modelId = models.modelId();
      Detector detector = new Detector(cfg, models, metrics);
      StatusTracker tracker = new StatusTracker(detector, models::modelsInUse);
      // The dashboard is the demo's page: its own consumer of jam-risk / jam-alerts /
      // scanner-events, plus the detector's /metrics and /status on the same port.
      Dashboard http;
      try {
        http =
            Dashboard.start(DashboardConfig.defaults()
                    .withBootstrap(broker.bootstrapServers())
                    .withServer("127.0.0.1", port)
                    .withTopics(cfg.topics().scores(), cfg.topics().alerts(), cfg.topics().events()),
                    format == InputFormat.JSON ? new JsonEventDecoder(GATEWAY) : null)
                .serve("/metrics", "text/plain; version=0.0.4; charset=utf-8", metrics::scrape)
                .serve("/status", "application/json", () -> tracker.last().toJson())
                .detectorStatus(() -> tracker.last().toJson());
      } catch (java.net.BindException e) {
        detector.close();
        System.err.println("jamwatch demo: port " + port + " on 127.0.0.1 is in use; pass --port N");
        return 2;
      }
      detector.start();
      SimConfig sim =
          SimConfig.defaults()
              .withShape(lines, scanners, Double.POSITIVE_INFINITY, seed)
              .withStartMillis(System.currentTimeMillis());
      Thread feeder = new Thread(() -> feed(broker.bootstrapServers(), topics, sim, pace), "demo-feed");
      feeder.setDaemon(true);
      feeder.start();
      System.err.printf(
          "jamwatch demo: broker %s, model %s, %d lines x %d scanners at %s, input %s, output %s%n"
              + "  dashboard %s   metrics %smetrics   Ctrl-C stops%n",
          broker.bootstrapServers(), modelId.substring(0, Math.min(12, modelId.length())), lines,
          scanners, pace, format, output.key(), http.uri(), http.uri());
      long end = durationSeconds > 0 ? System.nanoTime() + durationSeconds * 1_000_000_000L : Long.MAX_VALUE;
      try {
        while (!shutdown.awaitMillis(1000) && System.nanoTime() < end) {
          DetectorStatus s = tracker.tick();
          System.err.print("\r" + s.consoleLine());
        }
      } finally {
        System.err.println();
        System.err.println("jamwatch demo: stopping ...");
        feeder.interrupt();
        feeder.join(5000);
        http.close();
        detector.close(); // KafkaStreams first, then the ONNX Runtime sessions
      }
      System.err.printf(
          "jamwatch demo: stopped cleanly after %.0f events, %.0f dead letters%n",
          metrics.eventsTotal(), metrics.deadLettersTotal());
    } finally {
      deleteTree(stateDir);
    }
    return 0;
  }

  /**
   * The console summary is the demo's output: the embedded broker's and clients' INFO chatter (and
   * a warning per dead letter) would scroll it away. Set before any Kafka class logs (slf4j-simple
   * reads these properties when a logger is first created); -D on the command line still wins.
   */
  private static void quietLogs() {
    String[][] levels = {
      {"org.slf4j.simpleLogger.defaultLogLevel", "warn"},
      {"org.slf4j.simpleLogger.log.org.apache.kafka", "error"},
      {"org.slf4j.simpleLogger.log.kafka", "error"},
      {"org.slf4j.simpleLogger.log.state.change.logger", "error"}, // the broker's partition-state log
      {"org.slf4j.simpleLogger.log.io.jamwatch.stream.DeadLetterProcessingHandler", "error"},
      {"org.slf4j.simpleLogger.log.io.jamwatch.stream.DeadLetterDeserializationHandler", "error"},
    };
    for (String[] l : levels) {
      if (System.getProperty(l[0]) == null) {
        System.setProperty(l[0], l[1]);
      }
    }
  }

  private static void feed(String bootstrap, JamwatchTopics topics, SimConfig sim, EventReplayer.Speed pace) {
    try (KafkaProducer<String, ScannerEvent> p =
        EventReplayer.producer(bootstrap, Map.of(), topics.events().valueSerde().serializer())) {
      new EventReplayer(p, topics.events().name())
          .replay(new Simulator(sim).events(), pace, false, n -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("demo feed stopped", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
