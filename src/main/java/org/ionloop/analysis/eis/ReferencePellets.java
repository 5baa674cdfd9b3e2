package org.ionloop.analysis.eis;

import java.util.random.RandomGenerator;

/**
 * Synthetic spectra of typical electrolyte pellets between blocking electrodes (1 mm × ⌀10 mm),
 * from known circuits, for tests and {@code bench eis}. Geometric capacitance ε0·εr·A/L with
 * εr = 30; electrode CPE 2 µF/cm², n = 0.85. Noise is proportional: each of Z', Z'' gets
 * {@code noise}·|Z|·N(0, 1).
 */
public final class ReferencePellets {
  private ReferencePellets() {}

  /**
   * A reference case: circuit, true parameters and the true resistance to be used for σ.
   *
   * @param truthOhm the bulk resistance (what σ must be computed from)
   */
  public record Case(String name, Circuit circuit, double[] parameters, double truthOhm) {}

  private static final double CGEO = 8.8541878128e-12 * 30 * Math.PI * 0.005 * 0.005 / 0.001;
  private static final double QEL = 2e-6 * Math.PI * 0.25;

  /** Li6PS5Cl-like at 25 °C (2 mS/cm): the bulk arc lies far above 1 MHz. */
  public static final Case SULFIDE = new Case("sulfide, bulk arc above band",
      Circuit.parse("p(Rb,CPEb)-CPEel"), new double[] {63.66, CGEO, 0.95, QEL, 0.85}, 63.66);

  /** A sulfide with a resolved grain-boundary arc (apex ≈ 36 kHz) but a bulk arc above the band. */
  public static final Case SULFIDE_GB = new Case("sulfide, grain boundary resolved",
      Circuit.parse("p(Rb,CPEb)-p(Rgb,CPEgb)-CPEel"),
      new double[] {200, CGEO, 0.95, 300, 5e-8, 0.9, QEL, 0.85}, 200);

  /** An oxide with resolved bulk and grain-boundary arcs (σ_bulk = 1 µS/cm). */
  public static final Case OXIDE = new Case("oxide, bulk and grain boundary resolved",
      Circuit.parse("p(Rb,CPEb)-p(Rgb,CPEgb)-CPEel"),
      new double[] {127_300, CGEO, 0.95, 300_000, 2e-9, 0.85, QEL, 0.85}, 127_300);

  /** The reference cases of the benchmark. */
  public static final java.util.List<Case> ALL = java.util.List.of(SULFIDE, SULFIDE_GB, OXIDE);

  /** 1 MHz to 0.1 Hz, 10 points per decade (71 points). */
  public static Spectrum spectrum(Case c, double noise, RandomGenerator rng) {
    return spectrum(c.circuit(), c.parameters(), 1e6, 0.1, 10, noise, rng);
  }

  public static Spectrum spectrum(Circuit c, double[] p, double fMax, double fMin, int perDecade,
      double noise, RandomGenerator rng) {
    int n = (int) Math.round(Math.log10(fMax / fMin) * perDecade) + 1;
    double[] f = new double[n];
    double[] re = new double[n];
    double[] im = new double[n];
    double[] z = new double[2];
    for (int i = 0; i < n; i++) {
      f[i] = fMax * Math.pow(fMin / fMax, (double) i / (n - 1));
      c.impedance(2 * Math.PI * f[i], p, z);
      double mod = Math.hypot(z[0], z[1]);
      re[i] = z[0] + noise * mod * rng.nextGaussian();
      im[i] = z[1] + noise * mod * rng.nextGaussian();
    }
    return new Spectrum(25, f, re, im);
  }
}
