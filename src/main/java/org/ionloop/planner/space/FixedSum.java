package org.ionloop.planner.space;

import java.util.Arrays;

/**
 * A subset of coordinates whose sum is fixed, e.g. "LiCl + LiBr = 0.25" (a halide total chosen
 * by the chemist while the Cl:Br ratio is explored).
 *
 * @param indices coordinates in the subset
 * @param total   the required sum
 */
public record FixedSum(String label, int[] indices, double total) {
  public FixedSum {
    indices = indices.clone();
    if (indices.length == 0) {
      throw new IllegalArgumentException(label + ": empty subset");
    }
  }

  @Override
  public int[] indices() {
    return indices.clone();
  }

  /** |Σ x_i − total|. */
  public double violation(double[] x) {
    double s = 0;
    for (int i : indices) {
      s += x[i];
    }
    return Math.abs(s - total);
  }

  @Override
  public String toString() {
    return label + Arrays.toString(indices);
  }
}
