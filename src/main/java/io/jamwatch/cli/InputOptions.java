package io.jamwatch.cli;

import io.jamwatch.ingest.IngestConfig;
import io.jamwatch.ingest.InputFormat;
import io.jamwatch.stream.StreamConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --input-format} and {@code --config} for the commands that read events from files ({@code
 * score}, {@code import-json}): the same keys as {@code run}'s config file ({@code input.format},
 * {@code mapping.*}), so one mapping serves the stream and the files.
 */
final class InputOptions {
  @Option(names = "--input-format",
      description = "jamwatch-avro (a folder of recorded *.avro logs) or json (a JSON-lines file, read through the"
          + " mapping). Default: the config file's input.format, else jamwatch-avro.")
  String format;

  @Option(names = "--config",
      description = "Properties file with input.format and mapping.* keys (the run config file serves).")
  Path config;

  IngestConfig ingest() throws IOException {
    IngestConfig in = config == null ? IngestConfig.defaults() : StreamConfig.load(config).ingest();
    if (format != null) {
      in = in.withFormat(InputFormat.parse(format));
    }
    if (in.format() == InputFormat.AVRO_REGISTRY) {
      throw new IllegalArgumentException(
          "avro-registry is a topic wire format (frames of a schema registry), not a file format; use jamwatch-avro or json");
    }
    return in;
  }
}
