package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jamwatch.cli.JamwatchCli;
import io.jamwatch.web.DashboardConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * What can be checked of docker/ without a Docker engine: every file parses, the compose services
 * agree with each other and with jamwatch's config defaults (ports, topics, bootstrap), the
 * commands parse with the real CLI, and every metric the Grafana dashboard queries is one that
 * the detector really exposes.
 */
class DockerDeploymentTest {
  private static final Path DOCKER = Path.of("docker");
  private final ObjectMapper json = new ObjectMapper();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String file) throws IOException {
    return new Yaml().load(Files.readString(DOCKER.resolve(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) throws IOException {
    Map<String, Object> services = (Map<String, Object>) yaml("compose.yaml").get("services");
    Map<String, Object> s = (Map<String, Object>) services.get(name);
    assertTrue(s != null, "compose has no service " + name);
    return s;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Object o) {
    return (List<String>) o;
  }

  private static String kafkaBootstrap() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) service("kafka").get("environment");
    String advertised = env.get("KAFKA_ADVERTISED_LISTENERS").toString();
    assertTrue(advertised.startsWith("PLAINTEXT://"), advertised);
    return advertised.substring("PLAINTEXT://".length());
  }

  @Test
  void composeHasEveryServiceTheDeploymentNeeds() throws IOException {
    for (String s : List.of("kafka", "topics", "jamwatch", "dashboard", "feed", "prometheus", "grafana")) service(s);
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) service("kafka").get("environment");
    assertTrue(env.get("KAFKA_PROCESS_ROLES").toString().contains("controller"), "KRaft: the node is its own controller");
    assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").toString(), "exactly_once_v2 on one node");
  }

  @Test
  void detectorConfigLoadsAndKeepsTheDefaultTopicsAndPort() throws IOException {
    StreamConfig cfg = StreamConfig.load(DOCKER.resolve("jamwatch.properties"));
    StreamConfig d = StreamConfig.defaults();
    assertEquals(d.topics(), cfg.topics());
    assertEquals(d.httpPort(), cfg.httpPort());
    assertEquals(kafkaBootstrap(), cfg.streamsProperties().getProperty("bootstrap.servers"));
    assertEquals(List.of("run", "--config", "/config/jamwatch.properties"), list(service("jamwatch").get("command")));
    assertTrue(list(service("jamwatch").get("volumes")).contains("./jamwatch.properties:/config/jamwatch.properties:ro"));
    JamwatchCli.commandLine().parseArgs(list(service("jamwatch").get("command")).toArray(String[]::new));
  }

  @Test
  void topicInitCreatesExactlyTheDetectorsTopics() throws IOException {
    String cmd = list(service("topics").get("command")).get(0);
    Matcher m = Pattern.compile("for t in ([^;]+);").matcher(cmd);
    assertTrue(m.find(), cmd);
    Set<String> created = new TreeSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));
    StreamConfig.TopicNames t = StreamConfig.defaults().topics();
    assertEquals(new TreeSet<>(List.of(t.events(), t.scores(), t.alerts(), t.deadLetters())), created);
    assertTrue(cmd.contains("--bootstrap-server " + kafkaBootstrap()), cmd);
  }

  @Test
  void dashboardCommandParsesAndMatchesBrokerTopicsAndPublishedPort() throws IOException {
    List<String> args = list(service("dashboard").get("command"));
    CommandLine.ParseResult r = JamwatchCli.commandLine().parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult sub = r.subcommand();
    assertEquals("dashboard", sub.commandSpec().name());
    assertEquals(kafkaBootstrap(), sub.matchedOptionValue("--bootstrap", ""));
    int port = sub.matchedOptionValue("--port", -1);
    assertEquals(DashboardConfig.defaults().port(), port);
    assertEquals("0.0.0.0", sub.matchedOptionValue("--bind", ""), "inside a container, loopback is unreachable");
    assertEquals(List.of("127.0.0.1:" + port + ":" + port), list(service("dashboard").get("ports")));
    // The dashboard's default topics are the detector's.
    StreamConfig.TopicNames t = StreamConfig.defaults().topics();
    DashboardConfig dc = DashboardConfig.defaults();
    assertEquals(List.of(t.scores(), t.alerts(), t.events()), List.of(dc.riskTopic(), dc.alertsTopic(), dc.eventsTopic()));
  }

  @Test
  void feedReplaysOntoTheInputTopicOfTheBroker() throws IOException {
    String cmd = list(service("feed").get("command")).get(0);
    assertTrue(cmd.contains("--bootstrap-servers " + kafkaBootstrap()), cmd);
    assertTrue(cmd.contains("--topic " + StreamConfig.defaults().topics().events()), cmd);
    for (String part : cmd.split("&&")) {
      // The shell substitutes the start time; any ISO instant stands in for it here.
      String shell = part.trim().replaceAll("\\$\\$\\([^)]*\\)", "2026-01-05T06:00:00Z");
      List<String> words = new ArrayList<>(Arrays.asList(shell.split("\\s+")));
      int jar = words.indexOf("/app/jamwatch.jar");
      assertTrue(jar > 0, part);
      List<String> args = new ArrayList<>(words.subList(jar + 1, words.size()));
      JamwatchCli.commandLine().parseArgs(args.toArray(String[]::new));
    }
  }

  @Test
  void prometheusScrapesTheDetectorsMetricsPortInItsNetworkNamespace() throws IOException {
    assertEquals("service:jamwatch", service("prometheus").get("network_mode"));
    Map<String, Object> prom = yaml("prometheus.yml");
    @SuppressWarnings("unchecked")
    Map<String, Object> job = ((List<Map<String, Object>>) prom.get("scrape_configs")).get(0);
    assertEquals("/metrics", job.get("metrics_path"));
    @SuppressWarnings("unchecked")
    List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets");
    int port = StreamConfig.load(DOCKER.resolve("jamwatch.properties")).httpPort();
    assertEquals(List.of("localhost:" + port), targets);
    assertTrue(list(service("jamwatch").get("ports")).contains("127.0.0.1:9090:9090"), "Prometheus' port is published by the namespace owner");
    assertTrue(list(service("prometheus").get("command")).contains("--web.listen-address=:9090"));
  }

  @Test
  void grafanaDatasourceReachesPrometheusAndTheDashboardUsesIt() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> ds = ((List<Map<String, Object>>) yaml("grafana/provisioning/datasources/prometheus.yaml").get("datasources")).get(0);
    assertEquals("http://jamwatch:9090", ds.get("url"));
    yaml("grafana/provisioning/dashboards/jamwatch.yaml");
    JsonNode dash = json.readTree(DOCKER.resolve("grafana/dashboards/jamwatch.json").toFile());
    assertTrue(dash.get("panels").size() >= 5);
    for (JsonNode p : dash.get("panels")) {
      assertEquals(ds.get("uid"), p.get("datasource").get("uid").asText(), p.get("title").asText());
    }
  }

  @Test
  void everyMetricTheGrafanaDashboardQueriesIsExposedByTheDetector() throws IOException {
    StreamMetrics metrics = new StreamMetrics();
    // Meters created on first use: exercise them as the stream does.
    metrics.alert("RAISED");
    metrics.stepped(8_000);
    metrics.scored(0.4f);
    metrics.explained(90_000);
    Set<String> exposed = new LinkedHashSet<>();
    for (String line : metrics.scrape().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      exposed.add(line.split("[{ ]")[0]);
    }
    JsonNode dash = json.readTree(DOCKER.resolve("grafana/dashboards/jamwatch.json").toFile());
    Set<String> queried = new TreeSet<>();
    Pattern metric = Pattern.compile("jamwatch_[a-z_]+");
    for (JsonNode p : dash.get("panels")) {
      for (JsonNode t : p.get("targets")) {
        Matcher m = metric.matcher(t.get("expr").asText());
        while (m.find()) queried.add(m.group());
      }
    }
    assertFalse(queried.isEmpty());
    for (String q : queried) assertTrue(exposed.contains(q), q + " is not exposed; exposed: " + exposed);
    for (String needed : List.of("jamwatch_events_total", "jamwatch_score_percent_bucket", "jamwatch_open_alerts",
        "jamwatch_dead_letters_total", "jamwatch_step_seconds_bucket")) {
      assertTrue(queried.contains(needed), "the dashboard should chart " + needed);
    }
  }

  @Test
  void dockerfileRunsTheJarWithTheStackOnnxRuntimeNeedsAndExposesTheDefaultPort() throws IOException {
    String df = Files.readString(DOCKER.resolve("Dockerfile"));
    assertTrue(df.contains("ENTRYPOINT [\"java\", \"-Xss16m\""), df);
    assertTrue(df.contains("\"-jar\", \"/app/jamwatch.jar\"]"), df);
    assertTrue(df.contains("EXPOSE " + StreamConfig.defaults().httpPort()), df);
    assertTrue(df.contains("COPY models /app/models"), "the default model path models/default.onnx resolves under WORKDIR /app");
    assertTrue(df.contains("WORKDIR /app"));
  }
  @Test
  void kafkaImageIsTheOneTheTestsUseAndGrafanaIsOptional() throws IOException {
    // TestBroker's container, the compose broker and the topic init run the same image: the
    // official apache/kafka of the Kafka version the project builds with (built offline by
    // docker/build-local-images.sh under that name).
    assertEquals(TestBroker.IMAGE, service("kafka").get("image"));
    assertEquals(TestBroker.IMAGE, service("topics").get("image"));
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) service("kafka").get("environment");
    @SuppressWarnings("unchecked")
    String volume = ((List<String>) service("kafka").get("volumes")).get(0);
    assertEquals(volume.substring(volume.indexOf(':') + 1), env.get("KAFKA_LOG_DIRS"), "the broker writes to its volume");
    // Grafana's image cannot be built offline: it is in a profile, so `up` works without it.
    assertEquals(List.of("grafana"), list(service("grafana").get("profiles")));
  }
}
