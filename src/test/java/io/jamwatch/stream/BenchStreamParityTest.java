package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jamwatch.avro.JamRiskScore;
import io.jamwatch.avro.ScannerEvent;
import io.jamwatch.eval.bench.BenchScorer;
import io.jamwatch.eval.bench.NabBench;
import io.jamwatch.eval.nab.NabCorpus;
import io.jamwatch.eval.nab.NabScorer;
import io.jamwatch.eval.nab.NabSeries;
import io.jamwatch.features.FeatureSpec;
import io.jamwatch.model.CellType;
import io.jamwatch.model.ForecastSurprise;
import io.jamwatch.model.NetworkWeights;
import io.jamwatch.onnx.ModelMetadata;
import io.jamwatch.onnx.OnnxExporter;
import io.jamwatch.scoring.ScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark score of a public benchmark file equals, bit for bit, the score the topology emits
 * for the same rows: the bench feeds each row through the stream's own per-device path (admission,
 * silence-gap reset, model step, detector stages) with the same silence gap.
 */
class BenchStreamParityTest {
  private static final Path NAB = Path.of("../shared/eval/nab");

  @TempDir Path dir;

  @Test
  void benchScoresOfNabFilesEqualTheStreamedScores() throws Exception {
    assertTrue(Files.isDirectory(NAB), "the NAB corpus is expected beside the checkout at " + NAB.toAbsolutePath());
    List<NabSeries> all = NabCorpus.read(NAB).series();
    // Two files of different kinds: a synthetic one and a real one with irregular gaps; the second
    // with per-device standardisation, whose running moments go through the state store.
    List<NabSeries> files = List.of(all.get(all.size() / 4), all.get(all.size() - 1));
    for (NabSeries s : files) {
      List<ScannerEvent> ev = NabBench.events(s);
      List<ScannerEvent> training = ev.subList(0, (int) NabScorer.probationaryLength(s.size()));
      FeatureSpec spec = FeatureSpec.fit(training.iterator()).withDeviceWindow(s == files.get(1) ? 200 : 0);
      NetworkWeights w = NetworkWeights.random(CellType.GRU, spec.size(), 8, 1, true, false, true, new SplittableRandom(3));
      ModelMetadata meta = ModelMetadata.describe(w, spec, new ForecastSurprise.Stats(0f, 1f, 10, 0))
          .withScoreHead(ModelMetadata.Head.FORECAST);
      byte[] bytes = ScoringModel.withDetector(OnnxExporter.build(w, meta).toByteArray(), NabBench.detector());
      Path model = dir.resolve(s.relPath().replace('/', '_') + ".onnx");
      Files.write(model, bytes);

      float[] bench = new float[ev.size()];
      try (BenchScorer scorer = BenchScorer.of(ScoringModel.load(model), training)) {
        for (int i = 0; i < ev.size(); i++) bench[i] = scorer.score(ev.get(i));
      }

      long gap = BenchScorer.policyFor(training).silenceGapMillis();
      StreamConfig.DeviceStatePolicy d = StreamConfig.DeviceStatePolicy.defaults();
      StreamConfig cfg = StreamConfig.defaults().withModelPath(model).withState(new StreamConfig.DeviceStatePolicy(
          gap, d.ttlMillis(), d.recentEventIds(), d.punctuateMillis(), d.staleAfterMillis(), d.lineActiveMillis()));
      Properties p = cfg.streamsProperties();
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + s.size()).toString());
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
      try (ReloadingModelProvider models = new ReloadingModelProvider(model);
          TopologyTestDriver driver = new TopologyTestDriver(
              JamwatchTopology.build(cfg, models, new StreamMetrics()), p, Instant.ofEpochMilli(TestEvents.T0))) {
        JamwatchTopics t = JamwatchTopics.of(cfg.topics());
        TestInputTopic<String, ScannerEvent> in =
            driver.createInputTopic(t.events().name(), new StringSerializer(), t.events().valueSerde().serializer());
        TestOutputTopic<String, JamRiskScore> out =
            driver.createOutputTopic(t.scores().name(), new StringDeserializer(), t.scores().valueSerde().deserializer());
        for (ScannerEvent e : ev) in.pipeInput(e.getDeviceId(), e, e.getEventTime());
        List<JamRiskScore> streamed = out.readValuesToList();
        assertEquals(ev.size(), streamed.size(), s.relPath() + ": one score per row");
        int differing = 0;
        for (int i = 0; i < ev.size(); i++) {
          if (Float.floatToIntBits(streamed.get(i).getScore()) != Float.floatToIntBits(bench[i])) differing++;
        }
        assertEquals(0, differing, s.relPath() + ": rows whose streamed score differs from the bench score");
        float max = 0;
        for (float b : bench) max = Math.max(max, b);
        assertTrue(max > 0.5f, s.relPath() + ": the detector must have said something (max score " + max + ")");
      }
    }
  }
}
