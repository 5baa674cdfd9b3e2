package org.ionloop.planner.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DesignSpaceTest {
  static final DesignSpace SPACE = new DesignSpace(List.of(
      new DesignSpace.Range("Li2S", "", 0.3, 0.8), new DesignSpace.Range("P2S5", "", 0.05, 0.3),
      new DesignSpace.Range("LiCl", "", 0, 0.45), new DesignSpace.Range("LiBr", "", 0, 0.45)),
      List.of(new DesignSpace.Range("anneal_c", "°C", 300, 650)));

  @Test
  void projectionAlwaysReturnsFeasiblePoints() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      double[] x = new double[5];
      for (int k = 0; k < 4; k++) {
        x[k] = rng.nextDouble(-0.5, 1.5);
      }
      x[4] = rng.nextDouble(0, 1000);
      double[] p = SPACE.project(x);
      assertTrue(SPACE.isFeasible(p), () -> java.util.Arrays.toString(p));
      assertEquals(1, p[0] + p[1] + p[2] + p[3], 1e-9);
    }
  }

  @Test
  void projectionLeavesFeasiblePointsAlone() {
    double[] x = {0.625, 0.125, 0.25, 0.0, 550};
    assertArrayEquals(x, SPACE.project(x), 1e-12);
  }

  @Test
  void projectionIsTheNearestFeasiblePointForASimpleCase() {
    // Shifting every free coordinate by the same λ is the Euclidean projection onto Σ = 1.
    double[] p = SPACE.project(new double[] {0.5, 0.2, 0.2, 0.2, 500});
    assertArrayEquals(new double[] {0.475, 0.175, 0.175, 0.175, 500}, p, 1e-9);
  }

  @Test
  void unitCubeMapsBoundsToZeroAndOne() {
    double[] u = SPACE.toUnitCube(new double[] {0.3, 0.3, 0.45, 0, 650});
    assertArrayEquals(new double[] {0, 1, 1, 0, 1}, u, 1e-12);
  }
}
