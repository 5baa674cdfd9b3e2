package org.ionloop.planner.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.uma.jmetal.qualityindicator.impl.hypervolume.impl.WFGHypervolume;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

  @Test
  void exactTwoDimensionalValues() {
    List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
    // staircase: 1·3 + 1·2 + 1·1 above the origin
    assertEquals(6.0, Hypervolume.of(front, new double[] {0, 0}), 1e-12);
    // a dominated point and a point outside the reference change nothing
    List<double[]> more = new ArrayList<>(front);
    more.add(new double[] {1.5, 1.5});
    more.add(new double[] {-1, 10});
    assertEquals(6.0, Hypervolume.of(more, new double[] {0, 0}), 1e-12);
    assertEquals(0.0, Hypervolume.of(List.of(), new double[] {0, 0}));
  }

  @Test
  void exactThreeDimensionalValues() {
    double[] r = {0, 0, 0};
    assertEquals(24.0, Hypervolume.of(List.of(new double[] {2, 3, 4}), r), 1e-12);
    // two boxes 2×2×1 and 1×1×3 overlapping in 1×1×1: 4 + 3 − 1
    List<double[]> two = List.of(new double[] {2, 2, 1}, new double[] {1, 1, 3});
    assertEquals(6.0, Hypervolume.of(two, r), 1e-12);
    // the three unit-cube corners: 3 − 3·0 + … each pair overlaps in a 1-thick slab
    List<double[]> corners = List.of(new double[] {1, 1, 0.5}, new double[] {1, 0.5, 1},
        new double[] {0.5, 1, 1});
    // inclusion–exclusion: 3·0.5 − 3·0.25 + 0.125
    assertEquals(1.5 - 0.75 + 0.125, Hypervolume.of(corners, r), 1e-12);
  }

  @Test
  void agreesWithJmetalWfgOnRandomFronts() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int m = 2; m <= 3; m++) {
      for (int trial = 0; trial < 20; trial++) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          double[] p = new double[m];
          double norm = 0;
          for (int k = 0; k < m; k++) {
            p[k] = Math.abs(rng.nextGaussian());
            norm += p[k] * p[k];
          }
          for (int k = 0; k < m; k++) {
            p[k] /= Math.sqrt(norm) * (0.8 + 0.2 * rng.nextDouble());
          }
          pts.add(p);
        }
        double[] ref = new double[m]; // origin, maximisation
        double wfg = jmetalHypervolume(pts, ref);
        assertEquals(wfg, Hypervolume.of(pts, ref), 1e-9 * Math.max(1, wfg), "m=" + m);
      }
    }
  }

  @Test
  void boxDecompositionGivesExactImprovement() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int m = 1; m <= 3; m++) {
      for (int trial = 0; trial < 50; trial++) {
        double[] ref = new double[m];
        for (int k = 0; k < m; k++) {
          ref[k] = -0.2;
        }
        List<double[]> front = new ArrayList<>();
        for (int i = 0; i < 1 + rng.nextInt(12); i++) {
          front.add(randomPoint(rng, m));
        }
        NondominatedBoxes boxes = NondominatedBoxes.of(front, ref);
        double base = Hypervolume.of(front, ref);
        for (int t = 0; t < 20; t++) {
          double[] y = randomPoint(rng, m);
          List<double[]> with = new ArrayList<>(front);
          with.add(y);
          assertEquals(Hypervolume.of(with, ref) - base, boxes.improvement(y), 1e-12,
              "m=" + m);
        }
      }
    }
  }

  @Test
  void improvementOfADominatedPointIsZero() {
    List<double[]> front = List.of(new double[] {1, 3, 2}, new double[] {2, 2, 2},
        new double[] {3, 1, 1});
    NondominatedBoxes boxes = NondominatedBoxes.of(front, new double[] {0, 0, 0});
    assertEquals(0.0, boxes.improvement(new double[] {1.9, 1.9, 1.5}));
    assertEquals(0.0, boxes.improvement(new double[] {2, 2, 2}));
    assertEquals(0.0, boxes.improvement(new double[] {-1, 5, 5})); // below the reference
    assertEquals(0.0, NondominatedBoxes.of(List.of(new double[] {1, 1}), new double[] {0, 0})
        .improvement(new double[] {0.5, 0.9}));
  }

  @Test
  void inferredReferenceLiesBelowTheFront() {
    double[] ref = Pareto.inferReference(List.of(new double[] {1, 5}, new double[] {3, 2},
        new double[] {0, 0}));
    assertEquals(1 - 0.2, ref[0], 1e-12);
    assertEquals(2 - 0.3, ref[1], 1e-12);
  }

  /**
   * jMetal's WFG assumes minimisation with the front normalised into [0, 1]^m and the reference
   * at (1, …, 1); it ignores the reference point it is given. Map maximised values by
   * p' = (U − p)/(U − r), U the per-objective maximum, drop dominated points, and scale the
   * volume back.
   */
  static double jmetalHypervolume(List<double[]> pts, double[] ref) {
    int m = ref.length;
    double[] upper = new double[m];
    java.util.Arrays.fill(upper, Double.NEGATIVE_INFINITY);
    for (double[] p : pts) {
      for (int k = 0; k < m; k++) {
        upper[k] = Math.max(upper[k], p[k]);
      }
    }
    double scale = 1;
    for (int k = 0; k < m; k++) {
      scale *= upper[k] - ref[k];
    }
    // WFG also expects a non-dominated set.
    double[][] normalised = Pareto.nonDominated(pts).stream().map(pts::get).map(p -> {
      double[] q = new double[m];
      for (int k = 0; k < m; k++) {
        q[k] = (upper[k] - p[k]) / (upper[k] - ref[k]);
      }
      return q;
    }).toArray(double[][]::new);
    double[] ones = new double[m];
    java.util.Arrays.fill(ones, 1);
    return new WFGHypervolume(ones).compute(normalised) * scale;
  }

  @Test
  void jmetalWrapperReproducesExactTwoDimensionalValues() {
    List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
    assertEquals(6.0, jmetalHypervolume(front, new double[] {0, 0}), 1e-12);
    assertEquals(2.0 * 1 + 1, jmetalHypervolume(List.of(new double[] {1, 3}, new double[] {3, 1.5}),
        new double[] {0, 1}), 1e-12);
  }

  private static double[] randomPoint(SplittableRandom rng, int m) {
    double[] p = new double[m];
    for (int k = 0; k < m; k++) {
      p[k] = rng.nextDouble() * 2 - 0.3;
    }
    return p;
  }
}
