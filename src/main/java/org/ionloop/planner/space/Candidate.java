package org.ionloop.planner.space;

import java.util.Arrays;

/**
 * A point of the design space: precursor mole fractions followed by process settings, in the
 * order of {@link DesignSpace#names()}. Values are in natural units (fractions, °C).
 *
 * @param id stable identifier used in the store and in decisions
 * @param x  the coordinates; copied on construction and on access
 */
public record Candidate(String id, double[] x) {
  public Candidate {
    x = x.clone();
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  /** Coordinate {@code i} without copying the vector. */
  public double get(int i) {
    return x[i];
  }

  public int dimension() {
    return x.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c && c.id.equals(id) && Arrays.equals(c.x, x);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Arrays.hashCode(x);
  }

  @Override
  public String toString() {
    return "Candidate[" + id + ", " + Arrays.toString(x) + "]";
  }
}
