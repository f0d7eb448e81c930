package io.jamwatch.stream;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Asks the cluster who it is (Admin {@code describeCluster}) before a command starts its clients,
 * so that a wrong address or wrong credentials are said in one line instead of an endless series of
 * client warnings: Kafka clients retry an unreachable bootstrap server for ever, logging each try.
 * Unreachable is retried (a broker may still be starting) until the wait is over; an authentication
 * or authorisation failure is final.
 */
public final class BrokerCheck {
  /** How long one attempt waits for an answer. */
  static final Duration ATTEMPT = Duration.ofSeconds(10);

  /** What the check found. */
  public sealed interface Result permits Reached, Unreachable, Refused {}

  /** A cluster answered. */
  public record Reached(String clusterId, int brokers) implements Result {}

  /** No broker answered within the wait. */
  public record Unreachable(String servers, Duration waited, String lastError) implements Result {}

  /** A broker answered and refused us (authentication or authorisation). */
  public record Refused(String servers, String reason) implements Result {}

  private BrokerCheck() {}

  /**
   * Tries every {@link #ATTEMPT} until a cluster answers, refuses, or {@code wait} is over (zero:
   * wait for ever); {@code status} gets one line after the first failed attempt and then one per
   * minute.
   */
  public static Result await(Properties clientProps, Duration wait, Consumer<String> status) {
    Properties admin = adminProps(clientProps);
    String servers = String.valueOf(admin.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    long start = System.nanoTime();
    long nextStatus = 0;
    String last = "";
    Admin created;
    try {
      created = Admin.create(admin);
    } catch (org.apache.kafka.common.KafkaException e) {
      // e.g. no resolvable bootstrap address
      Throwable c = e.getCause() == null ? e : e.getCause();
      return new Unreachable(servers, Duration.ZERO, c.getMessage());
    }
    try (Admin a = created) {
      while (true) {
        long elapsed = System.nanoTime() - start;
        Duration attempt = ATTEMPT;
        if (!wait.isZero()) {
          long left = wait.toNanos() - elapsed;
          if (left <= 0) {
            return new Unreachable(servers, Duration.ofNanos(elapsed), last);
          }
          attempt = Duration.ofNanos(Math.min(left, ATTEMPT.toNanos()));
        }
        long attemptStart = System.nanoTime();
        try {
          DescribeClusterResult r = a.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.max(1, attempt.toMillis())));
          String id = r.clusterId().get();
          int n = r.nodes().get().size();
          return new Reached(id, n);
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
            return new Refused(servers, c.getClass().getSimpleName() + ": " + c.getMessage());
          }
          last = c == null ? e.toString() : c.getClass().getSimpleName() + ": " + c.getMessage();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Unreachable(servers, Duration.ofNanos(System.nanoTime() - start), "interrupted");
        }
        long now = System.nanoTime();
        if (now - start >= nextStatus) {
          long s = Duration.ofNanos(now - start).toSeconds();
          status.accept(nextStatus == 0
              ? "no Kafka broker answered at " + servers + " within " + s + " s (" + last + "); retrying"
                  + (wait.isZero() ? "" : " for up to " + wait.toSeconds() + " s")
              : "still no Kafka broker at " + servers + " after " + s + " s; retrying");
          nextStatus = (now - start) + Duration.ofMinutes(1).toNanos();
        }
        // An attempt that failed fast (connection refused) must not turn into a busy loop.
        long spent = System.nanoTime() - attemptStart;
        if (spent < 1_000_000_000L) {
          try {
            Thread.sleep((1_000_000_000L - spent) / 1_000_000L);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unreachable(servers, Duration.ofNanos(System.nanoTime() - start), "interrupted");
          }
        }
      }
    }
  }

  /** The settings of {@code clientProps} an Admin client understands (SASL/TLS included). */
  static Properties adminProps(Properties clientProps) {
    Set<String> known = AdminClientConfig.configNames();
    Properties p = new Properties();
    for (Map.Entry<Object, Object> e : clientProps.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (k.startsWith("admin.") && known.contains(k.substring(6))) {
        p.put(k.substring(6), e.getValue());
      } else if (known.contains(k) && !p.containsKey(k)) {
        p.put(k, e.getValue());
      }
    }
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "jamwatch-broker-check");
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    return p;
  }

  /**
   * The one-line answer for a command about to start its Kafka clients: status lines on stderr
   * while retrying; null when a cluster answered (said on stderr), else exit code 2 after one line
   * naming the servers and the reason (no broker within the wait, or credentials refused).
   */
  public static Integer gate(String command, Properties clientProps, long waitSeconds) {
    Result r = await(clientProps, Duration.ofSeconds(Math.max(0, waitSeconds)),
        line -> System.err.println("jamwatch " + command + ": " + line));
    if (r instanceof Reached ok) {
      System.err.println("jamwatch " + command + ": Kafka cluster " + ok.clusterId() + " (" + ok.brokers() + " broker"
          + (ok.brokers() == 1 ? "" : "s") + ")");
      return null;
    }
    if (r instanceof Refused no) {
      System.err.println("jamwatch " + command + ": Kafka at " + no.servers() + " refused the connection: " + no.reason()
          + " (check the kafka.sasl.* / kafka.ssl.* / kafka.security.protocol keys)");
      return 2;
    }
    Unreachable u = (Unreachable) r;
    System.err.println("jamwatch " + command + ": no Kafka broker answered at " + u.servers() + " within "
        + u.waited().toSeconds() + " s (" + u.lastError() + "); check kafka.bootstrap.servers, or wait longer with --broker-wait");
    return 2;
  }
}
