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
