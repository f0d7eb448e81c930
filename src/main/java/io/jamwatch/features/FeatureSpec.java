package io.jamwatch.features;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jamwatch.avro.EventType;
import io.jamwatch.avro.ScannerEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the model sees of an event, and the parameters fitted on training data that turn an event
 * into that vector. Immutable; it travels inside the model file (JSON in metadata_props) so that the
 * trainer, the offline scorer and the stream encode identically ({@link FeatureEncoder} is the one
 * encoding path, as Tribuo's {@code SparseVector.createSparseVector} is for its trainers and
 * models).
 *
 * <p>Layout of the encoded vector (F = 2R + E + 2):
 *
 * <pre>
 *   [2i]       reading i (sorted by name): (transform(v) - mean_i) / std_i, clipped to +-clip; 0 if missing
 *   [2i+1]     reading i missing indicator (1 if absent, NaN or infinite)
 *   [2R + k]   event type one-hot, k over {@link #eventTypes()}
 *   [2R+E]     time since the device's previous event: (log1p(seconds) - gapMean) / gapStd, clipped; 0 if none
 *   [2R+E+1]   no-previous-event indicator
 * </pre>
 *
 * Missing values are imputed with the training mean (0 after standardising) and flagged, the usual
 * "mean imputation plus indicator" that lets the network learn what absence means.
 *
 * @param version     encoding version ({@link #VERSION}); a reader refuses one it does not know
 * @param readings    the readings the model uses, sorted by name
 * @param eventTypes  event type names in one-hot order
 * @param gapMean     mean of log1p(seconds since the device's previous event) on training data
 * @param gapStd      its standard deviation (1 if it was 0)
 * @param clip        standardised values are clipped to [-clip, clip] so a glitching sensor cannot
 *                    saturate the network far outside anything seen in training
 * @param fittedEvents number of training events the spec was fitted on (provenance)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record FeatureSpec(
    int version,
    List<ReadingSpec> readings,
    List<String> eventTypes,
    float gapMean,
    float gapStd,
    float clip,
    long fittedEvents) {

  public static final int VERSION = 1;
  /** Default clip of standardised values. */
  public static final float DEFAULT_CLIP = 10f;
  /** |skewness| above which a reading gets {@link Transform#SIGNED_LOG1P} (if that reduces it). */
  public static final double SKEW_THRESHOLD = 1.0;

  public static final String EVENT_TYPE_GROUP = "event_type";
  public static final String GAP_GROUP = "time_since_previous";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /**
   * One reading's encoding parameters.
   *
   * @param name      reading name as in ScannerEvent.readings
   * @param transform applied before standardising
   * @param mean      mean of the transformed training values
   * @param std       their standard deviation (1 if it was 0, so a constant reading encodes to 0)
   */
  public record ReadingSpec(String name, Transform transform, float mean, float std) {
    public ReadingSpec {
      if (name == null || name.isEmpty()) throw new IllegalArgumentException("reading name must be set");
      if (transform == null) throw new IllegalArgumentException("reading " + name + ": transform must be set");
      if (!Float.isFinite(mean)) throw new IllegalArgumentException("reading " + name + ": mean not finite: " + mean);
      if (!(std > 0) || !Float.isFinite(std))
        throw new IllegalArgumentException("reading " + name + ": std must be finite and > 0, got " + std);
    }
  }

  public FeatureSpec {
    if (version != VERSION)
      throw new IllegalArgumentException(
          "feature spec version " + version + " is not supported (this build reads version " + VERSION + ")");
    if (readings == null || eventTypes == null)
      throw new IllegalArgumentException("feature spec needs readings and eventTypes lists");
    readings = List.copyOf(readings);
    eventTypes = List.copyOf(eventTypes);
    Set<String> names = new HashSet<>();
    String prev = null;
    for (ReadingSpec r : readings) {
      if (!names.add(r.name())) throw new IllegalArgumentException("duplicate reading " + r.name());
      if (prev != null && prev.compareTo(r.name()) > 0)
        throw new IllegalArgumentException("readings must be sorted by name: " + prev + " before " + r.name());
      prev = r.name();
    }
    if (new HashSet<>(eventTypes).size() != eventTypes.size())
      throw new IllegalArgumentException("duplicate event type in " + eventTypes);
    if (!Float.isFinite(gapMean)) throw new IllegalArgumentException("gapMean not finite: " + gapMean);
    if (!(gapStd > 0) || !Float.isFinite(gapStd))
      throw new IllegalArgumentException("gapStd must be finite and > 0, got " + gapStd);
    if (!(clip > 0)) throw new IllegalArgumentException("clip must be > 0, got " + clip);
    if (fittedEvents < 0) throw new IllegalArgumentException("fittedEvents must be >= 0");
  }

  /**
   * Fits the spec on training events (any order of devices; each device's events in time order, as
   * RecordedLogReader gives them). Every reading name seen with at least one finite value is used;
   * NaN and infinite values count as missing. One pass, memory per device and per reading only.
   */
  public static FeatureSpec fit(Iterator<ScannerEvent> trainingEvents) {
    Map<String, RunningMoments[]> raw = new TreeMap<>(); // name -> {raw, log-transformed}
    Map<String, Long> lastTime = new HashMap<>();
    RunningMoments gap = new RunningMoments();
    long n = 0;
    while (trainingEvents.hasNext()) {
      ScannerEvent e = trainingEvents.next();
      n++;
      Map<String, Float> rs = e.getReadings();
      if (rs != null) {
        for (Map.Entry<String, Float> en : rs.entrySet()) {
          Float v = en.getValue();
          if (v == null || !Float.isFinite(v)) continue;
          RunningMoments[] m =
              raw.computeIfAbsent(en.getKey(), k -> new RunningMoments[] {new RunningMoments(), new RunningMoments()});
          m[0].add(v);
          m[1].add(Transform.SIGNED_LOG1P.apply(v));
        }
      }
      Long prev = lastTime.put(e.getDeviceId(), e.getEventTime().toEpochMilli());
      if (prev != null) gap.add(gapFeature(e.getEventTime().toEpochMilli(), prev));
    }
    if (n == 0) throw new IllegalArgumentException("cannot fit a feature spec on zero training events");
    List<ReadingSpec> readings = new ArrayList<>();
    for (Map.Entry<String, RunningMoments[]> en : raw.entrySet()) {
      RunningMoments plain = en.getValue()[0], logged = en.getValue()[1];
      boolean useLog =
          Math.abs(plain.skewness()) > SKEW_THRESHOLD && Math.abs(logged.skewness()) < Math.abs(plain.skewness());
      RunningMoments m = useLog ? logged : plain;
      readings.add(
          new ReadingSpec(en.getKey(), useLog ? Transform.SIGNED_LOG1P : Transform.NONE, (float) m.mean(), stdOrOne(m)));
    }
    List<String> types = Arrays.stream(EventType.values()).map(Enum::name).toList();
    return new FeatureSpec(
        VERSION, readings, types, gap.count() == 0 ? 0f : (float) gap.mean(), stdOrOne(gap), DEFAULT_CLIP, n);
  }

  private static float stdOrOne(RunningMoments m) {
    float s = (float) m.std();
    return s > 1e-6f && Float.isFinite(s) ? s : 1f;
  }

  /** log1p of the seconds since the previous event (negative gaps, i.e. reordering, count as 0). */
  static double gapFeature(long eventTime, long prevEventTime) {
    long d = eventTime - prevEventTime;
    return Math.log1p(Math.max(0L, d) / 1000.0);
  }

  /** F, the width of the encoded vector. */
  public int size() {
    return 2 * readings.size() + eventTypes.size() + 2;
  }

  /** Index of the first event type one-hot feature. */
  public int eventTypeOffset() {
    return 2 * readings.size();
  }

  /** Index of the time-since-previous value; its indicator is the next one. */
  public int gapOffset() {
    return 2 * readings.size() + eventTypes.size();
  }

  /** Human-readable name of every encoded feature, in order. */
  public List<String> featureNames() {
    List<String> out = new ArrayList<>(size());
    for (ReadingSpec r : readings) {
      out.add(r.name());
      out.add(r.name() + ".missing");
    }
    for (String t : eventTypes) out.add("type=" + t);
    out.add(GAP_GROUP);
    out.add(GAP_GROUP + ".missing");
    return List.copyOf(out);
  }

  /** Groups for occlusion: each reading (value + indicator), the event type, the time gap. */
  public List<FeatureGroup> groups() {
    List<FeatureGroup> out = new ArrayList<>();
    for (int i = 0; i < readings.size(); i++) out.add(new FeatureGroup(readings.get(i).name(), 2 * i, 2 * i + 2));
    if (!eventTypes.isEmpty()) out.add(new FeatureGroup(EVENT_TYPE_GROUP, eventTypeOffset(), gapOffset()));
    out.add(new FeatureGroup(GAP_GROUP, gapOffset(), gapOffset() + 2));
    return List.copyOf(out);
  }

  /**
   * The continuous ("value") features: every reading's standardised value and the time gap, in
   * order. Binary features (missing indicators, event type) are not values.
   */
  public int[] valueIndices() {
    int[] v = new int[readings.size() + 1];
    for (int i = 0; i < readings.size(); i++) v[i] = 2 * i;
    v[readings.size()] = gapOffset();
    return v;
  }

  /** For each entry of {@link #valueIndices()}, the index of its missing indicator. */
  public int[] indicatorIndices() {
    int[] v = valueIndices();
    for (int i = 0; i < v.length; i++) v[i]++;
    return v;
  }

  public List<String> readingNames() {
    return readings.stream().map(ReadingSpec::name).toList();
  }

  /** Canonical JSON (component order; floats as shortest round-trip decimal). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("feature spec cannot be written as JSON", e);
    }
  }

  public static FeatureSpec fromJson(String json) {
    try {
      return JSON.readValue(json, FeatureSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a valid feature spec JSON: " + e.getOriginalMessage(), e);
    }
  }
}
