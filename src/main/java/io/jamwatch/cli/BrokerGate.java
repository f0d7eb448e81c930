package io.jamwatch.cli;

import io.jamwatch.stream.BrokerCheck;
import java.time.Duration;
import java.util.Properties;

/**
 * The one-line answer to "is the broker there?" before a command starts its Kafka clients (see
 * {@link BrokerCheck}): status lines on stderr while retrying, exit code 2 with the reason when no
 * broker answered within the wait or the broker refused the credentials.
 */
final class BrokerGate {
  private BrokerGate() {}

  /** Null when a cluster answered (and says so on stderr); else the exit code, after one line. */
  static Integer require(String command, Properties clientProps, long waitSeconds) {
    BrokerCheck.Result r = BrokerCheck.await(clientProps, Duration.ofSeconds(Math.max(0, waitSeconds)),
        line -> System.err.println("jamwatch " + command + ": " + line));
    if (r instanceof BrokerCheck.Reached ok) {
      System.err.println("jamwatch " + command + ": Kafka cluster " + ok.clusterId() + " (" + ok.brokers() + " broker"
          + (ok.brokers() == 1 ? "" : "s") + ")");
      return null;
    }
    if (r instanceof BrokerCheck.Refused no) {
      System.err.println("jamwatch " + command + ": Kafka at " + no.servers() + " refused the connection: " + no.reason()
          + " (check the kafka.sasl.* / kafka.ssl.* / kafka.security.protocol keys)");
      return 2;
    }
    BrokerCheck.Unreachable u = (BrokerCheck.Unreachable) r;
    System.err.println("jamwatch " + command + ": no Kafka broker answered at " + u.servers() + " within "
        + u.waited().toSeconds() + " s (" + u.lastError() + "); check kafka.bootstrap.servers, or wait longer with --broker-wait");
    return 2;
  }
}
