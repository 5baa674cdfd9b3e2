package org.ionloop.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ionloop.planner.space.DesignSpace;
import org.junit.jupiter.api.Test;

class AcquisitionOptimizerTest {
  final DesignSpace space = new DesignSpace(List.of(), List.of(new DesignSpace.Range("x", "", 0, 1)));
  final List<double[]> candidates = List.of(new double[] {0.1}, new double[] {0.5}, new double[] {0.9});
  final AcquisitionOptimizer optimizer = new AcquisitionOptimizer(AcquisitionOptimizer.Settings.DEFAULT);

  @Test
  void aPlateauOfEqualValuesIsDecidedByTheTieBreakNotByRowOrder() {
    // Zero everywhere: no Monte-Carlo sample improves on the incumbent. Row order would pick 0.1.
    var best = optimizer.overSet(space, candidates, new boolean[3], u -> 0.0, x -> x[0]);
    assertEquals(2, best.index());
    assertTrue(best.tieBroken());
    assertEquals(0, optimizer.overSet(space, candidates, new boolean[3], u -> 0.0).index(), "no tie-break: first");
  }

  @Test
  void aUniqueBestIsKeptWhateverTheTieBreakSays() {
    var best = optimizer.overSet(space, candidates, new boolean[3], u -> u[0] < 0.3 ? 1.0 : 0.0, x -> x[0]);
    assertEquals(0, best.index());
    assertFalse(best.tieBroken());
    var skipped = optimizer.overSet(space, candidates, new boolean[] {false, false, true}, u -> 0.0, x -> x[0]);
    assertEquals(1, skipped.index(), "an excluded row is never the tie's winner");
  }
}
