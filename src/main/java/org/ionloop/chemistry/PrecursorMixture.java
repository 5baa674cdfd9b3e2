package org.ionloop.chemistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.vector.constrained.ADMMQPOptimizer;
import org.hipparchus.optim.nonlinear.vector.constrained.ADMMQPOption;
import org.hipparchus.optim.nonlinear.vector.constrained.LagrangeSolution;
import org.hipparchus.optim.nonlinear.vector.constrained.LinearBoundedConstraint;
import org.hipparchus.optim.nonlinear.vector.constrained.LinearEqualityConstraint;
import org.hipparchus.optim.nonlinear.vector.constrained.QuadraticFunction;

/**
 * The precursor mixture closest to a composition given as element fractions, for a lab whose
 * precursors span only part of composition space. With A[e][p] the atom fraction of element e in
 * precursor p, the atom shares w (w ≥ 0, Σw = 1) minimise |A·w − f|² (non-negative least
 * squares on the simplex, solved as a quadratic programme by Hipparchus' ADMM solver); the
 * mixture's mole fractions follow as xₚ ∝ wₚ / atomsₚ. The residual is the total-variation
 * distance between the target and the mixture's composition (0: reachable exactly; the share of
 * atoms that are wrong otherwise), so a caller can drop samples too far from what its precursors
 * can make, and say how many it dropped.
 */
public final class PrecursorMixture {
  /** A mixture and how far its composition is from the asked one. */
  public record Fit(Map<String, Double> moleFractions, Map<String, Double> composition, double residual) {}

  private final List<String> names;
  private final List<String> elements;
  private final double[][] atomFractions; // [element][precursor]
  private final double[] atomsPerUnit;

  /** @param precursors formulas by the name the lab dispenses them under, in order */
  public PrecursorMixture(Map<String, ChemicalFormula> precursors) {
    if (precursors.isEmpty()) {
      throw new IllegalArgumentException("no precursors");
    }
    this.names = List.copyOf(precursors.keySet());
    TreeSet<String> all = new TreeSet<>();
    precursors.values().forEach(f -> all.addAll(f.elements().keySet()));
    this.elements = List.copyOf(all);
    this.atomFractions = new double[elements.size()][names.size()];
    this.atomsPerUnit = new double[names.size()];
    for (int p = 0; p < names.size(); p++) {
      Map<String, Double> counts = precursors.get(names.get(p)).elements();
      double atoms = counts.values().stream().mapToDouble(Double::doubleValue).sum();
      atomsPerUnit[p] = atoms;
      for (int e = 0; e < elements.size(); e++) {
        atomFractions[e][p] = counts.getOrDefault(elements.get(e), 0.0) / atoms;
      }
    }
  }

  /** The elements the precursors contain (a composition's other elements cannot be made). */
  public List<String> elements() {
    return elements;
  }

  /**
   * The composition (element → fraction of atoms) of a mixture given by mole fractions of the
   * precursors, in their order; the inverse of {@link #fit} for a reachable composition.
   */
  public Map<String, Double> composition(double[] moleFractions) {
    if (moleFractions.length < names.size()) {
      throw new IllegalArgumentException("expected " + names.size() + " mole fractions, got " + moleFractions.length);
    }
    double atoms = 0;
    double[] perElement = new double[elements.size()];
    for (int p = 0; p < names.size(); p++) {
      double x = Math.max(0, moleFractions[p]);
      for (int e = 0; e < elements.size(); e++) {
        perElement[e] += x * atomsPerUnit[p] * atomFractions[e][p];
      }
      atoms += x * atomsPerUnit[p];
    }
    if (!(atoms > 0)) {
      throw new IllegalArgumentException("the mixture has no atoms");
    }
    Map<String, Double> composition = new LinkedHashMap<>();
    for (int e = 0; e < elements.size(); e++) {
      composition.put(elements.get(e), perElement[e] / atoms);
    }
    return composition;
  }

