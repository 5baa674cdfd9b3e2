package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ionloop.sim.MaterialModel;
import org.junit.jupiter.api.Test;

class ArrheniusFitTest {
  @Test
  void recoversExactParametersFromNoiseFreeData() {
    double[] t = {25, 50, 75, 100};
    double[] s = new double[4];
    for (int i = 0; i < 4; i++) {
      s[i] = MaterialModel.sigmaAt(2e-3, 0.38, t[i]);
    }
    ArrheniusFit.Result r = ArrheniusFit.fit(t, s);
    assertEquals(0.38, r.eaEv(), 1e-9);
    assertEquals(Math.log10(2e-3), r.log10Sigma25(), 1e-9);
    assertEquals(0, r.eaStdErrEv(), 1e-9);
  }

  @Test
  void refusesNonPositiveConductivity() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ArrheniusFit.fit(new double[] {25, 50}, new double[] {1e-3, 0}));
    assertEquals("sigmasSPerCm[1] must be > 0", e.getMessage());
  }
}
