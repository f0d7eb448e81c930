package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamConfigTest {

  @Test
  void defaultsToExactlyOnceV2() {
    Properties p = StreamConfig.defaults().streamsProperties();
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals("jamwatch", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
  }

  @Test
  void passesEveryKafkaKeyThroughToTheClients() {
    Properties in = new Properties();
    in.setProperty("kafka.bootstrap.servers", "b1:9093,b2:9093");
    in.setProperty("kafka.security.protocol", "SASL_SSL");
    in.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
    in.setProperty("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    in.setProperty("kafka.ssl.truststore.location", "/etc/kafka/trust.jks");
    in.setProperty("kafka.processing.guarantee", "at_least_once");
    Properties out = StreamConfig.fromProperties(in).streamsProperties();
    assertEquals("b1:9093,b2:9093", out.get("bootstrap.servers"));
    assertEquals("SASL_SSL", out.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", out.get("sasl.mechanism"));
    assertTrue(out.get("sasl.jaas.config").toString().contains("ScramLoginModule"));
    assertEquals("/etc/kafka/trust.jks", out.get("ssl.truststore.location"));
    assertEquals("at_least_once", out.get("processing.guarantee"));
  }

  @Test
  void producerBatchesDefaultTo128KbAndTheConfigOverridesThem() {
    assertEquals("131072", StreamConfig.defaults().streamsProperties().get("producer.batch.size"));
    Properties in = new Properties();
    in.setProperty("kafka.producer.batch.size", "16384");
    assertEquals("16384", StreamConfig.fromProperties(in).streamsProperties().get("producer.batch.size"));
  }

  /**
   * jamwatch's client defaults reach the clients, and a user's setting wins in every form,
   * including the plain key, which Kafka Streams ranks below a prefixed one (a default put under
   * the prefix would silently override it): checked on the configs Kafka Streams hands its clients.
   */
  @Test
  void clientDefaultsReachTheClientsAndAnyFormOfTheUsersKeyWins() {
    org.apache.kafka.streams.StreamsConfig defaults = new org.apache.kafka.streams.StreamsConfig(StreamConfig.defaults().streamsProperties());
    Map<String, Object> consumer = defaults.getMainConsumerConfigs("g", "c", 0);
    assertEquals("65536", String.valueOf(consumer.get("fetch.min.bytes")));
    assertEquals("10", String.valueOf(consumer.get("fetch.max.wait.ms")));
    assertEquals("131072", String.valueOf(defaults.getProducerConfigs("p").get("batch.size")));
    // the restore consumer keeps the client defaults (a restore reads a backlog)
    assertEquals(null, defaults.getRestoreConsumerConfigs("r").get("fetch.min.bytes"));

    for (String form : new String[] {"", "consumer.", "main.consumer."}) {
      Properties in = new Properties();
      in.setProperty("kafka." + form + "fetch.min.bytes", "1");
      in.setProperty("kafka." + form + "fetch.max.wait.ms", "500");
      Map<String, Object> c = new org.apache.kafka.streams.StreamsConfig(StreamConfig.fromProperties(in).streamsProperties())
          .getMainConsumerConfigs("g", "c", 0);
      assertEquals("1", String.valueOf(c.get("fetch.min.bytes")), form);
      assertEquals("500", String.valueOf(c.get("fetch.max.wait.ms")), form);
    }
    for (String form : new String[] {"", "producer."}) {
      Properties in = new Properties();
      in.setProperty("kafka." + form + "batch.size", "16384");
      Map<String, Object> pr = new org.apache.kafka.streams.StreamsConfig(StreamConfig.fromProperties(in).streamsProperties())
          .getProducerConfigs("p");
      assertEquals("16384", String.valueOf(pr.get("batch.size")), form);
    }
  }

  @Test
  void readsStoreKindAndSweepSlicesAndInstallsTheRocksDbSettings() {
    Properties in = new Properties();
    in.setProperty("state.store", "memory");
    in.setProperty("state.sweep-batch", "500");
    in.setProperty("state.sweep-budget", "2ms");
    StreamConfig c = StreamConfig.fromProperties(in);
    assertEquals(StreamConfig.StoreKind.MEMORY, c.state().store());
    assertEquals(500, c.state().sweepBatch());
    assertEquals(2, c.state().sweepBudgetMillis());
    assertEquals(StreamConfig.StoreKind.ROCKSDB, StreamConfig.defaults().state().store());
    assertEquals(DeviceStoreRocksConfig.class.getName(),
        StreamConfig.defaults().streamsProperties().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    Properties bad = new Properties();
    bad.setProperty("state.store", "redis");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamConfig.fromProperties(bad))
        .getMessage().contains("state.store"));
    Properties zero = new Properties();
    zero.setProperty("state.sweep-batch", "0");
    assertThrows(IllegalArgumentException.class, () -> StreamConfig.fromProperties(zero));
  }

  @Test
  void readsTheReadCacheSizeAndRefusesANegativeOne() {
    assertEquals(64, StreamConfig.defaults().state().readCacheMegabytes());
    Properties in = new Properties();
    in.setProperty("state.read-cache-mb", "0");
    assertEquals(0, StreamConfig.fromProperties(in).state().readCacheMegabytes());
    in.setProperty("state.read-cache-mb", "512");
    assertEquals(512, StreamConfig.fromProperties(in).state().readCacheMegabytes());
    in.setProperty("state.read-cache-mb", "-1");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamConfig.fromProperties(in))
        .getMessage().contains("state.read-cache-mb"));
  }

  @Test
  void readsDurationsThresholdsAndTopics() {
    Properties in = new Properties();
    in.setProperty("topic.events", "ev");
    in.setProperty("state.silence-gap", "90s");
    in.setProperty("state.ttl", "2d");
    in.setProperty("stale.after", "PT45S");
    in.setProperty("alert.raise-threshold", "0.8");
    in.setProperty("alert.clear-threshold", "0.6");
    in.setProperty("alert.cooldown", "5m");
    StreamConfig c = StreamConfig.fromProperties(in);
    assertEquals("ev", c.topics().events());
    assertEquals(90_000, c.state().silenceGapMillis());
    assertEquals(2 * 86_400_000L, c.state().ttlMillis());
    assertEquals(45_000, c.state().staleAfterMillis());
    assertEquals(0.8f, c.alert().raiseThreshold());
    assertFalse(c.alertThresholdsFromModel(), "explicit thresholds win over the model's");
    assertEquals(300_000, c.alert().cooldownMillis());
  }

  @Test
  void rejectsUnknownKeyNamingIt() {
    Properties in = new Properties();
    in.setProperty("alert.raise-treshold", "0.8");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StreamConfig.fromProperties(in));
    assertTrue(e.getMessage().contains("alert.raise-treshold"), e.getMessage());
  }

  @Test
  void readsModelRuntimeDefaultingToOrt() {
    assertEquals(io.jamwatch.onnx.ModelRuntime.ORT, StreamConfig.defaults().runtime());
    Properties in = new Properties();
    in.setProperty("model.runtime", "java");
    StreamConfig c = StreamConfig.fromProperties(in);
    assertEquals(io.jamwatch.onnx.ModelRuntime.JAVA, c.runtime());
    assertEquals(io.jamwatch.onnx.ModelRuntime.JAVA, c.withModelPath(java.nio.file.Path.of("x.onnx")).runtime(), "kept by with*");
    in.setProperty("model.runtime", "gpu");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamConfig.fromProperties(in));
    assertEquals("model.runtime: model runtime 'gpu' is not one of ort, java", e.getMessage());
  }

  @Test
  void rejectsDurationWithoutUnit() {
    Properties in = new Properties();
    in.setProperty("state.ttl", "3600");
    assertThrows(IllegalArgumentException.class, () -> StreamConfig.fromProperties(in));
  }
}
