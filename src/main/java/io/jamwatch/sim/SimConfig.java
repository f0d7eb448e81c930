package io.jamwatch.sim;

/**
 * Every parameter of the conveyor simulator, validated, with one {@link #defaults()}.
 *
 * <p>Rates are per hour of line <em>operating</em> time (the clock that pauses while a line is
 * stopped by a jam). The defaults give, for 2 lines x 8 scanners x 8 h, a few dozen jams split over
 * the four mechanisms of {@link Simulator} with sudden jams a minority, and a package every ~2 s per
 * scanner.
 *
 * @param lines number of conveyor lines (L01, L02, ...)
 * @param scannersPerLine scanners along each line (L01-S01 ... in flow order)
 * @param hours simulated hours; {@code Double.POSITIVE_INFINITY} for an endless feed (the demo)
 * @param seed random seed; same config and seed give byte-identical output
 * @param startMillis event time of the simulation start, epoch millis UTC (never the wall clock)
 * @param scannerSpacingM belt distance between neighbouring scanners, m
 * @param beltSpeedMps nominal belt speed, m/s
 * @param meanArrivalGapMs mean time between packages entering a line, ms (before shift wave and surges)
 * @param minHeadwayMs shortest time between two packages entering a line, ms
 * @param meanPackageLengthMm mean package length, mm (log-normal)
 * @param heartbeatIntervalMs an idle scanner sends a HEARTBEAT after this long without an event, ms
 * @param jamStopMinS shortest stop of a line after a jam, s
 * @param jamStopMaxS longest stop of a line after a jam, s
 * @param wearPerDeviceHour wear-drift episodes started per scanner-hour (each ends in a jam)
 * @param wearMinMinutes shortest wear drift, min
 * @param wearMaxMinutes longest wear drift, min
 * @param wobblePerDeviceHour wobble episodes per scanner-hour
 * @param wobbleJamProbability share of wobble episodes followed by a jam
 * @param wobbleQuietMinMinutes shortest quiet spell between a wobble's end and the pre-jam drift, min
 * @param wobbleQuietMaxMinutes longest quiet spell, min
 * @param benignDriftPerDeviceHour mild drifts without any wobble and without a jam, per scanner-hour
 * @param surgesPerLineHour upstream surges per line-hour
 * @param surgeJamProbability share of surges strong enough to end in an accumulation jam
 * @param suddenPerDeviceHour jams without precursor per scanner-hour
 * @param noReadProbability base probability that a package scan fails (NO_READ); rises with lateral offset
 * @param missingReadingProbability probability that one reading is absent from an event
 * @param spikeProbability probability that one reading is a spike (several times its true value)
 * @param stuckPerDeviceHour stuck-sensor episodes per scanner-hour (one reading repeats its value for minutes)
 * @param clockSkewSdMs standard deviation of each scanner's clock offset, ms
 * @param largeSkewProbability share of scanners whose clock is off by 0.5-2 s
 * @param duplicateProbability share of events delivered twice (same eventId)
 * @param outOfOrderProbability share of events delivered late, after later events of the same scanner
 * @param outOfOrderMaxDelayMs longest delivery delay of a late event, ms
 */
