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
 * @param ohm          resistance, Ω
 * @param stdErrOhm    its 1σ standard error, Ω (NaN when undetermined)
 * @param bulkResolved whether the bulk arc's apex lies inside the measured band
 * @param basis        which parameters were summed, for people
 */
public record ResistanceEstimate(double ohm, double stdErrOhm, boolean bulkResolved, Mode mode,
    String basis) {

  /** Series resistance below this fraction of the bulk arc's R counts as leads only. */
  public static final double SERIES_NEGLIGIBLE = 0.02;

  /** Bulk only, or bulk plus grain boundaries. */
  public enum Mode { BULK, TOTAL }

  /**
   * @param minOmega lowest measured angular frequency, rad/s
   * @param maxOmega highest measured angular frequency, rad/s
   */
  public static ResistanceEstimate of(FitResult fit, double minOmega, double maxOmega, Mode mode) {
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
    boolean resolved = !above && bulk != null && series < SERIES_NEGLIGIBLE * p[bulk.resistance()];
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
    String basis = String.join(" + ", names) + (resolved ? " (bulk arc resolved)"
        : " (bulk arc above the measured band: high-frequency intercept)");
    return new ResistanceEstimate(value, var >= 0 ? Math.sqrt(var) : Double.NaN, resolved, mode, basis);
  }
}
