package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KramersKronigTest {
  @Test
  void aPureRcSpectrumIsValid() {
    Spectrum s = ReferencePellets.spectrum(Circuit.parse("R0-p(R1,C1)"), new double[] {10, 1000, 1e-7},
        1e6, 0.1, 10, 0, new SplittableRandom(1));
    KramersKronig.Result r = KramersKronig.test(s);
    assertTrue(r.valid(), r.toString());
    assertTrue(r.maxResidual() < 1e-3, r.toString());
  }

  @Test
  void everyReferencePelletWithOnePercentNoiseIsValid() {
    for (ReferencePellets.Case c : ReferencePellets.ALL) {
      KramersKronig.Result r = KramersKronig.test(ReferencePellets.spectrum(c, 0.01, new SplittableRandom(2)));
      assertTrue(r.valid(), c.name() + ": " + r);
    }
  }

  @Test
  void aSpectrumWithDriftIsNotValid() {
    // The sample's resistance grows by 30 % while the sweep runs from high to low frequency.
    Circuit c = Circuit.parse("R0-p(R1,C1)");
    int n = 61;
    double[] f = new double[n];
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      f[i] = 1e6 * Math.pow(1e-6, i / (n - 1.0));
      double drift = 1 + 0.3 * i / (n - 1.0);
      double[] z = c.impedance(2 * Math.PI * f[i], new double[] {10, 1000 * drift, 1e-7});
      re[i] = z[0];
      im[i] = z[1];
    }
    KramersKronig.Result r = KramersKronig.test(new Spectrum(25, f, re, im));
    assertFalse(r.valid(), r.toString());
  }
}
