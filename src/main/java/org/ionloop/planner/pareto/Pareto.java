package org.ionloop.planner.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pareto utilities for objectives that are all <b>maximised</b> (callers negate objectives
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

  /** Indices of the non-dominated points, in ascending order. */
  public static List<Integer> nonDominated(List<double[]> points) {
    if (!points.isEmpty() && points.get(0).length == 2) {
      return nonDominatedTwo(points);
    }
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
   * Two objectives in O(n log n) instead of O(n²): sorted by the first objective (then the
   * second) descending, a point is dominated exactly when an earlier one is at least as good in
   * the second objective and not equal to it. The planner calls this for each of thousands of
   * posterior samples per decision.
   */
  private static List<Integer> nonDominatedTwo(List<double[]> points) {
    Integer[] order = new Integer[points.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      double[] pa = points.get(a);
      double[] pb = points.get(b);
      int c = Double.compare(pb[0], pa[0]);
      return c != 0 ? c : Double.compare(pb[1], pa[1]);
    });
    List<Integer> out = new ArrayList<>();
    double bestSecond = Double.NEGATIVE_INFINITY;
    double firstAtBest = Double.NEGATIVE_INFINITY; // first objective of the earliest point there
    for (int i : order) {
      double[] p = points.get(i);
      boolean dominated = bestSecond > p[1] || (bestSecond == p[1] && firstAtBest > p[0]);
      if (!dominated) {
        out.add(i);
      }
      if (p[1] > bestSecond) {
        bestSecond = p[1];
        firstAtBest = p[0];
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * A reference point inferred from the data when the campaign gives none (BoTorch's
   * {@code infer_reference_point}): the nadir of the Pareto front moved 10 % of the front's range
   * further down, so the extreme points of the front still add hypervolume.
   */
  public static double[] inferReference(List<double[]> points) {
    int m = points.get(0).length;
    double[] nadir = new double[m];
    double[] ideal = new double[m];
    Arrays.fill(nadir, Double.POSITIVE_INFINITY);
    Arrays.fill(ideal, Double.NEGATIVE_INFINITY);
    for (int i : nonDominated(points)) {
      for (int k = 0; k < m; k++) {
        nadir[k] = Math.min(nadir[k], points.get(i)[k]);
        ideal[k] = Math.max(ideal[k], points.get(i)[k]);
      }
    }
    double[] ref = new double[m];
    for (int k = 0; k < m; k++) {
      double range = ideal[k] - nadir[k];
      double scale = range > 0 ? range : Math.max(Math.abs(nadir[k]), 1);
      ref[k] = nadir[k] - 0.1 * scale;
    }
    return ref;
  }
}
