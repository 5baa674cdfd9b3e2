package org.ionloop.planner.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParetoTest {
  @Test
  void hypervolumeOfAStaircaseIsTheSumOfItsRectangles() {
    // Front {(1,3), (2,2), (3,1)} with reference (0,0): 3·1 + 2·1 + 1·1 = 6.
    List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
    assertEquals(6.0, Hypervolume.of(front, new double[] {0, 0}), 1e-12);
  }

  @Test
  void dominatedAndOutOfReferencePointsAddNothing() {
    List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1},
        new double[] {1.5, 1.5}, new double[] {-1, 10});
    assertEquals(6.0, Hypervolume.of(front, new double[] {0, 0}), 1e-12);
  }

  @Test
  void nonDominatedSortKeepsOnlyTheFront() {
    List<double[]> pts = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {1.5, 1.5},
        new double[] {3, 1});
    assertEquals(List.of(0, 1, 3), Pareto.nonDominated(pts));
  }

  @Test
  void twoObjectiveSortAgreesWithTheDefinitionIncludingTiesAndDuplicates() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      List<double[]> pts = new ArrayList<>();
      int n = 1 + rng.nextInt(30);
      for (int i = 0; i < n; i++) {
        // a coarse grid makes equal coordinates and identical points common
        pts.add(new double[] {rng.nextInt(6), rng.nextInt(6)});
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean dominated = false;
        for (int j = 0; j < n; j++) {
          dominated |= Pareto.dominates(pts.get(j), pts.get(i));
        }
        if (!dominated) {
          expected.add(i);
        }
      }
      assertEquals(expected, Pareto.nonDominated(pts), "trial " + trial);
    }
  }
}
