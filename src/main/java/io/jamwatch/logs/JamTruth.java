package io.jamwatch.logs;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ground truth of one simulated jam, as written to {@code jams.csv} beside a simulated log.
 *
 * @param deviceId scanner where the jam happened
 * @param lineId its line
 * @param jamTime event time of the JAM event (epoch millis, scanner clock)
 * @param clearTime event time of the JAM_CLEARED event, or -1 if the log ended first
 * @param mechanism one of {@link #MECHANISMS}
 * @param precursorStart event time at which the precursor began (wear drift start, wobble episode
 *     start, surge start), or -1 for a sudden jam
 */
public record JamTruth(
    String deviceId, String lineId, long jamTime, long clearTime, String mechanism, long precursorStart) {

  public static final String FILE_NAME = "jams.csv";
  public static final String HEADER = "deviceId,lineId,jamTime,clearTime,mechanism,precursorStart";
  public static final String WEAR = "wear";
  public static final String WOBBLE = "wobble";
  public static final String ACCUMULATION = "accumulation";
  public static final String SUDDEN = "sudden";
  /** Mechanisms in the order reports list them. */
  public static final List<String> MECHANISMS = List.of(WEAR, WOBBLE, ACCUMULATION, SUDDEN);

  public JamTruth {
    if (deviceId == null || deviceId.isEmpty() || deviceId.contains(",")) {
      throw new IllegalArgumentException("deviceId must be non-empty without commas: " + deviceId);
    }
    if (lineId == null || lineId.contains(",")) {
      throw new IllegalArgumentException("lineId must be non-null without commas: " + lineId);
    }
    if (!Set.copyOf(MECHANISMS).contains(mechanism)) {
      throw new IllegalArgumentException("mechanism must be one of " + MECHANISMS + ", got " + mechanism);
    }
    if (clearTime != -1 && clearTime < jamTime) {
      throw new IllegalArgumentException("clearTime " + clearTime + " before jamTime " + jamTime);
    }
    if (SUDDEN.equals(mechanism) != (precursorStart == -1)) {
      throw new IllegalArgumentException(
          "precursorStart must be -1 exactly for sudden jams, got " + precursorStart + " for " + mechanism);
    }
    if (precursorStart != -1 && precursorStart > jamTime) {
      throw new IllegalArgumentException("precursorStart " + precursorStart + " after jamTime " + jamTime);
    }
  }

  /** Reads {@code logDir/jams.csv}; an empty list if the log has none (a real, unsimulated log). */
  public static List<JamTruth> read(Path logDir) {
    Path f = logDir.resolve(FILE_NAME);
    if (!Files.exists(f)) {
      return List.of();
    }
    List<JamTruth> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.strip().equals(HEADER)) {
        throw new IllegalArgumentException(f + ":1: expected header '" + HEADER + "', got '" + header + "'");
      }
      int lineNo = 1;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] c = line.split(",", -1);
        if (c.length != 6) {
          throw new IllegalArgumentException(f + ":" + lineNo + ": expected 6 columns, got " + c.length);
        }
        try {
          out.add(new JamTruth(c[0], c[1], Long.parseLong(c[2].strip()), Long.parseLong(c[3].strip()),
              c[4].strip(), Long.parseLong(c[5].strip())));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(f + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    return out;
  }

  /** Writes {@code logDir/jams.csv} with the header and one line per jam, in the given order. */
  public static void write(Path logDir, List<JamTruth> jams) {
    try {
      Files.createDirectories(logDir);
      try (BufferedWriter w = Files.newBufferedWriter(logDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
        w.write(HEADER);
        w.write('\n');
        for (JamTruth j : jams) {
          w.write(j.deviceId + "," + j.lineId + "," + j.jamTime + "," + j.clearTime + ","
              + j.mechanism + "," + j.precursorStart);
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + logDir.resolve(FILE_NAME), e);
    }
  }
}
