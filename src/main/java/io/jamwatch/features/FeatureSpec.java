package io.jamwatch.features;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * <p>Layout of the encoded vector (F = 2R + E + 2 + 2C):
 *
 * <pre>
 *   [2i]       reading i (sorted by name): (transform(v) - mean_i) / std_i, clipped to +-clip; 0 if missing
 *   [2i+1]     reading i missing indicator (1 if absent, NaN or infinite)
 *   [2R + k]   event type one-hot, k over {@link #eventTypes()}
 *   [2R+E]     time since the device's previous event: (log1p(seconds) - gapMean) / gapStd, clipped; 0 if none
 *   [2R+E+1]   no-previous-event indicator
 *   [2R+E+2+2c], [2R+E+3+2c]  sin and cos of the phase of the event time in cycle c of {@link #cycles()}
 *              (UTC; "day" or "week"), present only when the training timestamps were regular enough
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
 * @param regularGapMillis version 2: the training events came at (nearly) this constant spacing
 *                    (at least {@link #REGULAR_SHARE} of the gaps within 1 % of it), so the time gap
 *                    is an input but not a value to forecast or to be surprised by, and its std is
 *                    floored at {@link #REGULAR_GAP_STD_FLOOR} so a few irregular gaps stay in
 *                    range; null = irregular (the gap is a value feature, as in version 1)
 * @param cycles      version 2: calendar cycles encoded as sin/cos inputs ("day", "week"), chosen
 *                    when the spacing is regular, at least 24 events per cycle, and the training
 *                    span covers two whole cycles (the pattern seen to repeat); null or empty = none
 * @param deviceWindow version 3: per-device running standardisation. A reading's value feature is
 *                    then (transform(v) - m_d) / s_d with the device's own running mean m_d and
 *                    standard deviation s_d, exponentially weighted with weight 1/deviceWindow,
 *                    seeded with the fitted (fleet) mean and std so a new device has no cold start,
 *                    updated after the event is encoded (causal), s_d floored at
 *                    {@link #DEVICE_STD_FLOOR} of the fitted std. The state (2 doubles per reading)
 *                    lives in the device memory and the state store ({@link FeatureEncoder#deviceStateSize()}).
 *                    null = off: the fitted values standardise every device alike
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record FeatureSpec(
    int version,
    List<ReadingSpec> readings,
    List<String> eventTypes,
    float gapMean,
    float gapStd,
    float clip,
    long fittedEvents,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long regularGapMillis,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> cycles,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer deviceWindow) {

  /** The newest encoding version this build writes; it reads {@link #OLDEST_VERSION} to this. */
  public static final int VERSION = 3;
  /** Version 2: regular-gap and calendar fields, no per-device standardisation. */
  public static final int CALENDAR_VERSION = 2;
  /** Floor of a device's running std, as a fraction of the fitted std. */
  public static final double DEVICE_STD_FLOOR = 0.1;
  /** Version 1 (no regular-gap or calendar fields) is still read, and written when neither is used. */
  public static final int OLDEST_VERSION = 1;
  /** Share of training gaps within 1 % of the median for the spacing to count as regular. */
  public static final double REGULAR_SHARE = 0.9;
  /** Floor of the gap feature's std when the spacing is regular (a doubled gap is then ~1.4 sigma). */
  public static final float REGULAR_GAP_STD_FLOOR = 0.5f;
  public static final String DAY = "day", WEEK = "week";
  public static final String CALENDAR_GROUP = "calendar";
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
    if (version < OLDEST_VERSION || version > VERSION)
      throw new IllegalArgumentException(
          "feature spec version " + version + " is not supported (this build reads versions " + OLDEST_VERSION + " to " + VERSION + ")");
    if (cycles != null && cycles.isEmpty()) cycles = null;
    if (cycles != null) {
      cycles = List.copyOf(cycles);
      for (String c : cycles)
        if (!DAY.equals(c) && !WEEK.equals(c)) throw new IllegalArgumentException("unknown calendar cycle '" + c + "' (day or week)");
      if (new HashSet<>(cycles).size() != cycles.size()) throw new IllegalArgumentException("duplicate calendar cycle in " + cycles);
    }
    if (regularGapMillis != null && regularGapMillis <= 0)
      throw new IllegalArgumentException("regularGapMillis must be > 0, got " + regularGapMillis);
    if (version == 1 && (regularGapMillis != null || cycles != null))
      throw new IllegalArgumentException("feature spec version 1 has no regular-gap or calendar fields");
    if (deviceWindow != null && (version < VERSION || deviceWindow < 2))
      throw new IllegalArgumentException(
          "deviceWindow needs feature spec version " + VERSION + " and a window >= 2, got version " + version + ", window " + deviceWindow);
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

  /** A version-1 spec (no regular-gap or calendar fields), as older builds wrote. */
  public FeatureSpec(
      int version, List<ReadingSpec> readings, List<String> eventTypes, float gapMean, float gapStd, float clip,
      long fittedEvents) {
    this(version, readings, eventTypes, gapMean, gapStd, clip, fittedEvents, null, null, null);
  }

  /** A spec without per-device standardisation (version 1 or 2), as {@link #fit} writes it. */
  public FeatureSpec(
      int version, List<ReadingSpec> readings, List<String> eventTypes, float gapMean, float gapStd, float clip,
      long fittedEvents, Long regularGapMillis, List<String> cycles) {
    this(version, readings, eventTypes, gapMean, gapStd, clip, fittedEvents, regularGapMillis, cycles, null);
  }

  /**
   * This spec with per-device running standardisation over {@code window} events (version 3), or
   * without it for window 0 (the version the other fields need).
   */
  public FeatureSpec withDeviceWindow(int window) {
    if (window < 0) throw new IllegalArgumentException("device window must be >= 0, got " + window);
    int base = regularGapMillis != null || cycles != null ? CALENDAR_VERSION : OLDEST_VERSION;
    return new FeatureSpec(window == 0 ? base : VERSION, readings, eventTypes, gapMean, gapStd, clip, fittedEvents,
        regularGapMillis, cycles, window == 0 ? null : window);
  }

  /** The per-device standardisation window in events, 0 when off. */
  public int deviceWindowEvents() {
    return deviceWindow == null ? 0 : deviceWindow;
  }

  /** {@link #fit(Iterator, float)} with the {@link #DEFAULT_CLIP}. */
  public static FeatureSpec fit(Iterator<ScannerEvent> trainingEvents) {
    return fit(trainingEvents, DEFAULT_CLIP);
  }

  /**
   * Fits the spec on training events (any order of devices; each device's events in time order, as
   * RecordedLogReader gives them). Every reading name seen with at least one finite value is used;
   * NaN and infinite values count as missing. Decides from the gaps whether the spacing is regular
   * ({@link #regularGapMillis()}) and which calendar cycles to encode ({@link #cycles()}); with
   * neither, the spec is the version-1 one. One pass, memory per device and per reading (and up to
   * {@link #MAX_GAPS_KEPT} gaps for the median).
   *
   * @param clip standardised values are clipped to +-clip (a forecast model, which clips its own
   *     network input, can take a wide one so its forecast follows a level far outside training)
   */
  public static FeatureSpec fit(Iterator<ScannerEvent> trainingEvents, float clip) {
    Map<String, RunningMoments[]> raw = new TreeMap<>(); // name -> {raw, log-transformed}
    Map<String, Long> lastTime = new HashMap<>();
    RunningMoments gap = new RunningMoments();
    long[] gaps = new long[1024];
    int nGaps = 0;
    long firstTime = Long.MAX_VALUE, lastTime0 = Long.MIN_VALUE;
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
      long now = e.getEventTime().toEpochMilli();
      firstTime = Math.min(firstTime, now);
      lastTime0 = Math.max(lastTime0, now);
      Long prev = lastTime.put(e.getDeviceId(), now);
      if (prev != null) {
        gap.add(gapFeature(now, prev));
        if (nGaps < MAX_GAPS_KEPT) {
          if (nGaps == gaps.length) gaps = Arrays.copyOf(gaps, 2 * nGaps);
          gaps[nGaps++] = Math.max(0L, now - prev);
        }
      }
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
    Long regular = regularGap(gaps, nGaps);
    if (regular == null) {
      return new FeatureSpec(
          OLDEST_VERSION, readings, types, gap.count() == 0 ? 0f : (float) gap.mean(), stdOrOne(gap), clip, n);
    }
    // Regular spacing: centre the gap on the typical one (a robust centre), floor its spread.
    float gapMean = (float) Math.log1p(regular / 1000.0);
    float gapStd = Math.max(REGULAR_GAP_STD_FLOOR, (float) gap.std());
    List<String> cycles = new ArrayList<>();
    long span = lastTime0 - firstTime;
    if (regular * 24 <= DAY_MILLIS && span >= 2 * DAY_MILLIS) cycles.add(DAY);
    if (regular * 24 <= WEEK_MILLIS && span >= 2 * WEEK_MILLIS) cycles.add(WEEK);
    return new FeatureSpec(CALENDAR_VERSION, readings, types, gapMean, gapStd, clip, n, regular, cycles.isEmpty() ? null : cycles);
  }

  /** Gaps kept for the median: enough to judge the spacing, bounded memory. */
  public static final int MAX_GAPS_KEPT = 100_000;

  static final long DAY_MILLIS = 86_400_000L, WEEK_MILLIS = 7 * DAY_MILLIS;

  /** The median gap if at least {@link #REGULAR_SHARE} of the (>= 10) gaps lie within 1 % of it, else null. */
  static Long regularGap(long[] gaps, int n) {
    if (n < 10) return null;
    long[] g = Arrays.copyOf(gaps, n);
    Arrays.sort(g);
    long med = g[n / 2];
    if (med <= 0) return null;
    int near = 0;
    for (int i = 0; i < n; i++) if (Math.abs(g[i] - med) <= med / 100) near++;
    return near >= REGULAR_SHARE * n ? med : null;
  }

  /** Period of a calendar cycle, ms. */
  static long periodMillis(String cycle) {
    return DAY.equals(cycle) ? DAY_MILLIS : WEEK_MILLIS;
  }

  /** The calendar cycles in encoding order (empty if none). */
  public List<String> calendarCycles() {
    return cycles == null ? List.of() : cycles;
  }

  /** Whether the time gap is a value feature (forecast and surprise), i.e. the spacing was not regular. */
  public boolean gapIsValue() {
    return regularGapMillis == null;
  }

  /** Index of the first calendar feature (sin of the first cycle). */
  public int calendarOffset() {
    return gapOffset() + 2;
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
    return 2 * readings.size() + eventTypes.size() + 2 + 2 * calendarCycles().size();
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
    for (String c : calendarCycles()) {
      out.add(c + ".sin");
      out.add(c + ".cos");
    }
    return List.copyOf(out);
  }

  /** Groups for occlusion: each reading (value + indicator), the event type, the time gap. */
  public List<FeatureGroup> groups() {
    List<FeatureGroup> out = new ArrayList<>();
    for (int i = 0; i < readings.size(); i++) out.add(new FeatureGroup(readings.get(i).name(), 2 * i, 2 * i + 2));
    if (!eventTypes.isEmpty()) out.add(new FeatureGroup(EVENT_TYPE_GROUP, eventTypeOffset(), gapOffset()));
    out.add(new FeatureGroup(GAP_GROUP, gapOffset(), gapOffset() + 2));
    if (!calendarCycles().isEmpty()) out.add(new FeatureGroup(CALENDAR_GROUP, calendarOffset(), size()));
    return List.copyOf(out);
  }

  /**
   * The continuous ("value") features: every reading's standardised value and, unless the spacing
   * is regular ({@link #gapIsValue()}), the time gap, in order. Binary features (missing
   * indicators, event type) and the calendar inputs (known in advance) are not values.
   */
  public int[] valueIndices() {
    int[] v = new int[readings.size() + (gapIsValue() ? 1 : 0)];
    for (int i = 0; i < readings.size(); i++) v[i] = 2 * i;
    if (gapIsValue()) v[readings.size()] = gapOffset();
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
