package org.ionloop.planner.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConstrainedSpaceTest {
  final DesignSpace space = new DesignSpace(
      List.of(new DesignSpace.Range("Li2S", "", 0.3, 0.8), new DesignSpace.Range("P2S5", "", 0.05, 0.3),
          new DesignSpace.Range("LiCl", "", 0, 0.45), new DesignSpace.Range("LiBr", "", 0, 0.45)),
      List.of(new DesignSpace.Range("anneal_c", "°C", 300, 650),
          new DesignSpace.Range("rpm", "", 200, 600, new double[] {200, 450, 600})),
      List.of(new LinearConstraint("LiCl + LiBr ≤ 0.3", new double[] {0, 0, 1, 1, 0, 0}, 0.3)),
      List.of(new FixedSum("LiCl + LiBr = 0.2", new int[] {2, 3}, 0.2)));

  @Test
  void projectionAlwaysReturnsAFeasiblePoint() {
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 2000; i++) {
      double[] x = new double[6];
      for (int k = 0; k < 4; k++) {
        x[k] = rng.nextDouble() * 2 - 0.5;
      }
      x[4] = 100 + rng.nextDouble() * 800;
      x[5] = rng.nextDouble() * 800;
      double[] p = space.project(x);
      assertTrue(space.maxViolation(p) <= 1e-9, "violation " + space.maxViolation(p));
    }
  }

  @Test
  void projectionOfAFeasiblePointIsThePointItself() {
    double[] x = {0.6, 0.2, 0.1, 0.1, 500, 450};
    double[] p = space.project(x);
    for (int k = 0; k < x.length; k++) {
      assertEquals(x[k], p[k], 1e-12);
    }
  }

  @Test
  void samplesAreFeasible() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      assertTrue(space.isFeasible(space.sample(rng)));
    }
  }

  @Test
  void contradictoryConstraintsGiveNoSample() {
    DesignSpace impossible = new DesignSpace(
        List.of(new DesignSpace.Range("A", "", 0, 1), new DesignSpace.Range("B", "", 0, 1)),
        List.of(), List.of(new LinearConstraint("A ≤ 0.2", new double[] {1, 0}, 0.2),
            new LinearConstraint("B ≤ 0.2", new double[] {0, 1}, 0.2)), List.of());
    assertNull(impossible.sample(new SplittableRandom(1)));
  }
}
