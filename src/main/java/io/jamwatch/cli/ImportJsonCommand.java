package io.jamwatch.cli;

import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.IngestFailure;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.ingest.JsonLinesReader;
import io.jamwatch.logs.RecordedLogWriter;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jamwatch import-json}: a JSON-lines file (what a gateway sends, one message per line) to a
 * recorded log, through the same mapping and decoder as {@code input.format=json} in the stream.
 * Lines that do not map are listed in {@code rejects.txt} (line number, reason, message) and
 * counted by reason; the rest is written in file order.
 */
@Command(
    name = "import-json",
    mixinStandardHelpOptions = true,
    description = "Imports a JSON-lines file into a recorded log through the mapping of --config (mapping.* keys;"
        + " default: jamwatch's own field names). Lines that do not map go to rejects.txt in the output folder.")
public final class ImportJsonCommand implements Callable<Integer> {
  static final String REJECTS = "rejects.txt";

  @Option(names = "--in", required = true, description = "JSON-lines file.")
  Path in;

  @Option(names = "--out", required = true, description = "Output folder (must hold no *.avro yet).")
  Path out;

  @Mixin InputOptions input;

  @Override
  public Integer call() throws Exception {
    IngestConfig cfg = input.ingest();
    if (cfg.format() != InputFormat.JSON && input.format == null) {
      cfg = cfg.withFormat(InputFormat.JSON);
    }
    if (cfg.format() != InputFormat.JSON) {
      throw new IllegalArgumentException("import-json reads json only, not " + cfg.format());
    }
    RecordedLogWriter.refuseExistingLog(out);
    Files.createDirectories(out);
    System.err.println("import-json: mapping");
    cfg.mapping().describe().forEach(l -> System.err.println("  " + l));
    Map<IngestFailure, Long> rejected = new EnumMap<>(IngestFailure.class);
    long imported = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long size = Math.max(1, Files.size(in));
    ProgressBar bar = new ProgressBar("import-json");
    try (JsonLinesReader r = new JsonLinesReader(in, cfg.mapping());
        RecordedLogWriter w = new RecordedLogWriter(out.resolve("part-00000.avro"));
        BufferedWriter rejects = Files.newBufferedWriter(out.resolve(REJECTS), StandardCharsets.UTF_8)) {
      long lines = 0;
      while (r.hasNext()) {
        JsonLinesReader.Line l = r.next();
        lines++;
        if (l.error() != null) {
          rejected.merge(l.error().failure(), 1L, Long::sum);
          rejects.write("line " + l.number() + ": " + l.error().failure() + " " + l.error().getMessage());
          rejects.newLine();
        } else {
          w.write(l.event());
          imported++;
          long t = l.event().getEventTime().toEpochMilli();
          first = Math.min(first, t);
          last = Math.max(last, t);
        }
        if ((lines & 4095) == 0) {
          bar.update(Math.min(0.99, lines * 200.0 / size), String.format("%,d lines", lines));
        }
      }
      bar.finish(String.format("%,d lines", lines));
    }
    long bad = rejected.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("imported    %,d events -> %s%n", imported, out);
    if (imported > 0) {
      System.out.printf("time span   %s .. %s%n", Instant.ofEpochMilli(first), Instant.ofEpochMilli(last));
    }
    System.out.printf("rejected    %,d%s%n", bad, bad == 0 ? "" : " " + rejected + " (lines in " + out.resolve(REJECTS) + ")");
    return 0;
  }
}
