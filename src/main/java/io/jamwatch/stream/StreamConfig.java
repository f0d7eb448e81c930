package io.jamwatch.stream;

import io.jamwatch.scoring.DeviceEventPolicy;
import io.jamwatch.scoring.AlertPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import io.jamwatch.ingest.EventMapping;
import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.RegistrySettings;
import io.jamwatch.onnx.ModelRuntime;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the detector needs, immutable and validated; one {@link #defaults()}. Read from a
 * properties file by {@link #load(Path)}: every key starting with {@code kafka.} is passed, prefix
 * stripped, to the Kafka Streams clients (bootstrap servers, SASL/TLS, application.id, ...); the
 * other keys are listed in {@link #KEYS} and an unknown one is an error (a typo must not silently
 * fall back to a default). {@code input.format}, {@code mapping.*} and {@code registry.*} make the
 * {@link IngestConfig} (how the events topic is read, ingest/), {@code output.format} the wire
 * format of jam-risk and jam-alerts.
 *
 * <p>{@code alertThresholdsFromModel}: when the config file sets neither alert threshold, the raise
 * and clear thresholds chosen at training time (carried in the model file) are used, with the
 * rest of {@code alert}; a model swap brings its own thresholds.
 *
 * <p>{@code runtime} ({@code model.runtime=ort|java}, default ort): what steps the model, see {@link
 * ModelRuntime}; the offline commands take the same choice ({@code --runtime}).
 */
public record StreamConfig(
    TopicNames topics,
    Path modelPath,
    DeviceStatePolicy state,
    InputChecks input,
    AlertPolicy alert,
    boolean alertThresholdsFromModel,
    int httpPort,
    Map<String, String> kafka,
    IngestConfig ingest,
    OutputFormat output,
    ModelRuntime runtime) {

  /** Configurable topic names. */
  public record TopicNames(String events, String scores, String alerts, String deadLetters) {
    public TopicNames {
      for (String n : new String[] {events, scores, alerts, deadLetters}) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("topic names must not be blank");
        }
      }
      if (Set.of(events, scores, alerts, deadLetters).size() != 4) {
        throw new IllegalArgumentException("the four topics must be distinct");
      }
    }

    public static TopicNames defaults() {
      return new TopicNames("scanner-events", "jam-risk", "jam-alerts", "scanner-events-dlq");
    }
  }

  /**
   * Per-device state governance. {@code silenceGapMillis}: a device whose next event comes later
   * than this (event time) restarts from the initial state. {@code ttlMillis}: a device not seen
   * for this long (wall clock) is evicted. {@code recentEventIds}: how many eventIds are kept to
   * recognise duplicates. {@code punctuateMillis}: wall-clock period of the TTL/STALE sweep. {@code
   * staleAfterMillis}: a device silent this long (wall clock) while another device of its line was
   * seen within {@code lineActiveMillis} gets a STALE alert; 0 disables. {@code store}: where the
   * device states live (RocksDB, or on the heap; both changelogged). The sweep visits the store in
   * slices of at most {@code sweepBatch} devices and about {@code sweepBudgetMillis} of the stream
   * thread's time, so a large store never stalls the thread; a full cycle starts at most every
   * {@code punctuateMillis}. {@code readCacheMegabytes}: heap an instance may spend holding device
   * states read from or written to a RocksDB store, so the per-event get skips RocksDB ({@link
   * CachedDeviceStore}; 0: none; not used by the heap store).
   */
  public record DeviceStatePolicy(
      long silenceGapMillis,
      long ttlMillis,
      int recentEventIds,
      long punctuateMillis,
      long staleAfterMillis,
      long lineActiveMillis,
      StoreKind store,
      int sweepBatch,
      long sweepBudgetMillis,
      int readCacheMegabytes) {
    /** The policy with the default store and sweep slices. */
    public DeviceStatePolicy(
        long silenceGapMillis, long ttlMillis, int recentEventIds, long punctuateMillis,
        long staleAfterMillis, long lineActiveMillis) {
      this(silenceGapMillis, ttlMillis, recentEventIds, punctuateMillis, staleAfterMillis, lineActiveMillis,
          StoreKind.ROCKSDB, DEFAULT_SWEEP_BATCH, DEFAULT_SWEEP_BUDGET_MILLIS, DEFAULT_READ_CACHE_MEGABYTES);
    }

    public static final int DEFAULT_SWEEP_BATCH = 20_000;
    public static final long DEFAULT_SWEEP_BUDGET_MILLIS = 5;
    /** Room for about 120,000 devices of a GRU H 64 (some 530 B each on the heap). */
    public static final int DEFAULT_READ_CACHE_MEGABYTES = 64;

    public DeviceStatePolicy {
      Objects.requireNonNull(store, "store");
      if (sweepBatch < 1 || sweepBudgetMillis < 1) {
        throw new IllegalArgumentException("state.sweep-batch and state.sweep-budget must be >= 1, got "
            + sweepBatch + " and " + sweepBudgetMillis + " ms");
      }
      if (readCacheMegabytes < 0) {
        throw new IllegalArgumentException("state.read-cache-mb must be >= 0 (0: no read cache), got " + readCacheMegabytes);
      }
      if (silenceGapMillis <= 0 || ttlMillis <= 0 || punctuateMillis <= 0) {
        throw new IllegalArgumentException("silence gap, TTL and punctuation interval must be > 0");
      }
      if (recentEventIds < 0 || recentEventIds > 1024) {
        throw new IllegalArgumentException("recent event ids must be in [0, 1024], got " + recentEventIds);
      }
      if (staleAfterMillis < 0 || lineActiveMillis <= 0) {
        throw new IllegalArgumentException("stale-after must be >= 0 and line-active window > 0");
      }
    }

    public static DeviceStatePolicy defaults() {
      return new DeviceStatePolicy(600_000L, 7L * 86_400_000L, 16, 5_000L, 60_000L, 30_000L);
    }

    public DeviceStatePolicy withStore(StoreKind kind) {
      return new DeviceStatePolicy(silenceGapMillis, ttlMillis, recentEventIds, punctuateMillis, staleAfterMillis,
          lineActiveMillis, kind, sweepBatch, sweepBudgetMillis, readCacheMegabytes);
    }

    public DeviceStatePolicy withSweep(int batch, long budgetMillis) {
      return new DeviceStatePolicy(silenceGapMillis, ttlMillis, recentEventIds, punctuateMillis, staleAfterMillis,
          lineActiveMillis, store, batch, budgetMillis, readCacheMegabytes);
    }

    public DeviceStatePolicy withReadCache(int megabytes) {
      return new DeviceStatePolicy(silenceGapMillis, ttlMillis, recentEventIds, punctuateMillis, staleAfterMillis,
          lineActiveMillis, store, sweepBatch, sweepBudgetMillis, megabytes);
    }
  }

  /** Where the per-device states live: {@code rocksdb} (default, tuned by {@link DeviceStoreRocksConfig}) or {@code memory}. */
  public enum StoreKind {
    ROCKSDB, MEMORY;

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static StoreKind parse(String text) {
      for (StoreKind k : values()) {
        if (k.key().equals(text.trim().toLowerCase(java.util.Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("state.store: '" + text + "' is not one of rocksdb, memory");
    }
  }

  /**
   * Plausibility checks on input events: event times before {@code minEventTime} or more than
   * {@code maxFutureSkewMillis} ahead of the wall clock are absurd.
   */
  public record InputChecks(Instant minEventTime, long maxFutureSkewMillis) {
    public InputChecks {
      Objects.requireNonNull(minEventTime, "minEventTime");
      if (maxFutureSkewMillis < 0) {
        throw new IllegalArgumentException("max future skew must be >= 0");
      }
    }

    public static InputChecks defaults() {
      return new InputChecks(Instant.parse("2000-01-01T00:00:00Z"), 86_400_000L);
    }
  }

  /** The per-device admission and reset policy of these input checks and state policy. */
  public static DeviceEventPolicy eventPolicy(InputChecks input, DeviceStatePolicy state) {
    return new DeviceEventPolicy(
        input.minEventTime().toEpochMilli(), input.maxFutureSkewMillis(), state.silenceGapMillis(), state.recentEventIds());
  }

  /** The stream's default admission and reset policy. */
  public static DeviceEventPolicy defaultEventPolicy() {
    return eventPolicy(InputChecks.defaults(), DeviceStatePolicy.defaults());
  }

  public StreamConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(modelPath, "modelPath");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(alert, "alert");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http.port must be in [0, 65535], got " + httpPort);
    }
    kafka = Collections.unmodifiableMap(new LinkedHashMap<>(kafka));
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(runtime, "runtime");
  }

  /** The configuration before input/output formats existed: jamwatch Avro in and out. */
  public StreamConfig(
      TopicNames topics, Path modelPath, DeviceStatePolicy state, InputChecks input, AlertPolicy alert,
      boolean alertThresholdsFromModel, int httpPort, Map<String, String> kafka) {
    this(topics, modelPath, state, input, alert, alertThresholdsFromModel, httpPort, kafka,
        IngestConfig.defaults(), OutputFormat.AVRO, ModelRuntime.ORT);
  }

  public static StreamConfig defaults() {
    return new StreamConfig(
        TopicNames.defaults(),
        Path.of("models/default.onnx"),
        DeviceStatePolicy.defaults(),
        InputChecks.defaults(),
        AlertPolicy.defaults(),
        true,
        8080,
        Map.of(),
        IngestConfig.defaults(),
        OutputFormat.AVRO,
        ModelRuntime.ORT);
  }

  /** The non-{@code kafka.} keys of the config file, besides {@code registry.*} and EventMapping's {@code mapping.*}. */
  public static final Set<String> KEYS =
      Collections.unmodifiableSet(
          new TreeSet<>(
              Set.of(
                  "topic.events", "topic.scores", "topic.alerts", "topic.dlq",
                  "model.path",
                  "state.silence-gap", "state.ttl", "state.recent-event-ids",
                  "state.punctuate-interval", "stale.after", "stale.line-active-window",
                  "state.store", "state.sweep-batch", "state.sweep-budget", "state.read-cache-mb",
                  "input.min-event-time", "input.max-future-skew",
                  "alert.raise-threshold", "alert.clear-threshold", "alert.min-events-above",
                  "alert.min-duration-above", "alert.cooldown", "alert.suppress-events",
                  "http.port", "model.runtime",
                  "input.format", "output.format")));

  static {
    // The mapping's keys are EventMapping's (one list, with their defaults).
    Set<String> all = new TreeSet<>(KEYS);
    all.addAll(EventMapping.KEYS.keySet());
    KEYS_WITH_MAPPING = Collections.unmodifiableSet(all);
  }

  private static final Set<String> KEYS_WITH_MAPPING;

  public static StreamConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    try {
      return fromProperties(p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public static StreamConfig fromProperties(Properties p) {
    StreamConfig d = defaults();
    Map<String, String> kafka = new LinkedHashMap<>();
    for (String k : new TreeSet<>(p.stringPropertyNames())) {
      if (k.startsWith("kafka.")) {
        kafka.put(k.substring("kafka.".length()), p.getProperty(k).trim());
      } else if (!KEYS_WITH_MAPPING.contains(k) && !k.startsWith("registry.")) {
        throw new IllegalArgumentException("unknown config key '" + k + "'; known keys: kafka.*, registry.* and " + KEYS_WITH_MAPPING);
      }
    }
    TopicNames t = d.topics();
    TopicNames topics =
        new TopicNames(
            p.getProperty("topic.events", t.events()).trim(),
            p.getProperty("topic.scores", t.scores()).trim(),
            p.getProperty("topic.alerts", t.alerts()).trim(),
            p.getProperty("topic.dlq", t.deadLetters()).trim());
    DeviceStatePolicy s = d.state();
    DeviceStatePolicy state =
        new DeviceStatePolicy(
            duration(p, "state.silence-gap", s.silenceGapMillis()),
            duration(p, "state.ttl", s.ttlMillis()),
            integer(p, "state.recent-event-ids", s.recentEventIds()),
            duration(p, "state.punctuate-interval", s.punctuateMillis()),
            duration(p, "stale.after", s.staleAfterMillis()),
            duration(p, "stale.line-active-window", s.lineActiveMillis()),
            p.containsKey("state.store") ? StoreKind.parse(p.getProperty("state.store")) : s.store(),
            integer(p, "state.sweep-batch", s.sweepBatch()),
            duration(p, "state.sweep-budget", s.sweepBudgetMillis()),
            integer(p, "state.read-cache-mb", s.readCacheMegabytes()));
    InputChecks in = d.input();
    InputChecks input =
        new InputChecks(
            p.containsKey("input.min-event-time")
                ? Instant.parse(p.getProperty("input.min-event-time").trim())
                : in.minEventTime(),
            duration(p, "input.max-future-skew", in.maxFutureSkewMillis()));
    AlertPolicy a = d.alert();
    AlertPolicy alert =
        new AlertPolicy(
            floating(p, "alert.raise-threshold", a.raiseThreshold()),
            floating(p, "alert.clear-threshold", a.clearThreshold()),
            integer(p, "alert.min-events-above", a.minEventsAbove()),
            duration(p, "alert.min-duration-above", a.minMillisAbove()),
            duration(p, "alert.cooldown", a.cooldownMillis()),
            integer(p, "alert.suppress-events", a.suppressEvents()));
    return new StreamConfig(
        topics,
        Path.of(p.getProperty("model.path", d.modelPath().toString()).trim()),
        state,
        input,
        alert,
        !(p.containsKey("alert.raise-threshold") || p.containsKey("alert.clear-threshold")),
        integer(p, "http.port", d.httpPort()),
        kafka,
        new IngestConfig(
            InputFormat.parse(p.getProperty("input.format", d.ingest().format().key())),
            EventMapping.fromProperties(p),
            RegistrySettings.fromProperties(p, DurationText::millis)),
        OutputFormat.parse(p.getProperty("output.format", d.output().key())),
        p.containsKey("model.runtime") ? runtime(p.getProperty("model.runtime")) : d.runtime());
  }

  private static ModelRuntime runtime(String v) {
    try {
      return ModelRuntime.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model.runtime: " + e.getMessage(), e);
    }
  }

  /** What steps the model: ONNX Runtime (default) or the Java forward. */
  public StreamConfig withRuntime(ModelRuntime r) {
    return new StreamConfig(topics, modelPath, state, input, alert, alertThresholdsFromModel, httpPort, kafka, ingest, output, r);
  }

  public StreamConfig withKafka(Map<String, String> extra) {
    Map<String, String> k = new LinkedHashMap<>(kafka);
    k.putAll(extra);
    return new StreamConfig(topics, modelPath, state, input, alert, alertThresholdsFromModel, httpPort, k, ingest, output, runtime);
  }

  public StreamConfig withModelPath(Path model) {
    return new StreamConfig(topics, model, state, input, alert, alertThresholdsFromModel, httpPort, kafka, ingest, output, runtime);
  }

  public StreamConfig withState(DeviceStatePolicy s) {
    return new StreamConfig(topics, modelPath, s, input, alert, alertThresholdsFromModel, httpPort, kafka, ingest, output, runtime);
  }

  /** An explicit alert policy, thresholds included (the model's thresholds are then not used). */
  public StreamConfig withAlert(AlertPolicy a) {
    return new StreamConfig(topics, modelPath, state, input, a, false, httpPort, kafka, ingest, output, runtime);
  }

  public StreamConfig withTopics(TopicNames t) {
    return new StreamConfig(t, modelPath, state, input, alert, alertThresholdsFromModel, httpPort, kafka, ingest, output, runtime);
  }

  public StreamConfig withHttpPort(int port) {
    return new StreamConfig(topics, modelPath, state, input, alert, alertThresholdsFromModel, port, kafka, ingest, output, runtime);
  }

  /** Input format, mapping and registry of the events topic. */
  public StreamConfig withIngest(IngestConfig in) {
    return new StreamConfig(topics, modelPath, state, input, alert, alertThresholdsFromModel, httpPort, kafka, in, output, runtime);
  }

  /** Wire format of jam-risk and jam-alerts. */
  public StreamConfig withOutput(OutputFormat out) {
    return new StreamConfig(topics, modelPath, state, input, alert, alertThresholdsFromModel, httpPort, kafka, ingest, out, runtime);
  }

  /** The stream's producer batch size unless the config sets {@code batch.size} for it. */
  static final int PRODUCER_BATCH_BYTES = 128 * 1024;
  /** The main consumer's fetch.min.bytes unless the config sets it. */
  static final int CONSUMER_FETCH_MIN_BYTES = 64 * 1024;
  /** The main consumer's fetch.max.wait.ms unless the config sets it (the client's default is 500). */
  static final int CONSUMER_FETCH_MAX_WAIT_MS = 10;

  /**
   * The Kafka Streams properties: jamwatch's defaults (application.id {@code jamwatch},
   * bootstrap {@code localhost:9092}, {@code exactly_once_v2}, the RocksDB settings of {@link
   * DeviceStoreRocksConfig}, the client defaults below), then every {@code kafka.*} key of
   * the config file on top, so any client setting (SASL, TLS, producer/consumer overrides) can be
   * given. The dead-letter handlers are always installed.
   */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "jamwatch");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, DeviceStoreRocksConfig.class.getName());
    // Every event writes a score and a changelog record: 128 KB batches (the client's default is
    // 16 KB) send fewer, fuller requests, halving the broker's CPU per event (BENCHMARKS.md).
    clientDefault(p, StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES,
        ProducerConfig.BATCH_SIZE_CONFIG);
    // Live traffic arrives a few events at a time: with the client's fetch.min.bytes of 1 the main
    // consumer fetched every few events, and at half capacity the broker's handling of those
    // fetches took the CPU the stream needed. The broker now answers once 64 KB are there or
    // after 10 ms (BENCHMARKS.md: p99 at half capacity); a backlog still fetches full batches.
    clientDefault(p, StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), CONSUMER_FETCH_MIN_BYTES,
        ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
    clientDefault(p, StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), CONSUMER_FETCH_MAX_WAIT_MS,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    p.putAll(kafka);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    p.put(DeadLetters.TOPIC_CONFIG, topics.deadLetters());
    return p;
  }

  /**
   * Puts jamwatch's default for a client setting under {@code prefixedKey} unless the config's
   * {@code kafka.*} keys set {@code key} in any form (plain, {@code producer.}/{@code consumer.},
   * {@code main.consumer.}): Kafka Streams lets a prefixed key win over a plain one, so a default
   * put under the prefix would silently override the user's plain setting.
   */
  private void clientDefault(Properties p, String prefixedKey, int value, String key) {
    boolean given = kafka.containsKey(key) || kafka.containsKey(StreamsConfig.producerPrefix(key))
        || kafka.containsKey(StreamsConfig.consumerPrefix(key)) || kafka.containsKey(StreamsConfig.mainConsumerPrefix(key));
    if (!given) p.put(prefixedKey, String.valueOf(value));
  }

  private static long duration(Properties p, String key, long def) {
    String v = p.getProperty(key);
    return v == null ? def : DurationText.millis(key, v);
  }

  private static int integer(Properties p, String key, int def) {
    String v = p.getProperty(key);
    try {
      return v == null ? def : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not an integer: '" + v + "'", e);
    }
  }

  private static float floating(Properties p, String key, float def) {
    String v = p.getProperty(key);
    try {
      return v == null ? def : Float.parseFloat(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not a number: '" + v + "'", e);
    }
  }
}
