package io.jamwatch.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One NAB application profile: the cost matrix of {@code config/profiles.json} (NAB v1.1). The tn
 * weight is not used by NAB's scorer and is not kept.
 *
 * @param name profile key as in profiles.json ({@code standard}, {@code reward_low_FP_rate}, ...)
 * @param tpWeight reward of an earliest detection at the very start of a window
 * @param fpWeight cost of one detection outside every window (scaled by the sigmoid)
 * @param fnWeight cost of a window with no detection
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

  public NabProfile {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("NAB profile needs a name");
    }
    if (!(tpWeight > 0) || !(fpWeight >= 0) || !(fnWeight >= 0)) {
      throw new IllegalArgumentException(
          "NAB profile " + name + ": weights must be tp > 0, fp >= 0, fn >= 0, got tp="
              + tpWeight + " fp=" + fpWeight + " fn=" + fnWeight);
    }
  }

  /** The three published profiles, as in NAB's config/profiles.json. */
  public static List<NabProfile> defaults() {
    return List.of(
        new NabProfile("standard", 1.0, 0.11, 1.0),
        new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0),
        new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0));
  }

  /** Reads a NAB {@code profiles.json} (profile -> CostMatrix -> tpWeight/fpWeight/fnWeight). */
  public static List<NabProfile> read(Path profilesJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readString(profilesJson));
    List<NabProfile> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
      JsonNode cm = e.getValue().get("CostMatrix");
      if (cm == null) {
        throw new IOException(profilesJson + ": profile " + e.getKey() + " has no CostMatrix");
      }
      out.add(
          new NabProfile(
              e.getKey(),
              required(cm, "tpWeight", profilesJson, e.getKey()),
              required(cm, "fpWeight", profilesJson, e.getKey()),
              required(cm, "fnWeight", profilesJson, e.getKey())));
    }
    if (out.isEmpty()) {
      throw new IOException(profilesJson + ": no profiles");
    }
    return List.copyOf(out);
  }

  private static double required(JsonNode cm, String key, Path file, String profile)
      throws IOException {
    JsonNode v = cm.get(key);
    if (v == null || !v.isNumber()) {
      throw new IOException(file + ": profile " + profile + " CostMatrix lacks numeric " + key);
    }
    return v.asDouble();
  }
}
