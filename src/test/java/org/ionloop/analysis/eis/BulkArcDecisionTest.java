package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Which resistance σ comes from, decided by the fitted arc itself. A cold sulfide pellet with
 * leads in series (the case of the real Li6PS5Cl file at −25 °C: bulk apex ≈ 1.5 MHz inside a
 * 7 MHz band, ≈ 84 pF) was reported from the high-frequency intercept, labelled "bulk arc above
 * the measured band", with σ many times too high. The arc's apparent permittivity says it is the
 * bulk; a grain-boundary arc with the bulk above the band still gives the intercept.
 */
class BulkArcDecisionTest {
  private static final double C_BULK = 84e-12;
  private static final double R_BULK = 1 / (2 * Math.PI * 1.5e6 * C_BULK); // apex at 1.5 MHz
  private static final double Q_EL = 2e-6 * Math.PI * 0.25;

  /** Leads in series, a bulk arc at 1.5 MHz, a grain boundary at ≈ 20 kHz, blocking electrodes. */
  static Spectrum coldSulfide(double leadsOhm) {
    Circuit c = Circuit.parse("Rs-p(Rb,Cb)-p(Rgb,CPEgb)-CPEel");
    double[] p = {leadsOhm, R_BULK, C_BULK, 1500, 5e-9, 0.95, Q_EL, 0.85};
    return ReferencePellets.spectrum(c, p, 7e6, 0.1, 10, 0.003, new SplittableRandom(5));
  }

  @Test
  void aBulkArcInsideTheBandIsTheBulkEvenWithLeadsInSeries() {
    SampleAnalysis.Measurement m = new SampleAnalysis().measure(coldSulfide(60), 1.0, 10.0);
    ResistanceEstimate r = m.resistance();
    assertTrue(r.bulkResolved(), r.basis());
    assertEquals(R_BULK, r.ohm(), 0.05 * R_BULK, r.basis());
    assertTrue(r.basis().contains("bulk arc resolved") && r.basis().contains("MHz")
        && r.basis().contains("in series left out as leads and contacts"), r.basis());
    double sigma = Conductivity.sigmaSPerCm(R_BULK, 1.0, 10.0);
    assertEquals(sigma, m.sigmaSPerCm(), 0.05 * sigma, "σ from the bulk arc, not from the leads");
  }

  @Test
  void withoutTheGeometryTheSameFitSaysWhyItTakesTheIntercept() {
    Spectrum s = coldSulfide(60);
    FitResult fit = new SampleAnalysis().bestFit(s, KramersKronig.test(s));
    ResistanceEstimate r = ResistanceEstimate.of(fit, 2 * Math.PI * 0.1, 2 * Math.PI * 7e6,
        ResistanceEstimate.Mode.BULK);
    assertFalse(r.bulkResolved());
    assertTrue(r.basis().contains("without the pellet's geometry the arc cannot be told from a grain boundary"),
        r.basis());
    assertFalse(r.basis().contains("above the measured band"), "the arc is not above the band: " + r.basis());
  }

  @Test
  void aGrainBoundaryArcWithTheBulkAboveTheBandStillGivesTheIntercept() {
    var m = new SampleAnalysis().measure(ReferencePellets.spectrum(ReferencePellets.SULFIDE_GB, 0.005,
        new SplittableRandom(2)), 1, 10);
    assertFalse(m.resistance().bulkResolved(), m.resistance().basis());
    assertEquals(ReferencePellets.SULFIDE_GB.truthOhm(), m.resistance().ohm(), 0.05 * ReferencePellets.SULFIDE_GB.truthOhm());
    assertTrue(m.resistance().basis().contains("is a grain boundary, not geometric"), m.resistance().basis());
  }
}
