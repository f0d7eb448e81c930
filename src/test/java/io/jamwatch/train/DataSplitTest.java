package io.jamwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataSplitTest {

  @Test
  void trainingSeesNeitherHeldOutDevicesNorEventsAfterTheCut() {
    TrainingData data = SyntheticJams.data(10, 1000, 40, 1);
    DataSplit.Plan plan = DataSplit.plan(data, 0.2, 42);
    assertEquals(2, plan.heldOut().size());
    DataSplit split = new DataSplit(data, plan, 100);
    for (DataSplit.Chunk c : split.chunks) {
      assertFalse(plan.heldOut().contains(c.seq().deviceId()));
      for (int i = c.start(); i < c.end(); i++) assertTrue(c.seq().timeMillis()[i] < plan.cutMillis());
      assertTrue(c.targetEnd() <= DataSplit.firstAtOrAfter(c.seq().timeMillis(), plan.cutMillis()));
    }
    long scored = 0;
    for (DataSplit.Scored s : split.validation) {
      if (!plan.heldOut().contains(s.seq().deviceId()))
        assertTrue(s.seq().timeMillis()[s.from()] >= plan.cutMillis());
      scored += s.end() - s.from();
    }
    // every event is either trained on or scored on validation, never both
    assertEquals(data.events(), split.trainingEvents + scored);
    assertEquals(split.validationEvents, scored);
  }

  @Test
  void planDependsOnlyOnTheSeedAndASingleDeviceIsSplitByTimeAlone() {
    TrainingData data = SyntheticJams.data(10, 300, 40, 2);
    assertEquals(DataSplit.plan(data, 0.2, 7), DataSplit.plan(data, 0.2, 7));
    TrainingData one = new TrainingData(null, SyntheticJams.F, List.of(data.sequences().get(0)));
    DataSplit.Plan p = DataSplit.plan(one, 0.2, 7);
    assertTrue(p.heldOut().isEmpty());
    DataSplit s = new DataSplit(one, p, 50);
    assertEquals(1, s.validation.size());
    assertTrue(s.validation.get(0).from() > 0);
  }
}
