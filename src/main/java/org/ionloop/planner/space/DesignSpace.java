package org.ionloop.planner.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign's design space: precursor mole fractions on a bounded simplex (they sum to 1),
 * bounded process settings (continuous, or discrete with listed levels), and the constraints
 * real compositions have: linear inequalities and subsets with a fixed sum. Coordinates are
 * ordered precursors first.
 *
 * <p>{@link #project} returns the nearest feasible point (Dykstra's alternating projections over
 * the constraint sets, each of which has an exact projection), {@link #sample} a random feasible
 * one; both are what the acquisition optimiser moves through.
 */
public final class DesignSpace {
  /** Tolerance for the simplex equality and the bounds. */
  public static final double TOLERANCE = 1e-9;

  /**
   * A bounded coordinate. {@code unit} is "mol fraction" for precursors. {@code levels}, when
   * not null, lists the only values a discrete setting may take (e.g. mill speeds).
   */
  public record Range(String name, String unit, double min, double max, double[] levels) {
    public Range {
      if (!(min <= max)) {
        throw new IllegalArgumentException(name + ": min " + min + " > max " + max);
      }
      if (levels != null) {
        levels = levels.clone();
        java.util.Arrays.sort(levels);
        if (levels.length == 0 || levels[0] < min || levels[levels.length - 1] > max) {
          throw new IllegalArgumentException(name + ": levels must lie within [" + min + ", "
              + max + "]");
        }
      }
    }

    public Range(String name, String unit, double min, double max) {
      this(name, unit, min, max, null);
    }

    public boolean discrete() {
      return levels != null;
    }

    @Override
    public double[] levels() {
      return levels == null ? null : levels.clone();
    }
  }

  private static final int DYKSTRA_ITERATIONS = 5000;

  private final List<Range> precursors;
  private final List<Range> process;
  private final List<Range> all;
  private final List<LinearConstraint> inequalities;
  private final List<FixedSum> fixedSums;

  public DesignSpace(List<Range> precursors, List<Range> process) {
    this(precursors, process, List.of(), List.of());
  }

  public DesignSpace(List<Range> precursors, List<Range> process,
      List<LinearConstraint> inequalities, List<FixedSum> fixedSums) {
    this.precursors = List.copyOf(precursors);
    this.process = List.copyOf(process);
    List<Range> a = new ArrayList<>(precursors);
    a.addAll(process);
    this.all = List.copyOf(a);
    this.inequalities = List.copyOf(inequalities);
    this.fixedSums = List.copyOf(fixedSums);
    for (LinearConstraint c : inequalities) {
      double[] coef = c.coefficients();
      if (coef.length != all.size()) {
        throw new IllegalArgumentException(c.label() + ": " + coef.length
            + " coefficients for " + all.size() + " coordinates");
      }
      for (int i = 0; i < coef.length; i++) {
        if (coef[i] != 0 && all.get(i).discrete()) {
          throw new IllegalArgumentException(c.label() + ": discrete setting '"
              + all.get(i).name() + "' cannot appear in a linear constraint");
        }
      }
    }
    for (FixedSum f : fixedSums) {
      for (int i : f.indices()) {
        if (i < 0 || i >= all.size() || all.get(i).discrete()) {
          throw new IllegalArgumentException(f.label() + ": coordinate " + i
              + " must be a continuous coordinate of the space");
        }
      }
    }
  }

  public List<LinearConstraint> inequalities() {
    return inequalities;
  }

  public List<FixedSum> fixedSums() {
    return fixedSums;
  }

  public List<Range> ranges() {
    return all;
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

  /**
   * True when the fractions sum to 1, every coordinate is within its bounds (and on a level if
   * discrete), and every linear and fixed-sum constraint holds, all to {@link #TOLERANCE}.
   */
  public boolean isFeasible(double[] x) {
    return x.length == all.size() && maxViolation(x) <= TOLERANCE;
  }

  /** The largest violation of any constraint at x (0 when feasible). */
  public double maxViolation(double[] x) {
    double worst = 0;
    double sum = 0;
    for (int i = 0; i < all.size(); i++) {
      Range r = all.get(i);
      if (!Double.isFinite(x[i])) {
        return Double.POSITIVE_INFINITY;
      }
      worst = Math.max(worst, Math.max(r.min() - x[i], x[i] - r.max()));
      if (r.discrete()) {
        worst = Math.max(worst, Math.abs(x[i] - nearestLevel(r, x[i])));
      }
      if (i < precursors.size()) {
        sum += x[i];
      }
    }
    if (!precursors.isEmpty()) {
      worst = Math.max(worst, Math.abs(sum - 1));
    }
    for (LinearConstraint c : inequalities) {
      worst = Math.max(worst, c.violation(x));
    }
    for (FixedSum f : fixedSums) {
      worst = Math.max(worst, f.violation(x));
    }
    return worst;
  }

  /**
   * Euclidean projection onto the feasible set. Discrete settings are moved to their nearest
   * level and then held; the continuous part is projected by Dykstra's algorithm (Boyle &amp;
   * Dykstra, 1986) over the sets whose projections are exact: the bounded simplex with the
   * boxes, each fixed-sum subset, each half-space. Dykstra's corrections make the limit the true
   * nearest point of the intersection, not just some point of it.
   *
   * @param x point in natural units. Not modified.
   * @return a new point; feasible to {@link #TOLERANCE} unless the constraints admit no point
   *     (check with {@link #isFeasible})
   */
  public double[] project(double[] x) {
    double[] out = projectOntoBounds(x);
    if (inequalities.isEmpty() && fixedSums.isEmpty()) {
      return out;
    }
    int sets = 1 + fixedSums.size() + inequalities.size();
    double[][] corrections = new double[sets][x.length];
    double[] y = new double[x.length];
    for (int iter = 0; iter < DYKSTRA_ITERATIONS; iter++) {
      for (int s = 0; s < sets; s++) {
        for (int i = 0; i < x.length; i++) {
          y[i] = out[i] + corrections[s][i];
        }
        double[] projected = projectOntoSet(s, y);
        for (int i = 0; i < x.length; i++) {
          corrections[s][i] = y[i] - projected[i];
        }
        out = projected;
      }
      if (maxViolation(out) <= TOLERANCE * 0.1) {
        break;
      }
    }
    return out;
  }

  private double[] projectOntoSet(int s, double[] y) {
    if (s == 0) {
      return projectOntoBounds(y);
    }
    if (s <= fixedSums.size()) {
      FixedSum f = fixedSums.get(s - 1);
      double[] out = y.clone();
      int[] idx = f.indices();
      double[] v = new double[idx.length];
      double[] lo = new double[idx.length];
      double[] hi = new double[idx.length];
      for (int k = 0; k < idx.length; k++) {
        v[k] = y[idx[k]];
        lo[k] = all.get(idx[k]).min();
        hi[k] = all.get(idx[k]).max();
      }
      double[] p = projectOntoBoundedSimplex(v, lo, hi, f.total());
      for (int k = 0; k < idx.length; k++) {
        out[idx[k]] = p[k];
      }
      return out;
    }
    double[] out = y.clone();
    inequalities.get(s - 1 - fixedSums.size()).projectInPlace(out);
    return out;
  }

  /**
   * Projection onto the bounded simplex of the fractions and the boxes (or nearest levels) of
   * the process settings. The simplex part solves f_i = clip(v_i − λ, lo_i, hi_i) for the λ
   * giving Σf = 1 by bisection (the KKT conditions of the projection; Duchi et al., ICML 2008,
   * for the unbounded case).
   */
  private double[] projectOntoBounds(double[] x) {
    double[] out = x.clone();
    int p = precursors.size();
    if (p > 0) {
      double[] lo = new double[p];
      double[] hi = new double[p];
      for (int i = 0; i < p; i++) {
        lo[i] = precursors.get(i).min();
        hi[i] = precursors.get(i).max();
      }
      double[] f = projectOntoBoundedSimplex(java.util.Arrays.copyOf(x, p), lo, hi, 1);
      System.arraycopy(f, 0, out, 0, p);
    }
    for (int i = p; i < all.size(); i++) {
      Range r = all.get(i);
      out[i] = r.discrete() ? nearestLevel(r, x[i]) : clip(x[i], r.min(), r.max());
    }
    return out;
  }

  static double[] projectOntoBoundedSimplex(double[] v, double[] min, double[] max,
      double total) {
    int p = v.length;
    double[] out = new double[p];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p; i++) {
      lo = Math.min(lo, v[i] - max[i]);
      hi = Math.max(hi, v[i] - min[i]);
    }
    for (int iter = 0; iter < 200; iter++) {
      double mid = 0.5 * (lo + hi);
      double sum = 0;
      for (int i = 0; i < p; i++) {
        sum += clip(v[i] - mid, min[i], max[i]);
      }
      if (sum > total) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double lambda = 0.5 * (lo + hi);
    for (int i = 0; i < p; i++) {
      out[i] = clip(v[i] - lambda, min[i], max[i]);
    }
    // Remove the last rounding residue on a coordinate that has room, so the sum is exact to
    // 1e-12.
    double residue = total;
    for (int i = 0; i < p; i++) {
      residue -= out[i];
    }
    for (int i = 0; i < p && Math.abs(residue) > 0; i++) {
      double moved = clip(out[i] + residue, min[i], max[i]);
      residue -= moved - out[i];
      out[i] = moved;
    }
    return out;
  }

  private static double nearestLevel(Range r, double v) {
    double best = r.levels[0];
    for (double l : r.levels) {
      if (Math.abs(l - v) < Math.abs(best - v)) {
        best = l;
      }
    }
    return best;
  }

  /**
   * A random feasible point: fractions from a uniform Dirichlet, settings uniform within their
   * bounds (or a random level), kept when every constraint holds; after 64 rejections the last
   * draw is projected instead.
   *
   * @return a feasible point, or null when even the projection fails (constraints contradict)
   */
  public double[] sample(java.util.random.RandomGenerator rng) {
    double[] x = new double[all.size()];
    for (int attempt = 0; attempt < 64; attempt++) {
      double sum = 0;
      for (int i = 0; i < precursors.size(); i++) {
        x[i] = -Math.log(1 - rng.nextDouble());
        sum += x[i];
      }
      for (int i = 0; i < precursors.size(); i++) {
        x[i] /= sum;
      }
      for (int i = precursors.size(); i < all.size(); i++) {
        Range r = all.get(i);
        x[i] = r.discrete() ? r.levels[rng.nextInt(r.levels.length)]
            : r.min() + (r.max() - r.min()) * rng.nextDouble();
      }
      if (isFeasible(x)) {
        return x;
      }
    }
    double[] p = project(x);
    return isFeasible(p) ? p : null;
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
