package io.jamwatch.logs;

import io.jamwatch.avro.ScannerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Streams a recorded log: every {@code *.avro} file of a folder, merged in event-time order.
 *
 * <p>A k-way merge (Knuth, TAOCP vol. 3, 5.4.1): one open Avro reader per file and a priority
 * queue holding each file's next event, so memory is one decoded block per file whatever the
 * number of events. Ties on event time go to the file whose name sorts first, so the merged order
 * is deterministic. Within a file the order is the file's own (see {@link RecordedLogWriter} on
 * late events).
 *
 * <p>Files are read with the current {@link ScannerEvent} schema as reader schema, so a log written
 * by an older compatible schema still reads; a file of another record type, or one this schema
 * cannot read, is refused with its path and the reason.
 */
public final class RecordedLogReader {

  static {
    TrustedAvroClasses.register();
  }

  private RecordedLogReader() {}

  /** A merged, forward-only stream of a log's events; close it to release the files. */
  public interface EventStream extends Iterator<ScannerEvent>, AutoCloseable {
    @Override
    void close();
  }

  /**
   * Opens every {@code *.avro} file directly inside {@code dir} (not sub-folders).
   *
   * @throws IllegalArgumentException if {@code dir} is not a folder, holds no {@code *.avro} file,
   *     or a file is not an Avro container of ScannerEvent
   */
  public static EventStream open(Path dir) {
    List<Path> files = avroFiles(dir);
    List<DataFileReader<ScannerEvent>> readers = new ArrayList<>(files.size());
    try {
      for (Path f : files) {
        readers.add(openChecked(f));
      }
    } catch (RuntimeException e) {
      closeAll(readers, e);
      throw e;
    }
    return new MergingStream(files, readers);
  }

  /** The {@code *.avro} files directly inside {@code dir}, sorted by name. */
  public static List<Path> avroFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("recorded log " + dir + " is not a folder");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".avro") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list recorded log " + dir, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("recorded log " + dir + " holds no *.avro file");
    }
    return files;
  }

  private static DataFileReader<ScannerEvent> openChecked(Path f) {
    DataFileReader<ScannerEvent> r;
    try {
      r = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(ScannerEvent.class));
    } catch (IOException e) {
      throw new IllegalArgumentException(f + " is not an Avro container file: " + e.getMessage(), e);
    }
    Schema written = r.getSchema();
    Schema expected = ScannerEvent.getClassSchema();
    String why = null;
    if (written.getType() != Schema.Type.RECORD || !expected.getFullName().equals(written.getFullName())) {
      why = "holds " + written.getFullName() + ", expected " + expected.getFullName();
    } else {
      SchemaCompatibility.SchemaPairCompatibility c =
          SchemaCompatibility.checkReaderWriterCompatibility(expected, written);
      if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        why = "its ScannerEvent schema cannot be read by this version: " + c.getDescription();
      }
    }
    if (why != null) {
      try {
        r.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + f, e);
      }
      throw new IllegalArgumentException("foreign schema in recorded log: " + f + " " + why);
    }
    return r;
  }

  private static void closeAll(List<DataFileReader<ScannerEvent>> readers, RuntimeException primary) {
    for (DataFileReader<ScannerEvent> r : readers) {
      try {
        r.close();
      } catch (IOException e) {
        primary.addSuppressed(e);
      }
    }
  }

  private static final class MergingStream implements EventStream {
    private record Head(ScannerEvent event, long time, int file) {}

    private final List<Path> files;
    private final List<DataFileReader<ScannerEvent>> readers;
    private final PriorityQueue<Head> queue;

    MergingStream(List<Path> files, List<DataFileReader<ScannerEvent>> readers) {
      this.files = files;
      this.readers = readers;
      this.queue = new PriorityQueue<>(Math.max(1, readers.size()), (a, b) -> {
        int c = Long.compare(a.time, b.time);
        return c != 0 ? c : Integer.compare(a.file, b.file);
      });
      for (int i = 0; i < readers.size(); i++) {
        advance(i);
      }
    }

    private void advance(int i) {
      DataFileReader<ScannerEvent> r = readers.get(i);
      try {
        if (r.hasNext()) {
          ScannerEvent e = r.next();
          queue.add(new Head(e, e.getEventTime().toEpochMilli(), i));
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot read " + files.get(i) + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean hasNext() {
      return !queue.isEmpty();
    }

    @Override
    public ScannerEvent next() {
      Head h = queue.poll();
      if (h == null) {
        throw new NoSuchElementException("recorded log exhausted");
      }
      advance(h.file);
      return h.event;
    }

    @Override
    public void close() {
      IllegalStateException failure = null;
      for (int i = 0; i < readers.size(); i++) {
        try {
          readers.get(i).close();
        } catch (IOException e) {
          if (failure == null) {
            failure = new IllegalStateException("cannot close " + files.get(i), e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      queue.clear();
      if (failure != null) {
        throw failure;
      }
    }
  }
}
