package io.jamwatch.cli;

import io.jamwatch.stream.Detector;
import io.jamwatch.stream.ReloadingModelProvider;
import io.jamwatch.stream.StatusHttpServer;
import io.jamwatch.stream.StatusTracker;
import io.jamwatch.stream.StreamConfig;
import io.jamwatch.stream.StreamMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch run --config FILE}: the detector topology against a broker until SIGTERM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the streaming detector against a Kafka cluster until SIGTERM/Ctrl-C.",
      "Config file keys: kafka.* (passed to the clients), topic.*, model.path, model.runtime, state.*, stale.*,",
      "input.*, alert.*, http.port, input.format, mapping.*, registry.*, output.format (see README).",
      "The model file is re-read when it changes."
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", required = true, description = "Properties file.")
  Path config;

  @picocli.CommandLine.Mixin RuntimeOptions runtime = new RuntimeOptions();

  @Option(
      names = "--model-poll",
      defaultValue = "5000",
      description = "How often (ms) to check the model file for a new version; 0 = never. Default: ${DEFAULT-VALUE}.")
  long modelPollMillis;

  @Option(
      names = "--broker-wait",
      defaultValue = "60",
      description = "Seconds to wait for a Kafka broker to answer before giving up with exit code 2; 0 = wait for ever"
          + " (a status line per minute). Default: ${DEFAULT-VALUE}.")
  long brokerWaitSeconds;

  @Override
  public Integer call() throws Exception {
    StreamConfig cfg = StreamConfig.load(config);
    cfg = cfg.withRuntime(runtime.or(cfg.runtime()));
    Integer unreachable = io.jamwatch.stream.BrokerCheck.gate("run", cfg.streamsProperties(), brokerWaitSeconds);
    if (unreachable != null) {
      return unreachable;
    }
    GracefulShutdown shutdown = new GracefulShutdown();
    StreamMetrics metrics = new StreamMetrics();
    ReloadingModelProvider models = new ReloadingModelProvider(cfg.modelPath(), cfg.runtime());
    Detector detector = new Detector(cfg, models, metrics);
    StatusTracker tracker = new StatusTracker(detector, models.modelId());
    StatusHttpServer http =
        cfg.httpPort() == 0
            ? null
            : new StatusHttpServer("127.0.0.1", cfg.httpPort(), metrics, tracker::last).start();
    detector.start();
    LOG.info("jamwatch running: model {} topics {}", models.modelId(), cfg.topics());
    System.err.printf("jamwatch run: running, model %s (runtime %s), input %s, output %s, topics %s%n", models.modelId(),
        cfg.runtime().key(), cfg.ingest().format(), cfg.output().key(), cfg.topics());
    FileTime seen = Files.getLastModifiedTime(cfg.modelPath());
    try {
      long poll = modelPollMillis > 0 ? modelPollMillis : 1000;
      while (!shutdown.awaitMillis(poll)) {
        tracker.tick();
        if (modelPollMillis > 0) {
          FileTime now = Files.getLastModifiedTime(cfg.modelPath());
          if (!now.equals(seen)) {
            seen = now;
            try {
              models.reload(cfg.modelPath());
            } catch (RuntimeException e) {
              LOG.error("new model file {} not loaded; keeping the running model", cfg.modelPath(), e);
            }
          }
        }
      }
    } finally {
      if (http != null) {
        http.close();
      }
      detector.close();
      LOG.info("jamwatch stopped cleanly");
      System.err.println("jamwatch run: stopped cleanly");
    }
    return 0;
  }
}
