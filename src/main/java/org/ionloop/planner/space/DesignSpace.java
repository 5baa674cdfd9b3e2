package org.ionloop.planner.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign's design space: precursor mole fractions on a bounded simplex (they sum to 1)
 * plus bounded continuous process settings. Coordinates are ordered precursors first.
 */
public final class DesignSpace {
  /** Tolerance for the simplex equality and the bounds. */
  public static final double TOLERANCE = 1e-9;

  /** A bounded coordinate. {@code unit} is "mol fraction" for precursors. */
  public record Range(String name, String unit, double min, double max) {
    public Range {
      if (!(min <= max)) {
        throw new IllegalArgumentException(name + ": min " + min + " > max " + max);
      }
    }
  }

  private final List<Range> precursors;
  private final List<Range> process;
  private final List<Range> all;

  public DesignSpace(List<Range> precursors, List<Range> process) {
    this.precursors = List.copyOf(precursors);
    this.process = List.copyOf(process);
    List<Range> a = new ArrayList<>(precursors);
    a.addAll(process);
    this.all = List.copyOf(a);
  }

  public List<Range> precursors() {
    return precursors;
  }

  public List<Range> process() {
    return process;
  }

  public int dimension() {
    return all.size();
  }

  public int precursorCount() {
    return precursors.size();
  }

  public List<String> names() {
    return all.stream().map(Range::name).toList();
  }

  /** Index of a coordinate by name, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Maps natural units to the unit cube (per-coordinate min–max), for surrogate inputs. */
  public double[] toUnitCube(double[] x) {
    double[] u = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      Range r = all.get(i);
      double span = r.max() - r.min();
      u[i] = span == 0 ? 0.5 : (x[i] - r.min()) / span;
    }
    return u;
  }

  /** True when fractions sum to 1 and every coordinate is within its bounds (±1e-9). */
  public boolean isFeasible(double[] x) {
    double sum = 0;
    for (int i = 0; i < all.size(); i++) {
      Range r = all.get(i);
      if (x[i] < r.min() - TOLERANCE || x[i] > r.max() + TOLERANCE || !Double.isFinite(x[i])) {
        return false;
      }
      if (i < precursors.size()) {
        sum += x[i];
      }
    }
    return Math.abs(sum - 1) <= TOLERANCE * precursors.size();
  }

  /**
   * Euclidean projection onto the feasible set: the fractions onto the bounded simplex
   * {f : Σf = 1, lo ≤ f ≤ hi} and the process settings onto their boxes. The simplex part solves
   * f_i = clip(v_i − λ, lo_i, hi_i) for the λ giving Σf = 1 by bisection (the KKT conditions of
   * the projection; see Duchi et al., ICML 2008, for the unbounded case).
   *
   * @param x point in natural units. Not modified.
   * @return a new, feasible point
   */
  public double[] project(double[] x) {
    double[] out = x.clone();
    int p = precursors.size();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p; i++) {
      lo = Math.min(lo, x[i] - precursors.get(i).max());
      hi = Math.max(hi, x[i] - precursors.get(i).min());
    }
    for (int iter = 0; iter < 200 && p > 0; iter++) {
      double mid = 0.5 * (lo + hi);
      double sum = 0;
      for (int i = 0; i < p; i++) {
        sum += clip(x[i] - mid, precursors.get(i).min(), precursors.get(i).max());
      }
      if (sum > 1) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double lambda = 0.5 * (lo + hi);
    for (int i = 0; i < p; i++) {
      out[i] = clip(x[i] - lambda, precursors.get(i).min(), precursors.get(i).max());
    }
    // Remove the last rounding residue on a coordinate that has room, so Σf = 1 to 1e-12.
    double residue = 1;
    for (int i = 0; i < p; i++) {
      residue -= out[i];
    }
    for (int i = 0; i < p && Math.abs(residue) > 0; i++) {
      double moved = clip(out[i] + residue, precursors.get(i).min(), precursors.get(i).max());
      residue -= moved - out[i];
      out[i] = moved;
    }
    for (int i = p; i < all.size(); i++) {
      out[i] = clip(x[i], all.get(i).min(), all.get(i).max());
    }
    return out;
  }

  /** The candidate as an ordered name → value map, for JSON and logs. */
  public Map<String, Double> describe(double[] x) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      m.put(all.get(i).name(), x[i]);
    }
    return m;
  }

  /** Precursor fractions by name. */
  public Map<String, Double> fractions(double[] x) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < precursors.size(); i++) {
      m.put(precursors.get(i).name(), x[i]);
    }
    return m;
  }

  /** Human-readable composition such as {@code Li2S 0.625, P2S5 0.125, LiCl 0.250 @ 550 °C}. */
  public String label(double[] x) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < all.size(); i++) {
      Range r = all.get(i);
      if (i == precursors.size()) {
        sb.append(" |");
      } else if (i > 0) {
        sb.append(i < precursors.size() ? ", " : "");
      }
      if (i < precursors.size()) {
        sb.append(String.format("%s %.3f", r.name(), x[i]));
      } else {
        sb.append(String.format(" %s %.0f %s", r.name(), x[i], r.unit()));
      }
    }
    return sb.toString();
  }

  private static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
