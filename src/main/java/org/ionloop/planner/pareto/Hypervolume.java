package org.ionloop.planner.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Exact hypervolume for one to three <b>maximised</b> objectives: the measure of the region
 * dominated by the points and dominating the reference point.
 * <ul>
 *   <li>M = 1: best value minus the reference;</li>
 *   <li>M = 2: staircase sum after sorting, O(n log n);</li>
 *   <li>M = 3: sweep along the third objective, a 2-D staircase per slab, O(n² log n) — fine for
 *       the fronts a lab produces (tens of points).</li>
 * </ul>
 * Written here rather than taken from jMetal because jMetal's WFG implementation keeps its
 * working state in static fields (two planner threads would corrupt each other); the tests
 * check these values against jMetal's WFG.
 */
public final class Hypervolume {
  private Hypervolume() {}

  public static double of(List<double[]> points, double[] reference) {
    int m = reference.length;
    List<double[]> inside = new ArrayList<>();
    for (double[] p : points) {
      if (p.length != m) {
        throw new IllegalArgumentException("point has " + p.length + " objectives, reference "
            + m);
      }
      if (strictlyBetter(p, reference)) {
        inside.add(p);
      }
    }
    return switch (m) {
      case 1 -> inside.stream().mapToDouble(p -> p[0] - reference[0]).max().orElse(0);
      case 2 -> twoD(inside, reference[0], reference[1]);
      case 3 -> threeD(inside, reference);
      default -> throw new IllegalArgumentException(
          "exact hypervolume supports 1 to 3 objectives, got " + m);
    };
  }

  /** True when p is better than the reference in every objective (it adds hypervolume). */
  static boolean strictlyBetter(double[] p, double[] reference) {
    for (int k = 0; k < p.length; k++) {
      if (!(p[k] > reference[k])) {
        return false;
      }
    }
    return true;
  }

  static double twoD(List<double[]> points, double r0, double r1) {
    double[][] p = points.toArray(new double[0][]);
    Arrays.sort(p, Comparator.comparingDouble((double[] q) -> -q[0]));
    double hv = 0;
    double bestY = r1;
    for (double[] q : p) {
      if (q[1] > bestY) {
        hv += (q[0] - r0) * (q[1] - bestY);
        bestY = q[1];
      }
    }
    return hv;
  }

  private static double threeD(List<double[]> points, double[] r) {
    double[][] p = points.toArray(new double[0][]);
    // Descending third objective: slab i spans (z_{i+1}, z_i] and is dominated in (x, y) by the
    // first i + 1 points.
    Arrays.sort(p, Comparator.comparingDouble((double[] q) -> -q[2]));
    double hv = 0;
    List<double[]> active = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      active.add(p[i]);
      double zLow = i + 1 < p.length ? p[i + 1][2] : r[2];
      double height = p[i][2] - zLow;
      if (height > 0) {
        hv += height * twoD(active, r[0], r[1]);
      }
    }
    return hv;
  }
}