  /**
   * The closest mixture to {@code target} (element → fraction of atoms; need not sum to 1, it is
   * normalised; elements no precursor contains count fully towards the residual).
   */
  public Fit fit(Map<String, Double> target) {
    target.forEach((element, amount) -> {
      if (amount == null || !Double.isFinite(amount) || amount < 0) {
        // Not a composition; the solver below would iterate on NaN residuals for ever.
        throw new IllegalArgumentException("the target composition's " + element + " is " + amount
            + ", not a finite amount ≥ 0");
      }
    });
    double total = target.values().stream().mapToDouble(Double::doubleValue).sum();
    if (!(total > 0)) {
      throw new IllegalArgumentException("the target composition has no atoms");
    }
    int n = names.size();
    double[] f = new double[elements.size()];
    for (int e = 0; e < f.length; e++) {
      f[e] = target.getOrDefault(elements.get(e), 0.0) / total;
    }
    // ½ wᵀ(AᵀA)w − (Aᵀf)ᵀw, with a small ridge so the programme is strictly convex when two
    // precursors give the same direction (then the split between them is the evenest).
    double[][] p = new double[n][n];
    double[] q = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (double[] row : atomFractions) {
          s += row[i] * row[j];
        }
        p[i][j] = s + (i == j ? 1e-9 : 0);
      }
      double s = 0;
      for (int e = 0; e < f.length; e++) {
        s += atomFractions[e][i] * f[e];
      }
      q[i] = -s;
    }
    double[][] ones = new double[1][n];
    java.util.Arrays.fill(ones[0], 1.0);
    double[][] identity = new double[n][n];
    for (int i = 0; i < n; i++) {
      identity[i][i] = 1;
    }
    LagrangeSolution solution = solve(p, q, ones, identity, TIGHT_TOLERANCE);
    if (solution == null) {
      // Nearly parallel precursors make the programme ill-conditioned and the tight tolerance
      // slow to reach; 1e-6 of a mole fraction is still far below what a balance dispenses.
      solution = solve(p, q, ones, identity, LOOSE_TOLERANCE);
    }
    if (solution == null) {
      throw new IllegalStateException("no mixture of " + names + " found for " + target + " within "
          + MAX_ITERATIONS + " solver iterations");
    }
    double[] w = solution.getX().toArray();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(0, w[i]);
      sum += w[i];
    }
    Map<String, Double> composition = new LinkedHashMap<>();
    for (int e = 0; e < elements.size(); e++) {
      double v = 0;
      for (int i = 0; i < n; i++) {
        v += atomFractions[e][i] * w[i] / sum;
      }
      composition.put(elements.get(e), v);
    }
    double residual = 0;
    for (int e = 0; e < f.length; e++) {
      residual += Math.abs(composition.get(elements.get(e)) - f[e]);
    }
    for (Map.Entry<String, Double> t : target.entrySet()) {
      if (!elements.contains(t.getKey())) {
        residual += t.getValue() / total; // atoms no precursor can supply
      }
    }
    double units = 0;
    List<Double> x = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      x.add(w[i] / sum / atomsPerUnit[i]);
      units += x.get(i);
    }
    Map<String, Double> mole = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      mole.put(names.get(i), x.get(i) / units);
    }
    return new Fit(mole, composition, residual / 2);
  }

  /** Residual tolerance of the first solve, and of the second if the first does not converge. */
  private static final double TIGHT_TOLERANCE = 1e-9;
  private static final double LOOSE_TOLERANCE = 1e-6;
  /**
   * Iterations per solve. A fit takes about 50 (300 random targets over six lithium precursors:
   * median 51, at most 57, 2 ms), so this only bounds a pathological one, to about 0.2 s.
   */
  static final int MAX_ITERATIONS = 5_000;

  /** The programme solved to {@code tolerance}, or null when it takes more than {@link #MAX_ITERATIONS}. */
  private static LagrangeSolution solve(double[][] p, double[] q, double[][] ones, double[][] identity,
      double tolerance) {
    int n = q.length;
    ADMMQPOption options = new ADMMQPOption();
    options.setEps(tolerance);
    options.setEpsInfeasible(tolerance * 1e-2);
    try {
      return new ADMMQPOptimizer().optimize(options, new org.hipparchus.optim.MaxIter(MAX_ITERATIONS),
          new ObjectiveFunction(new QuadraticFunction(p, q, 0)),
          new LinearEqualityConstraint(ones, new double[] {1.0}),
          new LinearBoundedConstraint(identity, new double[n], filled(n, 1.0)));
    } catch (org.hipparchus.exception.MathIllegalStateException e) {
      return null; // the iteration budget ran out
    }
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
