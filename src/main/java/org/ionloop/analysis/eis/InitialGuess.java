package org.ionloop.analysis.eis;

import java.util.List;

/**
 * Starting values read off a spectrum, for circuits built from a series resistance, R‖C or R‖CPE
 * arcs and electrode elements:
 * <ul>
 *   <li>top-level series resistors: the high-frequency intercept (Z' at the highest frequency);</li>
 *   <li>arcs: the real-axis span from that intercept to the valley of −Z'' (where the arcs end and
 *       the electrode spike begins), shared equally, with apex frequencies spread geometrically
 *       between the highest frequency and the valley, so Q = 1/(R·ω*) and n = 0.9;</li>
 *   <li>other capacitive elements (the electrode): Q = 1/(ω_min·|Z''(ω_min)|), n = 0.85;
 *       L = 1e-7 H; Warburg A = |Z''(ω_min)|·√ω_min.</li>
 * </ul>
 */
public final class InitialGuess {
  private InitialGuess() {}

  public static double[] of(Circuit c, Spectrum s) {
    int n = s.size();
    int hi = 0;
    int lo = 0;
    for (int i = 1; i < n; i++) {
      if (s.frequencyHz()[i] > s.frequencyHz()[hi]) {
        hi = i;
      }
      if (s.frequencyHz()[i] < s.frequencyHz()[lo]) {
        lo = i;
      }
    }
    int valley = hi;
    for (int i = 0; i < n; i++) {
      if (-s.zImOhm()[i] < -s.zImOhm()[valley] && s.zReOhm()[i] >= s.zReOhm()[hi]) {
        valley = i;
      }
    }
    double scale = Math.max(s.modulus(hi), 1e-9);
    double rHigh = Math.max(s.zReOhm()[hi], 1e-3 * scale);
    double span = Math.max(s.zReOhm()[valley] - s.zReOhm()[hi], 1e-2 * scale);
    double omegaHi = 2 * Math.PI * s.frequencyHz()[hi];
    double omegaValley = 2 * Math.PI * Math.min(s.frequencyHz()[valley], s.frequencyHz()[hi] / 10);
    double omegaLo = 2 * Math.PI * s.frequencyHz()[lo];
    double zImLo = Math.max(Math.abs(s.zImOhm()[lo]), 1e-9);

    double[] p = new double[c.parameterCount()];
    java.util.Arrays.fill(p, Double.NaN);
    List<Circuit.Arc> arcs = c.arcs();
    for (int a = 0; a < arcs.size(); a++) {
      Circuit.Arc arc = arcs.get(a);
      double r = span / arcs.size();
      double f = arcs.size() == 1 ? 0.5 : (double) a / (arcs.size() - 1);
      double apex = omegaHi * Math.pow(omegaValley / omegaHi, 0.2 + 0.6 * f);
      p[arc.resistance()] = r;
      p[arc.capacitance()] = 1 / (r * apex);
      if (arc.exponent() >= 0) {
        p[arc.exponent()] = 0.9;
      }
    }
    for (int i : c.seriesResistors()) {
      p[i] = rHigh;
    }
    for (Circuit.Element e : c.elements()) {
      int i = e.offset();
      if (!Double.isNaN(p[i])) {
        continue;
      }
      switch (e.kind()) {
        case R -> p[i] = span;
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
}
