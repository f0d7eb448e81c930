package io.jamwatch.ingest;

import io.jamwatch.avro.ScannerEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A JSON-lines file (one JSON object per line, blank lines skipped), decoded line by line by the
 * same {@link JsonEventDecoder} the stream uses. A line that does not map is not fatal: it is handed
 * to {@link #next()} as a {@link Line} with its {@link IngestException}, so a caller counts and
 * reports it as the stream would dead-letter it. Lines come in file order (no re-sorting: a late
 * line is judged as the stream would judge it).
 */
public final class JsonLinesReader implements Iterator<JsonLinesReader.Line>, AutoCloseable {

  /** One non-blank line: its number, and either the event or why it has none. */
  public record Line(long number, ScannerEvent event, IngestException error) {}

  private final BufferedReader in;
  private final JsonEventDecoder decoder;
  private final Path file;
  private long number;
  private Line next;

  public JsonLinesReader(Path file, EventMapping mapping) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " is not a JSON-lines file");
    }
    this.file = file;
    this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    this.decoder = new JsonEventDecoder(mapping);
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      String l;
      try {
        l = in.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + " at line " + (number + 1), e);
      }
      if (l == null) {
        return false;
      }
      number++;
      if (l.isBlank()) {
        continue;
      }
      try {
        next = new Line(number, decoder.decode(l.getBytes(StandardCharsets.UTF_8)), null);
      } catch (IngestException e) {
        next = new Line(number, null, e);
      }
    }
    return true;
  }

  @Override
  public Line next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Line l = next;
    next = null;
    return l;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
