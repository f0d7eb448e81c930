package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlertOutcomeMetricsTest {

  @Test
  void countsOutcomesAndKeepsARollingPrecisionOverTheLastHundred() {
    StreamMetrics m = new StreamMetrics();
    assertTrue(Double.isNaN(m.rollingPrecision()));
    m.outcome(true);
    m.outcome(false);
    m.outcome(true);
    assertEquals(2.0 / 3, m.rollingPrecision(), 1e-12);
    // 100 false alarms push the three earlier outcomes out of the window.
    for (int i = 0; i < StreamMetrics.PRECISION_WINDOW; i++) {
      m.outcome(false);
    }
    assertEquals(0.0, m.rollingPrecision(), 0);
    m.outcome(true);
    assertEquals(1.0 / StreamMetrics.PRECISION_WINDOW, m.rollingPrecision(), 1e-12);
    assertEquals(3, m.outcomesTotal(true), 0);
    assertEquals(101, m.outcomesTotal(false), 0);
    String text = m.scrape();
    assertTrue(text.contains("jamwatch_alert_outcomes_total{outcome=\"jam_followed\"} 3.0"), text);
    assertTrue(text.contains("jamwatch_alert_outcomes_total{outcome=\"no_jam\"} 101.0"), text);
    assertTrue(text.contains("jamwatch_alert_precision 0.01"), text);
  }
}
