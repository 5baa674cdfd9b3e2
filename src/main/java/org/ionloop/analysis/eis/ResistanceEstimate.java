package org.ionloop.analysis.eis;

import java.util.ArrayList;
import java.util.List;

/**
 * The resistance used for conductivity, chosen explicitly from a fitted circuit.
 *
 * <p>Arcs (R‖C/CPE blocks) are sorted by their apex ω* = (R·Q)^(−1/n): below the band they act
 * as electrode elements and are left out; with a negligible R they vanished in the fit. The bulk
 * arc is the in-band arc of highest apex. When an arc lies above the highest measured frequency
 * the bulk is not resolved: its R cannot be told apart
 * from the series resistance, so the high-frequency intercept (series + bulk) is reported, with
 * its standard error from the covariance of the sum, and {@code bulkResolved} is false — never an
 * unidentifiable "bulk" value. {@link Mode#TOTAL} adds the grain-boundary arcs.
 *
 * <p>A series resistance that is not negligible next to the highest in-band arc is either leads
 * and contacts (the arc is the bulk) or a bulk arc above the band (the in-band arc is a grain
 * boundary). The arc's own capacitance tells which, given the pellet's geometry: its apparent
 * permittivity ε = C·L/(ε0·A) is that of a material (tens to a few hundred) for a bulk arc and
 * orders of magnitude higher for a grain boundary, whose layers are thin (Irvine, Sinclair &amp;
 * West, Adv. Mater. 2, 132, 1990: bulk ~1e-12 F/cm, grain boundaries 1e-11–1e-8 F/cm). Without the
 * geometry the series resistance is taken as unseen bulk, as before.
 *
 * @param ohm          resistance, Ω
 * @param stdErrOhm    its 1σ standard error, Ω (NaN when undetermined)
 * @param bulkResolved whether the bulk arc's apex lies inside the measured band
 * @param basis        which parameters were summed, for people
 */
