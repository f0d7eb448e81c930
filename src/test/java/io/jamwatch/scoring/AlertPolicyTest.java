package io.jamwatch.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jamwatch.scoring.AlertPolicy.Transition;
import org.junit.jupiter.api.Test;

class AlertPolicyTest {

  private static final AlertPolicy POLICY = new AlertPolicy(0.7f, 0.4f, 3, 0, 10_000);

  @Test
  void raisesOnlyAfterMinEventsAboveThreshold() {
    AlertState s = new AlertState();
    s.reset();
    assertEquals(Transition.NONE, POLICY.apply(s, 0.8f, 1000, false));
    assertEquals(Transition.NONE, POLICY.apply(s, 0.9f, 2000, false));
    assertEquals(Transition.RAISED, POLICY.apply(s, 0.75f, 3000, false));
    assertTrue(s.open);
    assertEquals(3000, s.raisedAt);
    assertEquals(0.9f, s.peak);
  }

  @Test
  void aDipBelowRaiseThresholdRestartsTheCount() {
    AlertState s = new AlertState();
    s.reset();
    POLICY.apply(s, 0.8f, 1000, false);
    POLICY.apply(s, 0.8f, 2000, false);
    assertEquals(Transition.NONE, POLICY.apply(s, 0.6f, 3000, false));
    assertEquals(Transition.NONE, POLICY.apply(s, 0.8f, 4000, false));
    assertFalse(s.open);
  }

  @Test
  void hysteresisKeepsAlertOpenBetweenClearAndRaiseThresholds() {
    AlertState s = new AlertState();
    s.reset();
    for (int i = 0; i < 3; i++) {
      POLICY.apply(s, 0.8f, 1000 + i, false);
    }
    assertTrue(s.open);
    assertEquals(Transition.NONE, POLICY.apply(s, 0.5f, 5000, false));
    assertEquals(Transition.NONE, POLICY.apply(s, 0.95f, 6000, false));
    assertTrue(s.open);
    assertEquals(Transition.CLEARED, POLICY.apply(s, 0.3f, 7000, false));
    assertFalse(s.open);
    assertEquals(0.95f, s.peak);
    assertEquals(7000, s.lastClearedAt);
  }

  @Test
  void cooldownBlocksAnewRaiseUntilItHasPassed() {
    AlertState s = new AlertState();
    s.reset();
    for (int i = 0; i < 3; i++) {
      POLICY.apply(s, 0.8f, 1000 + i, false);
    }
    assertEquals(Transition.CLEARED, POLICY.apply(s, 0.1f, 2000, false));
    // within 10 s of the clear: high scores do not raise
    for (int i = 0; i < 5; i++) {
      assertEquals(Transition.NONE, POLICY.apply(s, 0.9f, 3000 + i * 1000, false));
    }
    // the run above continues past the cooldown: raises at the first event after it
    assertEquals(Transition.RAISED, POLICY.apply(s, 0.9f, 12_000, false));
  }

  @Test
  void minDurationAboveIsMeasuredInEventTime() {
    AlertPolicy p = new AlertPolicy(0.7f, 0.4f, 1, 5_000, 0);
    AlertState s = new AlertState();
    s.reset();
    assertEquals(Transition.NONE, p.apply(s, 0.9f, 10_000, false));
    assertEquals(Transition.NONE, p.apply(s, 0.9f, 14_999, false));
    assertEquals(Transition.RAISED, p.apply(s, 0.9f, 15_000, false));
  }

  @Test
  void warmingDeviceNeverRaises() {
    AlertState s = new AlertState();
    s.reset();
    for (int i = 0; i < 10; i++) {
      assertEquals(Transition.NONE, POLICY.apply(s, 0.99f, i, true));
    }
    assertFalse(s.open);
  }

  @Test
  void rejectsClearThresholdAboveRaiseThreshold() {
    assertThrows(IllegalArgumentException.class, () -> new AlertPolicy(0.5f, 0.6f, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new AlertPolicy(0.5f, 0.4f, 0, 0, 0));
  }

  @Test
  void suppressionBlocksANewRaiseForSomeEventsAfterTheLast() {
    AlertPolicy p = new AlertPolicy(0.7f, 0.7f, 1, 0, 0, 5);
    AlertState s = new AlertState();
    assertEquals(Transition.RAISED, p.apply(s, 0.9f, 1, false));
    assertEquals(Transition.CLEARED, p.apply(s, 0.1f, 2, false));
    // The 2nd to 6th events after the raise are within the 5 suppressed ones.
    for (int i = 3; i <= 6; i++) {
      assertEquals(Transition.NONE, p.apply(s, 0.9f, i, false), "suppressed at event " + i);
    }
    assertEquals(Transition.RAISED, p.apply(s, 0.9f, 7, false));
    assertEquals(0, s.eventsSinceRaise);
  }
}
