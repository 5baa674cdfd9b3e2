package org.ionloop.planner.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto utilities for two objectives, both to be <b>maximised</b> (callers negate objectives
 * they minimise).
 */
public final class Pareto {
  private Pareto() {}

  /** True when a dominates b: a ≥ b in every objective and &gt; in one. */
  public static boolean dominates(double[] a, double[] b) {
    boolean strictly = false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] < b[i]) {
        return false;
      }
      strictly |= a[i] > b[i];
    }
    return strictly;
  }

  /** Indices of the non-dominated points. */
  public static List<Integer> nonDominated(List<double[]> points) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < points.size() && !dominated; j++) {
        dominated = j != i && dominates(points.get(j), points.get(i));
      }
      if (!dominated) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Exact 2-D hypervolume dominated by {@code points} and bounded below by {@code ref}: sort by
   * the first objective descending and sum the rectangles of the staircase.
   */
  public static double hypervolume2d(List<double[]> points, double[] ref) {
    double[][] p = points.stream().filter(q -> q[0] > ref[0] && q[1] > ref[1])
        .toArray(double[][]::new);
    Arrays.sort(p, Comparator.comparingDouble((double[] q) -> -q[0]));
    double hv = 0;
    double bestY = ref[1];
    for (double[] q : p) {
      if (q[1] > bestY) {
        hv += (q[0] - ref[0]) * (q[1] - bestY);
        bestY = q[1];
      }
    }
    return hv;
  }
}
