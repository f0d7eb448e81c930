package io.jamwatch.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertOutcomesTest {
  private final AlertOutcomes outcomes = new AlertOutcomes(120_000);
  private final List<String> seen = new ArrayList<>();
  private final AlertOutcomes.Sink sink = (r, jam, lead, h) -> seen.add(r + ":" + jam + ":" + lead + (h == 120_000 ? "" : "@" + h));

  @Test
  void aJamWithinTheHorizonResolvesEveryPendingRaiseWithItsLead() {
    AlertState s = new AlertState();
    outcomes.raised(s, 1_000);
    outcomes.raised(s, 50_000);
    assertEquals(0, outcomes.resolve(s, 100_000, false, sink));
    assertEquals(2, outcomes.resolve(s, 121_000, true, sink)); // 120 s after the first raise: still within
    assertEquals(List.of("1000:true:120000", "50000:true:71000"), seen);
    assertEquals(0, s.pendingCount);
  }

  @Test
  void aRaiseWhoseHorizonPassesWithoutAJamResolvesAsNoJamOnTheNextEvent() {
    AlertState s = new AlertState();
    outcomes.raised(s, 1_000);
    outcomes.raised(s, 100_000);
    assertEquals(2, outcomes.resolve(s, 121_001, true, sink)); // first expired, second caught by this jam
    assertEquals(List.of("1000:false:-1", "100000:true:21001"), seen);
  }

  @Test
  void pendingRaisesGrowBeyondTheInitialArrayAndResolveAllOnLeaving() {
    AlertState s = new AlertState();
    for (int i = 0; i < 9; i++) outcomes.raised(s, i);
    assertEquals(9, outcomes.resolveAll(s, sink));
    assertEquals(9, seen.size());
    s.pendingCount = 3;
    s.reset();
    assertEquals(0, s.pendingCount);
  }

  @Test
  void eachRaiseIsJudgedOnTheHorizonItClaimed() {
    AlertState s = new AlertState();
    outcomes.raised(s, 0, 1_800_000); // "a jam within ~30 min"
    outcomes.raised(s, 10_000, 600_000); // "within ~10 min"
    outcomes.raised(s, 20_000); // the default (120 s)
    assertEquals(1, outcomes.resolve(s, 140_001, false, sink)); // only the 120-s claim has expired
    assertEquals(List.of("20000:false:-1"), seen);
    assertEquals(1, outcomes.resolve(s, 610_001, false, sink)); // then the 10-min one
    assertEquals(1, outcomes.resolve(s, 900_000, true, sink)); // a jam at 15 min: the 30-min claim was right
    assertEquals(List.of("20000:false:-1", "10000:false:-1@600000", "0:true:900000@1800000"), seen);
    assertEquals(0, s.pendingCount);
  }

  @Test
  void claimsSurviveCompactionAndGrowth() {
    AlertState s = new AlertState();
    for (int i = 0; i < 9; i++) outcomes.raised(s, i * 1_000L, (i + 1) * 200_000L);
    assertEquals(1, outcomes.resolve(s, 200_001, false, sink)); // raise 0 (200 s) expires, the rest move down
    for (int i = 0; i < s.pendingCount; i++) {
      assertEquals((i + 1) * 1_000L, s.pending[i]);
      assertEquals((i + 2) * 200_000L, outcomes.horizonOf(s, i));
    }
  }
}
