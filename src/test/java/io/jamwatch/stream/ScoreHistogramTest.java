package io.jamwatch.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreHistogramTest {

  @Test
  void scoresLandInTheirOwnBucketsOfTheExposedHistogram() {
    StreamMetrics m = new StreamMetrics();
    m.scored(0.15f);
    m.scored(0.85f);
    m.scored(0.86f);
    String text = m.scrape();
    assertTrue(text.contains("jamwatch_score_percent_bucket{le=\"10.0\"} 0"), text);
    assertTrue(text.contains("jamwatch_score_percent_bucket{le=\"20.0\"} 1"), text);
    assertTrue(text.contains("jamwatch_score_percent_bucket{le=\"80.0\"} 1"), text);
    assertTrue(text.contains("jamwatch_score_percent_bucket{le=\"90.0\"} 3"), text);
    assertTrue(text.contains("jamwatch_score_percent_count 3"), text);
  }
}