public record SimConfig(
    int lines,
    int scannersPerLine,
    double hours,
    long seed,
    long startMillis,
    double scannerSpacingM,
    double beltSpeedMps,
    double meanArrivalGapMs,
    double minHeadwayMs,
    double meanPackageLengthMm,
    long heartbeatIntervalMs,
    double jamStopMinS,
    double jamStopMaxS,
    double wearPerDeviceHour,
    double wearMinMinutes,
    double wearMaxMinutes,
    double wobblePerDeviceHour,
    double wobbleJamProbability,
    double wobbleQuietMinMinutes,
    double wobbleQuietMaxMinutes,
    double benignDriftPerDeviceHour,
    double surgesPerLineHour,
    double surgeJamProbability,
    double suddenPerDeviceHour,
    double noReadProbability,
    double missingReadingProbability,
    double spikeProbability,
    double stuckPerDeviceHour,
    double clockSkewSdMs,
    double largeSkewProbability,
    double duplicateProbability,
    double outOfOrderProbability,
    long outOfOrderMaxDelayMs) {

  /** 2026-01-05T06:00:00Z: a fixed start, so output never depends on the wall clock. */
  public static final long DEFAULT_START_MILLIS = 1_767_592_800_000L;
  /** Upper bound on the share of duplicated plus late events: faults, not the norm. */
  public static final double MAX_DELIVERY_FAULT_SHARE = 0.05;

  public SimConfig {
    require(lines >= 1 && lines <= 999, "lines must be in [1, 999], got " + lines);
    require(scannersPerLine >= 1 && scannersPerLine <= 99, "scannersPerLine must be in [1, 99], got " + scannersPerLine);
    require(hours > 0 && !Double.isNaN(hours), "hours must be > 0, got " + hours);
    require(startMillis >= 0, "startMillis must be >= 0, got " + startMillis);
    positive("scannerSpacingM", scannerSpacingM);
    positive("beltSpeedMps", beltSpeedMps);
    positive("meanArrivalGapMs", meanArrivalGapMs);
    positive("minHeadwayMs", minHeadwayMs);
    require(minHeadwayMs < meanArrivalGapMs, "minHeadwayMs must be < meanArrivalGapMs");
    positive("meanPackageLengthMm", meanPackageLengthMm);
    // The shortest package gap must leave the photo-eye clear between packages.
    require(meanPackageLengthMm / beltSpeedMps < minHeadwayMs,
        "meanPackageLengthMm / beltSpeedMps must be < minHeadwayMs (packages would overlap)");
    require(heartbeatIntervalMs >= 1000, "heartbeatIntervalMs must be >= 1000, got " + heartbeatIntervalMs);
    positive("jamStopMinS", jamStopMinS);
    range("jamStopMaxS", jamStopMaxS, jamStopMinS, 86_400);
    nonNegative("wearPerDeviceHour", wearPerDeviceHour);
    positive("wearMinMinutes", wearMinMinutes);
    range("wearMaxMinutes", wearMaxMinutes, wearMinMinutes, 24 * 60);
    nonNegative("wobblePerDeviceHour", wobblePerDeviceHour);
    range("wobbleJamProbability", wobbleJamProbability, 0, 1);
    positive("wobbleQuietMinMinutes", wobbleQuietMinMinutes);
    range("wobbleQuietMaxMinutes", wobbleQuietMaxMinutes, wobbleQuietMinMinutes, 24 * 60);
    nonNegative("benignDriftPerDeviceHour", benignDriftPerDeviceHour);
    nonNegative("surgesPerLineHour", surgesPerLineHour);
    range("surgeJamProbability", surgeJamProbability, 0, 1);
    nonNegative("suddenPerDeviceHour", suddenPerDeviceHour);
    range("noReadProbability", noReadProbability, 0, 0.5);
    range("missingReadingProbability", missingReadingProbability, 0, 0.5);
    range("spikeProbability", spikeProbability, 0, 0.1);
    nonNegative("stuckPerDeviceHour", stuckPerDeviceHour);
    range("clockSkewSdMs", clockSkewSdMs, 0, 60_000);
    range("largeSkewProbability", largeSkewProbability, 0, 1);
    range("duplicateProbability", duplicateProbability, 0, MAX_DELIVERY_FAULT_SHARE);
    range("outOfOrderProbability", outOfOrderProbability, 0, MAX_DELIVERY_FAULT_SHARE);
    require(duplicateProbability + outOfOrderProbability <= MAX_DELIVERY_FAULT_SHARE,
        "duplicateProbability + outOfOrderProbability must be <= " + MAX_DELIVERY_FAULT_SHARE);
    require(outOfOrderMaxDelayMs >= 1 && outOfOrderMaxDelayMs <= 600_000,
        "outOfOrderMaxDelayMs must be in [1, 600000], got " + outOfOrderMaxDelayMs);
  }

  public static SimConfig defaults() {
    return new SimConfig(
        2, 8, 8.0, 42L, DEFAULT_START_MILLIS,
        6.0, 1.5, 2000, 450, 400, 10_000, 60, 240,
        0.08, 15, 45,
        0.12, 0.7, 2, 6,
        0.06,
        1.5, 0.5,
        0.04,
        0.008, 0.01, 0.001, 0.03, 30, 0.05, 0.002, 0.002, 5_000);
  }

  /** The same physics with another shape: how many lines, scanners, hours and which seed. */
  public SimConfig withShape(int lines, int scannersPerLine, double hours, long seed) {
    return new SimConfig(lines, scannersPerLine, hours, seed, startMillis, scannerSpacingM, beltSpeedMps,
        meanArrivalGapMs, minHeadwayMs, meanPackageLengthMm, heartbeatIntervalMs, jamStopMinS, jamStopMaxS,
        wearPerDeviceHour, wearMinMinutes, wearMaxMinutes, wobblePerDeviceHour, wobbleJamProbability,
        wobbleQuietMinMinutes, wobbleQuietMaxMinutes, benignDriftPerDeviceHour, surgesPerLineHour,
        surgeJamProbability, suddenPerDeviceHour, noReadProbability, missingReadingProbability,
        spikeProbability, stuckPerDeviceHour, clockSkewSdMs, largeSkewProbability, duplicateProbability,
        outOfOrderProbability, outOfOrderMaxDelayMs);
  }

  /** The same config starting at another event time (e.g. the demo starts at "now"). */
  public SimConfig withStartMillis(long startMillis) {
    return new SimConfig(lines, scannersPerLine, hours, seed, startMillis, scannerSpacingM, beltSpeedMps,
        meanArrivalGapMs, minHeadwayMs, meanPackageLengthMm, heartbeatIntervalMs, jamStopMinS, jamStopMaxS,
        wearPerDeviceHour, wearMinMinutes, wearMaxMinutes, wobblePerDeviceHour, wobbleJamProbability,
        wobbleQuietMinMinutes, wobbleQuietMaxMinutes, benignDriftPerDeviceHour, surgesPerLineHour,
        surgeJamProbability, suddenPerDeviceHour, noReadProbability, missingReadingProbability,
        spikeProbability, stuckPerDeviceHour, clockSkewSdMs, largeSkewProbability, duplicateProbability,
        outOfOrderProbability, outOfOrderMaxDelayMs);
  }

  /**
   * The same config with other jam rates (0 switches a mechanism off): wear, wobble episodes per
   * scanner-hour, surges per line-hour, sudden jams per scanner-hour.
   */
  public SimConfig withJamRates(double wear, double wobble, double surges, double sudden) {
    return new SimConfig(lines, scannersPerLine, hours, seed, startMillis, scannerSpacingM, beltSpeedMps,
        meanArrivalGapMs, minHeadwayMs, meanPackageLengthMm, heartbeatIntervalMs, jamStopMinS, jamStopMaxS,
        wear, wearMinMinutes, wearMaxMinutes, wobble, wobbleJamProbability,
        wobbleQuietMinMinutes, wobbleQuietMaxMinutes, benignDriftPerDeviceHour, surges,
        surgeJamProbability, sudden, noReadProbability, missingReadingProbability,
        spikeProbability, stuckPerDeviceHour, clockSkewSdMs, largeSkewProbability, duplicateProbability,
        outOfOrderProbability, outOfOrderMaxDelayMs);
  }

  /** The same physics with every sensor and delivery fault switched off (clean logs, tests). */
  public SimConfig withoutFaults() {
    return new SimConfig(lines, scannersPerLine, hours, seed, startMillis, scannerSpacingM, beltSpeedMps,
        meanArrivalGapMs, minHeadwayMs, meanPackageLengthMm, heartbeatIntervalMs, jamStopMinS, jamStopMaxS,
        wearPerDeviceHour, wearMinMinutes, wearMaxMinutes, wobblePerDeviceHour, wobbleJamProbability,
        wobbleQuietMinMinutes, wobbleQuietMaxMinutes, benignDriftPerDeviceHour, surgesPerLineHour,
        surgeJamProbability, suddenPerDeviceHour, noReadProbability, 0, 0, 0, 0, 0, 0, 0,
        outOfOrderMaxDelayMs);
  }

  /** Event time at which the simulation ends ({@code Long.MAX_VALUE} for an endless feed). */
  public long endMillis() {
    if (Double.isInfinite(hours)) {
      return Long.MAX_VALUE;
    }
    return startMillis + Math.round(hours * 3_600_000.0);
  }

  public int devices() {
    return lines * scannersPerLine;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static void positive(String name, double v) {
    require(v > 0 && Double.isFinite(v), name + " must be > 0 and finite, got " + v);
  }

  private static void nonNegative(String name, double v) {
    require(v >= 0 && Double.isFinite(v), name + " must be >= 0 and finite, got " + v);
  }

  private static void range(String name, double v, double lo, double hi) {
    require(v >= lo && v <= hi, name + " must be in [" + lo + ", " + hi + "], got " + v);
  }
}
