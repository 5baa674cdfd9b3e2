package org.ionloop.planner.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalDrawsTest {

  @Test
  void inverseNormalMatchesKnownQuantiles() {
    assertEquals(0, NormalDraws.inverseNormal(0.5), 1e-12);
    assertEquals(1.959963985, NormalDraws.inverseNormal(0.975), 1e-8);
    assertEquals(-2.326347874, NormalDraws.inverseNormal(0.01), 1e-8);
  }

  /**
   * The point of quasi-random draws: the estimate of an expected improvement E[max(Z, 0)] =
   * 1/√(2π) from 128 draws spreads several times less over seeds than with pseudo-random draws.
   */
  @Test
  void quasiRandomDrawsEstimateAnExpectationWithLessSpreadThanPseudoRandom() {
    double truth = 1 / Math.sqrt(2 * Math.PI);
    double qmcError = 0;
    double mcError = 0;
    for (int seed = 0; seed < 50; seed++) {
      double[][] z = NormalDraws.of(128, 5, new SplittableRandom(seed));
      SplittableRandom rng = new SplittableRandom(1000 + seed);
      double qmc = 0;
      double mc = 0;
      for (int s = 0; s < 128; s++) {
        qmc += Math.max(z[s][3], 0) / 128;
        mc += Math.max(rng.nextGaussian(), 0) / 128;
      }
      qmcError += (qmc - truth) * (qmc - truth);
      mcError += (mc - truth) * (mc - truth);
    }
    assertTrue(qmcError * 4 < mcError, "QMC squared error " + qmcError + " vs MC " + mcError);
  }

  @Test
  void everyColumnIsStandardNormalAndDifferentSeedsShiftTheSequence() {
    double[][] z = NormalDraws.of(256, 40, new SplittableRandom(3));
    for (int d = 0; d < 40; d++) {
      double mean = 0;
      double square = 0;
      for (double[] row : z) {
        mean += row[d] / z.length;
        square += row[d] * row[d] / z.length;
      }
      assertEquals(0, mean, 0.05, "column " + d);
      assertEquals(1, square - mean * mean, 0.1, "column " + d);
    }
    double[][] other = NormalDraws.of(256, 40, new SplittableRandom(4));
    assertTrue(Math.abs(z[7][11] - other[7][11]) > 1e-9);
  }
}
