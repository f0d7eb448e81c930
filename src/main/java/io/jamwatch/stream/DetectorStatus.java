package io.jamwatch.stream;

/** A snapshot of a running detector for the console and the status page. */
public record DetectorStatus(
    String state,
    String modelId,
    double eventsPerSecond,
    double eventsTotal,
    long devicesHeld,
    long openAlerts,
    double deadLetters) {

  public String toJson() {
    return String.format(
        java.util.Locale.ROOT,
        "{\"state\":\"%s\",\"modelId\":\"%s\",\"eventsPerSecond\":%.1f,\"eventsTotal\":%.0f,"
            + "\"devicesHeld\":%d,\"openAlerts\":%d,\"deadLetters\":%.0f}",
        state, modelId, eventsPerSecond, eventsTotal, devicesHeld, openAlerts, deadLetters);
  }

  public String consoleLine() {
    return String.format(
        java.util.Locale.ROOT,
        "%-11s %8.0f events/s  %10.0f scored  %6d devices  %4d open alerts  %5.0f dead letters",
        state, eventsPerSecond, eventsTotal, devicesHeld, openAlerts, deadLetters);
  }
}
