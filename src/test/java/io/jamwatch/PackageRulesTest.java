package io.jamwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of DESIGN.md, checked on the sources: the network (model/) and its training
 * (train/) know nothing of Kafka; serving (scoring/, onnx/, stream/ and the packages it needs) never
 * imports train/; model/ does not import train/; scoring/ is Kafka-free.
 */
class PackageRulesTest {
  private static final Path MAIN = Path.of("src/main/java/io/jamwatch");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

  private static List<String> violations(String pkg, String... forbiddenPrefixes) throws IOException {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          for (String prefix : forbiddenPrefixes) {
            if (m.group(1).startsWith(prefix)) bad.add(MAIN.relativize(f) + " imports " + m.group(1));
          }
        }
      }
    }
    return bad;
  }

  @Test
  void modelAndTrainingKnowNothingOfKafka() throws IOException {
    assertEquals(List.of(), violations("model", "org.apache.kafka", "io.jamwatch.train", "io.jamwatch.stream", "io.jamwatch.scoring"));
    assertEquals(List.of(), violations("train", "org.apache.kafka", "io.jamwatch.stream", "io.jamwatch.scoring"));
  }

  @Test
  void servingNeverImportsTraining() throws IOException {
    for (String pkg : List.of("scoring", "onnx", "stream", "features", "ingest")) {
      assertEquals(List.of(), violations(pkg, "io.jamwatch.train"), pkg);
    }
    assertEquals(List.of(), violations("scoring", "org.apache.kafka", "io.jamwatch.stream"));
  }
}
