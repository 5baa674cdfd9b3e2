package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ionloop.sim.MaterialModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CircuitFitterTest {
  static final double EPS0 = 8.8541878128e-12;

  /** Spectrum of a pellet as the simulated analyzer makes it (1 MHz–0.1 Hz, 10/decade). */
  static Spectrum pellet(double sigma, double thicknessMm, double diameterMm, double noise, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double area = Math.PI * Math.pow(diameterMm / 2000, 2);
    double[] p = {Conductivity.resistanceOhm(sigma, thicknessMm, diameterMm),
        EPS0 * 30 * area / (thicknessMm / 1000), 0.95, 2e-6 * area * 1e4, 0.85};
    int n = 71;
    double[] f = new double[n];
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = 1e6 * Math.pow(1e-7, i / 70.0);
      double[] z = BlockingElectrodeCircuit.impedance(2 * Math.PI * f[i], p);
      double mod = Math.hypot(z[0], z[1]);
      re[i] = z[0] + noise * mod * rng.nextGaussian();
      im[i] = z[1] + noise * mod * rng.nextGaussian();
    }
    return new Spectrum(25, f, re, im);
  }

  @ParameterizedTest(name = "σ = {0} S/cm")
  @ValueSource(doubles = {3e-2, 2e-3, 1e-4, 3e-6, 1e-7})
  void recoversConductivityWithinFivePercentAtHalfPercentNoise(double sigma) {
    Spectrum s = pellet(sigma, 1.0, 10.0, 0.005, 11);
    FitResult fit = new CircuitFitter().fit(s);
    assertTrue(fit.converged(), fit.reason());
    double recovered = Conductivity.sigmaSPerCm(fit.resistanceOhm(), 1.0, 10.0);
    assertEquals(sigma, recovered, 0.05 * sigma, "recovered " + recovered);
    assertTrue(fit.resistanceStdErrOhm() < 0.05 * fit.resistanceOhm());
  }

  @Test
  void fastConductorsHaveTheirBulkArcOutsideTheBand() {
    FitResult fast = new CircuitFitter().fit(pellet(1e-2, 1.0, 10.0, 0, 1));
    FitResult slow = new CircuitFitter().fit(pellet(1e-7, 1.0, 10.0, 0, 1));
    assertFalse(fast.bulkArcResolved());
    assertTrue(slow.bulkArcResolved());
  }

  @Test
  void rcArcApexIsAtOmegaEqualsOneOverRc() {
    // Published identity for R‖C: −Z'' is largest at ω = 1/(RC), where Z = R/2 − jR/2.
    double r = 1000;
    double c = 1e-9;
    double[] z = BlockingElectrodeCircuit.impedance(1 / (r * c), new double[] {r, c, 1.0, 1e30, 1.0});
    assertEquals(r / 2, z[0], 1e-9);
    assertEquals(-r / 2, z[1], 1e-9);
  }

  @Test
  void tooFewPointsIsAResultNotAnException() {
    FitResult fit = new CircuitFitter().fit(new Spectrum(25, new double[] {1, 2}, new double[] {1, 1},
        new double[] {0, 0}));
    assertFalse(fit.converged());
    assertTrue(fit.reason().contains("at least 6"));
  }

  @Test
  void sampleAnalysisRecoversSigma25AndEa() {
    double sigma25 = 4e-3;
    double ea = 0.33;
    var spectra = new java.util.ArrayList<Spectrum>();
    for (double t : new double[] {25, 50, 75, 100}) {
      Spectrum s = pellet(MaterialModel.sigmaAt(sigma25, ea, t), 1.1, 10, 0.005, (long) t);
      spectra.add(new Spectrum(t, s.frequencyHz(), s.zReOhm(), s.zImOhm()));
    }
    SampleAnalysis.Result r = new SampleAnalysis().analyse(spectra, 1.1, 10);
    assertEquals(Math.log10(sigma25), r.arrhenius().log10Sigma25(), Math.log10(1.05));
    assertEquals(ea, r.arrhenius().eaEv(), 0.01);
  }
}