public record ResistanceEstimate(double ohm, double stdErrOhm, boolean bulkResolved, Mode mode,
    String basis) {

  /** Series resistance below this fraction of the bulk arc's R counts as leads only. */
  public static final double SERIES_NEGLIGIBLE = 0.02;

  /**
   * Highest apparent permittivity of an arc taken as the bulk (its capacitance is geometric);
   * above it the arc is a grain boundary. Bulk solid electrolytes lie at εr ≈ 10–150.
   */
  public static final double BULK_PERMITTIVITY_MAX = 500;
  private static final double EPSILON_0 = 8.8541878128e-12;

  /** Bulk only, or bulk plus grain boundaries. */
  public enum Mode { BULK, TOTAL }

  /**
   * @param minOmega lowest measured angular frequency, rad/s
   * @param maxOmega highest measured angular frequency, rad/s
   */
  public static ResistanceEstimate of(FitResult fit, double minOmega, double maxOmega, Mode mode) {
    return of(fit, minOmega, maxOmega, mode, Double.NaN, Double.NaN);
  }

  /**
   * As {@link #of(FitResult, double, double, Mode)} for a pellet of known geometry, whose arcs
   * are told apart by their apparent permittivity (see the class comment).
   */
  public static ResistanceEstimate of(FitResult fit, double minOmega, double maxOmega, Mode mode,
      double thicknessMm, double diameterMm) {
    Circuit c = fit.circuit();
    double[] p = fit.parameters();
    double scale = 0;
    for (int i : c.seriesResistors()) {
      scale += p[i];
    }
    for (Circuit.Arc a : c.arcs()) {
      if (a.apexOmega(p) >= minOmega) { // arcs below the band act as electrode elements
        scale += p[a.resistance()];
      }
    }
    // Sort the arcs: negligible ones vanished in the fit; arcs whose apex lies below the band
    // behave as electrode elements; arcs above the band are unresolved and part of the intercept.
    List<Integer> intercept = new ArrayList<>(c.seriesResistors());
    List<Circuit.Arc> inBand = new ArrayList<>();
    boolean above = false;
    for (Circuit.Arc a : c.arcs()) {
      double apex = a.apexOmega(p);
      if (apex < minOmega) {
        continue;
      }
      if (p[a.resistance()] < 1e-6 * scale) {
        intercept.add(a.resistance());
      } else if (apex > maxOmega) {
        intercept.add(a.resistance());
        above = true;
      } else {
        inBand.add(a);
      }
    }
    double series = 0;
    for (int i : c.seriesResistors()) {
      series += p[i];
    }
    Circuit.Arc bulk = null;
    for (Circuit.Arc a : inBand) {
      if (bulk == null || a.apexOmega(p) > bulk.apexOmega(p)) {
        bulk = a;
      }
    }
    // A series resistance that is not negligible next to the highest-frequency arc is bulk the
    // band cannot see (leads are compensated or small): then the in-band arcs are grain boundaries.
    boolean seriesNegligible = bulk != null && series < SERIES_NEGLIGIBLE * p[bulk.resistance()];
    double permittivity = bulk == null ? Double.NaN : apparentPermittivity(bulk, p, thicknessMm, diameterMm);
    boolean geometric = permittivity <= BULK_PERMITTIVITY_MAX; // false when unknown (NaN)
    boolean resolved = !above && bulk != null && (seriesNegligible || geometric);
    List<Integer> sum = new ArrayList<>();
    if (!resolved) {
      sum.addAll(intercept);
    }
    if (mode == Mode.TOTAL) {
      inBand.forEach(a -> sum.add(a.resistance()));
    } else if (resolved) {
      sum.add(bulk.resistance());
    }
    if (sum.isEmpty()) {
      return new ResistanceEstimate(Double.NaN, Double.NaN, false, mode, "circuit has no resistor");
    }
    double value = 0;
    double var = 0;
    List<String> names = new ArrayList<>();
    for (int a : sum) {
      value += p[a];
      names.add(c.parameterNames().get(a));
      for (int b : sum) {
        var += fit.covariance()[a][b];
      }
    }
    String basis = String.join(" + ", names) + " (" + why(c, p, bulk, resolved, above, seriesNegligible,
        permittivity, series) + ")";
    return new ResistanceEstimate(value, var >= 0 ? Math.sqrt(var) : Double.NaN, resolved, mode, basis);
  }

  /** ε = C·L/(ε0·A) of an arc on a pellet, NaN without its geometry. */
  static double apparentPermittivity(Circuit.Arc arc, double[] p, double thicknessMm, double diameterMm) {
    if (!(thicknessMm > 0) || !(diameterMm > 0)) {
      return Double.NaN;
    }
    double area = Math.PI * Math.pow(diameterMm / 2000, 2);
    return arc.effectiveCapacitance(p) * (thicknessMm / 1000) / (EPSILON_0 * area);
  }

  /** Why the resistance is what it is, in the words a scientist checks it by. */
  private static String why(Circuit c, double[] p, Circuit.Arc bulk, boolean resolved, boolean above,
      boolean seriesNegligible, double permittivity, double series) {
    String arc = bulk == null ? null : String.format("%s at %s", c.parameterNames().get(bulk.resistance()),
        hertz(bulk.apexOmega(p) / (2 * Math.PI)));
    String eps = Double.isNaN(permittivity) ? "" : String.format(", apparent εr %.3g", permittivity);
    if (resolved && seriesNegligible) {
      return "bulk arc resolved: " + arc + eps;
    }
    if (resolved) {
      return String.format("bulk arc resolved: %s%s, a geometric capacitance; %.4g Ω in series left out as"
          + " leads and contacts", arc, eps, series);
    }
    if (above) {
      return "bulk arc above the measured band: high-frequency intercept";
    }
    if (bulk == null) {
      return "no arc in the measured band: high-frequency intercept";
    }
    return Double.isNaN(permittivity)
        ? String.format("series %.4g Ω is not negligible next to %s and without the pellet's geometry the arc"
            + " cannot be told from a grain boundary: high-frequency intercept taken as bulk", series, arc)
        : String.format("the in-band arc %s%s is a grain boundary, not geometric: the bulk is in the"
            + " high-frequency intercept", arc, eps);
  }

  private static String hertz(double f) {
    return f >= 1e6 ? String.format("%.3g MHz", f / 1e6) : f >= 1e3 ? String.format("%.3g kHz", f / 1e3)
        : String.format("%.3g Hz", f);
  }
}
