package org.ionloop.planner.space;

import java.util.Arrays;

/**
 * A linear inequality on the design coordinates, Σ a_i x_i ≤ b, in natural units (e.g. "LiCl +
 * LiBr ≤ 0.5": halide total kept where argyrodites still form). A "≥" constraint is stored
 * negated.
 *
 * @param label for error messages and logs, e.g. {@code "LiCl + LiBr ≤ 0.5"}
 */
public record LinearConstraint(String label, double[] coefficients, double bound) {
  public LinearConstraint {
    coefficients = coefficients.clone();
    if (Arrays.stream(coefficients).allMatch(c -> c == 0)) {
      throw new IllegalArgumentException(label + ": all coefficients are zero");
    }
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** Σ a_i x_i − b: positive when violated. */
  public double violation(double[] x) {
    double s = -bound;
    for (int i = 0; i < coefficients.length; i++) {
      s += coefficients[i] * x[i];
    }
    return s;
  }

  /** Euclidean projection onto the half-space, written into {@code x}. */
  void projectInPlace(double[] x) {
    double v = violation(x);
    if (v <= 0) {
      return;
    }
    double norm2 = 0;
    for (double c : coefficients) {
      norm2 += c * c;
    }
    for (int i = 0; i < x.length; i++) {
      x[i] -= v * coefficients[i] / norm2;
    }
  }
}
