package io.jamwatch.features;

/**
 * A contiguous block of encoded features that belong together and are occluded together when an
 * alert is explained: one reading (its value and its missing indicator), the event type one-hot, or
 * the time since the device's previous event (value and indicator).
 *
 * @param name  the reading name, {@code event_type} or {@code time_since_previous}
 * @param start first feature index (inclusive)
 * @param end   last feature index (exclusive)
 */
public record FeatureGroup(String name, int start, int end) {
  public FeatureGroup {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("feature group needs a name");
    if (start < 0 || end <= start)
      throw new IllegalArgumentException("feature group " + name + ": bad range [" + start + ", " + end + ")");
  }

  public int size() {
    return end - start;
  }
}
