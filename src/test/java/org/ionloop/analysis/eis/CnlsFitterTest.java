package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.SplittableRandom;
import org.ionloop.sim.MaterialModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CnlsFitterTest {
  final SampleAnalysis analysis = new SampleAnalysis();

  static Spectrum pellet(double sigma, double noise, long seed) {
    ReferencePellets.Case c = ReferencePellets.SULFIDE;
    double[] p = c.parameters().clone();
    p[0] = Conductivity.resistanceOhm(sigma, 1.0, 10.0);
    return ReferencePellets.spectrum(c.circuit(), p, 1e6, 0.1, 10, noise, new SplittableRandom(seed));
  }

  @ParameterizedTest(name = "σ = {0} S/cm")
  @ValueSource(doubles = {3e-2, 2e-3, 1e-4, 3e-6, 1e-7})
  void recoversConductivityWithinFivePercentAtHalfPercentNoise(double sigma) {
    SampleAnalysis.Measurement m = analysis.measure(pellet(sigma, 0.005, 11), 1.0, 10.0);
    assertTrue(m.fit().converged(), m.fit().reason());
    assertEquals(sigma, m.sigmaSPerCm(), 0.05 * sigma, "recovered " + m.sigmaSPerCm());
    // The standard error includes the spread of equally good fits (up to ≈ 8 % where the bulk
    // arc's split from the intercept is loose), and it covers the actual error.
    assertTrue(m.sigmaStdErr() < 0.10 * sigma, "σ standard error " + m.sigmaStdErr());
    assertTrue(Math.abs(m.sigmaSPerCm() - sigma) < 3 * m.sigmaStdErr() + 0.005 * sigma,
        "error " + (m.sigmaSPerCm() - sigma) + " against standard error " + m.sigmaStdErr());
  }

  @Test
  void noiseFreeReferenceCasesAreRecovered() {
    // Tolerance 0.5 %: starts stop once a fit is within 20 % of the Lin-KK residual (≈ 0.07 %
    // RMS on these noise-free CPE spectra), which pins the resistance to a few tenths of a percent.
    for (ReferencePellets.Case c : ReferencePellets.ALL) {
      var m = analysis.measure(ReferencePellets.spectrum(c, 0, new SplittableRandom(1)), 1, 10);
      assertEquals(c.truthOhm(), m.resistance().ohm(), 5e-3 * c.truthOhm(), c.name());
    }
  }

  @Test
  void anUnresolvedBulkArcIsReportedAsTheHighFrequencyIntercept() {
    var fast = analysis.measure(ReferencePellets.spectrum(ReferencePellets.SULFIDE, 0.01,
        new SplittableRandom(3)), 1, 10);
    assertFalse(fast.resistance().bulkResolved());
    assertTrue(fast.resistance().basis().contains("high-frequency intercept"), fast.resistance().basis());
    assertTrue(Double.isFinite(fast.resistance().stdErrOhm()));
    var oxide = analysis.measure(ReferencePellets.spectrum(ReferencePellets.OXIDE, 0.01,
        new SplittableRandom(3)), 1, 10);
    assertTrue(oxide.resistance().bulkResolved());
    assertEquals("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", oxide.fit().circuit().text(), "AIC picks two arcs");
  }

  @Test
  void totalModeAddsTheGrainBoundary() {
    var total = new SampleAnalysis(SampleAnalysis.DEFAULT_CIRCUITS, ResistanceEstimate.Mode.TOTAL)
        .measure(ReferencePellets.spectrum(ReferencePellets.OXIDE, 0, new SplittableRandom(1)), 1, 10);
    assertEquals(127_300 + 300_000, total.resistance().ohm(), 50);
  }

  @Test
  void tooFewPointsIsAResultNotAnException() {
    FitResult fit = new CnlsFitter().fit(Circuit.parse("R0-p(R1,CPE1)"),
        new Spectrum(25, new double[] {1, 2}, new double[] {1, 1}, new double[] {0, 0}));
    assertFalse(fit.converged());
    assertTrue(fit.reason().contains("more points"), fit.reason());
  }

  @Test
  void sampleAnalysisRecoversSigma25AndEa() {
    double sigma25 = 4e-3;
    double ea = 0.33;
    var spectra = new ArrayList<Spectrum>();
    for (double t : new double[] {25, 50, 75, 100}) {
      Spectrum s = pellet(MaterialModel.sigmaAt(sigma25, ea, t), 0.005, (long) t);
      spectra.add(new Spectrum(t, s.frequencyHz(), s.zReOhm(), s.zImOhm()));
    }
    SampleAnalysis.Result r = analysis.analyse(spectra, 1.0, 10);
    assertEquals(Math.log10(sigma25), r.arrhenius().log10Sigma25(), Math.log10(1.05));
    assertEquals(ea, r.arrhenius().eaEv(), 0.01);
  }
}
