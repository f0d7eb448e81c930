package io.jamwatch.stream;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running detector: the topology of {@link JamwatchTopology} in a {@link KafkaStreams} with the
 * properties of {@link StreamConfig#streamsProperties()}. {@link #close()} closes KafkaStreams
 * first (committing or aborting the open transaction), then the models (ONNX Runtime sessions), so
 * no stream thread can step a closed session.
 */
public final class Detector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

  private final StreamConfig config;
  private final ModelProvider models;
  private final StreamMetrics metrics;
  private final KafkaStreams streams;

  public Detector(StreamConfig config, ModelProvider models, StreamMetrics metrics) {
    this.config = config;
    this.models = models;
    this.metrics = metrics;
    Topology topology = JamwatchTopology.build(config, models, metrics);
    Properties props = config.streamsProperties();
    props.put(DeadLetters.METRICS_CONFIG, metrics);
    this.streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("stream thread failed; replacing it", e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
  }

  public Detector start() {
    streams.start();
    return this;
  }

  public StreamConfig config() {
    return config;
  }

  public StreamMetrics metrics() {
    return metrics;
  }

  public ModelProvider models() {
    return models;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    try {
      streams.close(Duration.ofSeconds(30));
    } finally {
      models.close();
    }
  }
}
