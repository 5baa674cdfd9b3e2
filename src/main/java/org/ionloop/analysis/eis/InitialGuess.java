package org.ionloop.analysis.eis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starting values read off a spectrum, for circuits built from a series resistance, R‖C or R‖CPE
 * arcs and electrode elements:
 * <ul>
 *   <li>arcs are found as prominent local maxima of −Z'' (≥ 20 % above the valleys on both
 *       sides), scanning from high to low frequency; an arc spans Z' from the previous valley
 *       (or the high-frequency end) to its own valley, and its apex ω* gives Q = 1/(R·ω*),
 *       n = 0.9;</li>
 *   <li>a circuit with more arcs than the spectrum shows gets the extra ones above the band
 *       (apex at 10·ω_max), sharing the high-frequency intercept with the series resistor; one
 *       with fewer merges the lowest-frequency arcs;</li>
 *   <li>top-level series resistors: the high-frequency intercept;</li>
 *   <li>other capacitive elements (the electrode): Q = 1/(ω_min·|Z''(ω_min)|), n = 0.85;
 *       L = 1e-7 H; Warburg A = |Z''(ω_min)|·√ω_min.</li>
 * </ul>
 */
public final class InitialGuess {
  private InitialGuess() {}

  /** A visible arc: its Z' span and apex angular frequency. */
  private record Visible(double resistance, double apexOmega) {}

  public static double[] of(Circuit c, Spectrum s) {
    int n = s.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(s.frequencyHz()[b], s.frequencyHz()[a]));
    int hi = order[0];
    int lo = order[n - 1];
    double scale = Math.max(s.modulus(hi), 1e-9);
    double intercept = Math.max(s.zReOhm()[hi], 1e-3 * scale);
    double omegaHi = 2 * Math.PI * s.frequencyHz()[hi];
    double omegaLo = 2 * Math.PI * s.frequencyHz()[lo];
    double zImLo = Math.max(Math.abs(s.zImOhm()[lo]), 1e-9);

    List<Visible> visible = visibleArcs(s, order);
    List<Circuit.Arc> arcs = c.arcs();
    double[] p = new double[c.parameterCount()];
    Arrays.fill(p, Double.NaN);
    int hidden = Math.max(0, arcs.size() - visible.size());
    double seriesShare = hidden > 0 ? intercept / (hidden + 1) : intercept;
    for (int a = 0; a < arcs.size(); a++) {
      Circuit.Arc arc = arcs.get(a);
      double r;
      double apex;
      if (a < hidden) {
        r = seriesShare;
        apex = 10 * omegaHi * Math.pow(10, a);
      } else {
        int v = a - hidden;
        Visible vis = visible.get(v);
        r = vis.resistance();
        apex = vis.apexOmega();
        if (a == arcs.size() - 1) { // merge what the circuit has no arc for
          for (int extra = v + 1; extra < visible.size(); extra++) {
            r += visible.get(extra).resistance();
          }
        }
      }
      p[arc.resistance()] = Math.max(r, 1e-6 * scale);
      p[arc.capacitance()] = 1 / (p[arc.resistance()] * apex);
      if (arc.exponent() >= 0) {
        p[arc.exponent()] = 0.9;
      }
    }
    for (int i : c.seriesResistors()) {
      p[i] = arcs.isEmpty() ? intercept : seriesShare;
    }
    for (Circuit.Element e : c.elements()) {
      int i = e.offset();
      if (!Double.isNaN(p[i])) {
        continue;
      }
      switch (e.kind()) {
        case R -> p[i] = intercept;
        case C -> p[i] = 1 / (omegaLo * zImLo);
        case CPE -> {
          p[i] = 1 / (omegaLo * zImLo);
          p[i + 1] = 0.85;
        }
        case L -> p[i] = 1e-7;
        case W -> p[i] = zImLo * Math.sqrt(omegaLo);
      }
    }
    return p;
  }

  /** Prominent local maxima of −Z'' from high to low frequency, with their Z' spans. */
  private static List<Visible> visibleArcs(Spectrum s, Integer[] order) {
    int n = order.length;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = -s.zImOhm()[order[i]];
    }
    List<Visible> out = new ArrayList<>();
    int start = 0; // index (in order) where the current arc begins
    double startMin = y[0];
    for (int i = 1; i < n - 1; i++) {
      startMin = Math.min(startMin, y[i]);
      if (!(y[i] > y[i - 1] && y[i] >= y[i + 1] && y[i] > 0)) {
        continue;
      }
      // valley after the peak: lowest −Z'' before −Z'' rises above the peak again
      int valley = i + 1;
      for (int j = i + 1; j < n && y[j] <= y[i]; j++) {
        if (y[j] < y[valley]) {
          valley = j;
        }
      }
      boolean prominent = y[i] > 1.2 * Math.max(y[valley], 0) && y[i] > 1.2 * Math.max(startMin, 0);
      if (!prominent || valley >= n - 1) {
        continue;
      }
      double r = s.zReOhm()[order[valley]] - s.zReOhm()[order[start]];
      if (r > 0) {
        out.add(new Visible(r, 2 * Math.PI * s.frequencyHz()[order[i]]));
        start = valley;
        startMin = y[valley];
        i = valley;
      }
    }
    return out;
  }
}
