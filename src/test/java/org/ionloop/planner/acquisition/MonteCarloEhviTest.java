package org.ionloop.planner.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MonteCarloEhviTest {
  final List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
  final double[] ref = {0, 0};

  @Test
  void improvementOfACertainDominatedPointIsZero() {
    var ehvi = new MonteCarloEhvi(256, new SplittableRandom(1));
    assertEquals(0.0, ehvi.value(new double[] {1.5, 1.5}, new double[] {0, 0}, front, ref), 0);
  }

  @Test
  void certainPointImprovesByItsExactExclusiveArea() {
    var ehvi = new MonteCarloEhvi(16, new SplittableRandom(1));
    // HV({(3,1),(2.5,2.5),(1,3)}) = 3·1 + 2.5·1.5 + 1·0.5 = 7.25, so the improvement is 1.25.
    assertEquals(1.25, ehvi.value(new double[] {2.5, 2.5}, new double[] {0, 0}, front, ref), 1e-12);
  }

  @Test
  void uncertaintyGivesADominatedMeanSomeValue() {
    var ehvi = new MonteCarloEhvi(512, new SplittableRandom(1));
    assertTrue(ehvi.value(new double[] {1.5, 1.5}, new double[] {1, 1}, front, ref) > 0.05);
  }
}
