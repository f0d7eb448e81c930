package io.jamwatch.logs;

import io.jamwatch.avro.ScannerEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * SHA-256 fingerprint of a recorded log's decoded events, so that it identifies the data and not
 * how it is stored: for every event in the reader's merged order, an 8-byte big-endian length
 * followed by the event's Avro binary encoding (Avro 1.11 spec, "Binary Encoding"; written by a
 * {@link SpecificDatumWriter} with the {@link ScannerEvent} schema). The length prefix keeps the
 * concatenation unambiguous. Recompressing the files (another codec or deflate level), or
 * splitting the same events over another number of files, leaves the fingerprint unchanged;
 * changing, adding, dropping or reordering an event changes it.
 */
public final class EventFingerprint {

  private final MessageDigest md;
  private final SpecificDatumWriter<ScannerEvent> writer = new SpecificDatumWriter<>(ScannerEvent.class);
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
  private final byte[] len = new byte[8];
  private BinaryEncoder encoder;
  private long events;

  public EventFingerprint() {
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Adds the next event in the reader's merged order. */
  public void add(ScannerEvent event) {
    buf.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(buf, encoder);
    try {
      writer.write(event, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode event for the fingerprint: " + event, e);
    }
    long n = buf.size();
    for (int i = 0; i < 8; i++) len[i] = (byte) (n >>> (56 - 8 * i));
    md.update(len);
    md.update(buf.toByteArray());
    events++;
  }

  public long events() {
    return events;
  }

  /** The hex SHA-256 of the events added so far (call once, at the end). */
  public String hex() {
    return HexFormat.of().formatHex(md.digest());
  }

  /** Fingerprint of every event in the recorded log {@code logDir}, read in the reader's merged order. */
  public static String of(Path logDir) {
    EventFingerprint fp = new EventFingerprint();
    try (RecordedLogReader.EventStream events = RecordedLogReader.open(logDir)) {
      while (events.hasNext()) fp.add(events.next());
    }
    return fp.hex();
  }
}
