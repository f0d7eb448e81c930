package io.jamwatch.sim;

import java.util.List;

/**
 * Names of the readings a simulated scanner reports (keys of {@code ScannerEvent.readings}), with
 * their units. Real scanners may report any subset, or other names; nothing downstream may assume
 * this list is complete.
 */
public final class Readings {

  /** Belt speed at the scanner, m/s (0 while the line is stopped). */
  public static final String BELT_SPEED = "belt_speed";
  /**
   * Time between the previous package's trailing edge and this package's leading edge, ms; the
   * gap timer saturates at 10 000 ms (after a stop or a lull).
   */
  public static final String GAP_MS = "gap_ms";
  /** How long the package blocked the photo-eye, ms (length / speed, longer when it slips). */
  public static final String DWELL_MS = "dwell_ms";
  /** Package centre's offset from the belt centre line, mm (signed). */
  public static final String LATERAL_OFFSET_MM = "lateral_offset_mm";
  /** Drive motor current, A. */
  public static final String MOTOR_CURRENT_A = "motor_current_a";
  /** Vibration RMS velocity at the drive, mm/s. */
  public static final String VIBRATION_RMS = "vibration_rms";
  /** Measured package length, mm (the same package gives nearly the same value at every scanner). */
  public static final String PACKAGE_LENGTH_MM = "package_length_mm";

  /** All of them, in the order the simulator writes them (a fixed order keeps files byte-identical). */
  public static final List<String> ALL = List.of(
      BELT_SPEED, GAP_MS, DWELL_MS, LATERAL_OFFSET_MM, MOTOR_CURRENT_A, VIBRATION_RMS, PACKAGE_LENGTH_MM);

  private Readings() {}
}
