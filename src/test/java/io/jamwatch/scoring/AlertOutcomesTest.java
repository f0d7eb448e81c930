package io.jamwatch.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertOutcomesTest {
  private final AlertOutcomes outcomes = new AlertOutcomes(120_000);
  private final List<String> seen = new ArrayList<>();
  private final AlertOutcomes.Sink sink = (r, jam, lead) -> seen.add(r + ":" + jam + ":" + lead);

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
}
