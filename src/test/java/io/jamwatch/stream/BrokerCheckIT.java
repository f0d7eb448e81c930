package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link BrokerCheck} against a real broker: it answers, with its cluster id, and no status line. */
class BrokerCheckIT {
  @Test
  void reachesARealBrokerWithoutAStatusLine() {
    try (TestBroker broker = TestBroker.start()) {
      Properties p = StreamConfig.defaults().withKafka(java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))
          .streamsProperties();
      List<String> status = new ArrayList<>();
      BrokerCheck.Result r = BrokerCheck.await(p, Duration.ofSeconds(30), status::add);
      BrokerCheck.Reached ok = assertInstanceOf(BrokerCheck.Reached.class, r);
      assertTrue(!ok.clusterId().isBlank());
      assertEquals(1, ok.brokers());
      assertEquals(List.of(), status);
      assertEquals(null, BrokerCheck.gate("run", p, 30), "the gate lets the command go on");
    }
  }
}
