package org.ionloop.planner.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

  static double matern(double[] a, double[] b, double[] ls, double s2) {
    double r2 = 0;
    for (int k = 0; k < a.length; k++) {
      r2 += (a[k] - b[k]) * (a[k] - b[k]) / (ls[k] * ls[k]);
    }
    double r = Math.sqrt(r2);
    return s2 * (1 + Math.sqrt(5) * r + 5 * r * r / 3) * Math.exp(-Math.sqrt(5) * r);
  }

  @Test
  void posteriorEqualsTheClosedFormOnASmallCase() {
    double[][] x = {{0.1, 0.9}, {0.4, 0.2}, {0.8, 0.6}, {0.5, 0.5}};
    double[] y = {3.0, -1.0, 2.0, 0.5};
    double[] ls = {0.3, 0.7};
    double s2 = 1.7;
    double noise = 0.02;
    GpHyperparameters hp = new GpHyperparameters(new double[] {Math.log(ls[0]), Math.log(ls[1])},
        Math.log(s2), Math.log(noise));
    GaussianProcess gp = GaussianProcess.condition(x, y, hp);

    // Closed form on the standardised scale: μ = k*ᵀ(K + σ²I)⁻¹y, σ² = k** − k*ᵀ(K + σ²I)⁻¹k*.
    double mean = (3.0 - 1.0 + 2.0 + 0.5) / 4;
    double var = 0;
    for (double v : y) {
      var += (v - mean) * (v - mean) / 4;
    }
    double sd = Math.sqrt(var);
    RealMatrix k = new Array2DRowRealMatrix(4, 4);
    RealVector ys = new ArrayRealVector(4);
    for (int i = 0; i < 4; i++) {
      ys.setEntry(i, (y[i] - mean) / sd);
      for (int j = 0; j < 4; j++) {
        k.setEntry(i, j, matern(x[i], x[j], ls, s2) + (i == j ? noise : 0));
      }
    }
    RealMatrix kInv = new LUDecomposition(k).getSolver().getInverse();
    double[] q = {0.3, 0.4};
    RealVector ks = new ArrayRealVector(4);
    for (int i = 0; i < 4; i++) {
      ks.setEntry(i, matern(q, x[i], ls, s2));
    }
    double mu = ks.dotProduct(kInv.operate(ys));
    double v = s2 - ks.dotProduct(kInv.operate(ks));
    double[] p = gp.predict(q);
    assertEquals(mean + sd * mu, p[0], 1e-10);
    assertEquals(sd * sd * v, p[1], 1e-10);

    // joint covariance between two query points
    double[] q2 = {0.9, 0.1};
    RealVector ks2 = new ArrayRealVector(4);
    for (int i = 0; i < 4; i++) {
      ks2.setEntry(i, matern(q2, x[i], ls, s2));
    }
    double c12 = matern(q, q2, ls, s2) - ks.dotProduct(kInv.operate(ks2));
    double[] means = new double[2];
    double[][] cov = gp.jointCovariance(new double[][] {q, q2}, means);
    assertEquals(sd * sd * c12, cov[0][1], 1e-10);
    assertEquals(p[0], means[0], 1e-10);
  }

  @Test
  void theScreensMeanIsExactAndItsSdNeverBelowThePosteriors() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 60;
    double[][] x = new double[n][3];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) {
        x[i][k] = rng.nextDouble();
      }
      y[i] = Math.sin(5 * x[i][0]) + x[i][1] + 0.05 * rng.nextGaussian();
    }
    GpHyperparameters hp = new GpHyperparameters(new double[] {Math.log(0.3), Math.log(0.5), Math.log(2)},
        Math.log(1.2), Math.log(0.01));
    GaussianProcess gp = GaussianProcess.condition(x, y, hp);
    for (int t = 0; t < 500; t++) {
      double[] u = t < n ? x[t] : new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      double[] exact = gp.predict(u);
      double[] screen = gp.meanAndSdBound(u);
      assertEquals(exact[0], screen[0], 1e-9 * (1 + Math.abs(exact[0])), "the mean is the posterior's");
      assertTrue(screen[1] >= Math.sqrt(exact[1]) * (1 - 1e-9),
          "sd bound " + screen[1] + " below the posterior sd " + Math.sqrt(exact[1]));
    }
    // Far from every observation the bound is the prior sd, as the posterior is.
    double[] far = gp.meanAndSdBound(new double[] {40, 40, 40});
    assertEquals(Math.sqrt(gp.predict(new double[] {40, 40, 40})[1]), far[1], 1e-6 * far[1]);
  }

  @Test
  void logLikelihoodGradientMatchesFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(5);
    int n = 15;
    int d = 3;
    double[][] x = new double[n][d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i][k] = rng.nextDouble();
      }
      y[i] = Math.sin(4 * x[i][0]) + x[i][1] * x[i][1] + 0.1 * rng.nextGaussian();
    }
    MarginalLikelihood f = new MarginalLikelihood(x, y);
    double[] p = {Math.log(0.3), Math.log(0.8), Math.log(1.5), Math.log(1.2), Math.log(0.05)};
    double[] g = new double[p.length];
    f.valueAndGradient(p, g);
    double h = 1e-6;
    for (int i = 0; i < p.length; i++) {
      double[] up = p.clone();
      double[] down = p.clone();
      up[i] += h;
      down[i] -= h;
      double numeric = (f.valueAndGradient(up, new double[p.length])
          - f.valueAndGradient(down, new double[p.length])) / (2 * h);
      assertEquals(numeric, g[i], 1e-5 * Math.max(1, Math.abs(numeric)), "parameter " + i);
    }
  }

  @Test
  void fitFindsTheIrrelevantInputAndPredictsWell() {
    SplittableRandom rng = new SplittableRandom(11);
    int n = 40;
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = rng.nextDouble();
      x[i][1] = rng.nextDouble();
      y[i] = 5 * Math.sin(5 * x[i][0]) + 0.05 * rng.nextGaussian(); // x1 does not matter
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, null, GaussianProcess.FitSettings.THOROUGH,
        new SplittableRandom(1));
    double[] ls = gp.hyperparameters().lengthscales();
    assertTrue(ls[1] > 3 * ls[0], "ARD lengthscales " + java.util.Arrays.toString(ls));
    double[] p = gp.predict(new double[] {0.33, 0.5});
    assertEquals(5 * Math.sin(5 * 0.33), p[0], 0.1);
    assertTrue(gp.hyperparameters().noiseVariance() < 0.01, gp.hyperparameters().toString());
  }

  @Test
  void warmStartReachesTheSameOptimum() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 30;
    double[][] x = new double[n][3];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) {
        x[i][k] = rng.nextDouble();
      }
      y[i] = x[i][0] * x[i][0] - Math.cos(3 * x[i][2]) + 0.05 * rng.nextGaussian();
    }
    GaussianProcess cold = GaussianProcess.fit(x, y, null, GaussianProcess.FitSettings.THOROUGH,
        new SplittableRandom(1));
    GaussianProcess warm = GaussianProcess.fit(x, y, cold.warmStart(),
        GaussianProcess.FitSettings.WARM, new SplittableRandom(2));
    assertEquals(cold.logMarginalLikelihood(), warm.logMarginalLikelihood(), 0.05);
    GaussianProcess periodic = GaussianProcess.fit(x, y, warm.warmStart(),
        GaussianProcess.FitSettings.PERIODIC, new SplittableRandom(3));
    assertEquals(cold.logMarginalLikelihood(), periodic.logMarginalLikelihood(), 0.05);
  }

  @Test
  void knownNoiseIsHeldFixedWhereFewPointsCannotRevealIt() {
    // Eight points of a smooth trend with noise SD 0.5: too few for the likelihood to tell noise
    // from signal, so the learned noise falls towards its prior's small mode.
    SplittableRandom rng = new SplittableRandom(4);
    double[][] x = java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> new double[] {(i + 0.5) / 8}).toArray(double[][]::new);
    double[] y = java.util.Arrays.stream(x).mapToDouble(u -> 2 * u[0] + 0.5 * rng.nextGaussian())
        .toArray();
    GaussianProcess learned = GaussianProcess.fit(x, y, null,
        GaussianProcess.FitSettings.THOROUGH, new SplittableRandom(1));
    GaussianProcess known = GaussianProcess.fit(x, y, null,
        GaussianProcess.FitSettings.THOROUGH, new SplittableRandom(1), 0.5);
    double scale2 = known.outputScale() * known.outputScale();
    assertEquals(0.25, known.hyperparameters().noiseVariance() * scale2, 1e-9);
    assertTrue(learned.hyperparameters().noiseVariance() * scale2 < 0.25 / 4,
        "learned noise variance " + learned.hyperparameters().noiseVariance() * scale2);
    // At a measured point, the GP that knows the noise does not claim to know the value better
    // than a few measurements of that noise could.
    double sdKnown = Math.sqrt(known.predict(x[3])[1]);
    double sdLearned = Math.sqrt(learned.predict(x[3])[1]);
    assertTrue(sdKnown > 0.15 && sdKnown > 1.5 * sdLearned,
        "posterior SD known-noise " + sdKnown + " vs learned " + sdLearned);
    assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(x, y, null,
        GaussianProcess.FitSettings.WARM, new SplittableRandom(1), 0.0));
  }

  @Test
  void duplicatePointsStillFactorise() {
    double[][] x = {{0.5}, {0.5}, {0.5}, {0.2}};
    double[] y = {1, 1.01, 0.99, 0};
    GaussianProcess gp = GaussianProcess.fit(x, y, null, GaussianProcess.FitSettings.THOROUGH,
        new SplittableRandom(1));
    assertEquals(1.0, gp.predict(new double[] {0.5})[0], 0.05);
  }

  @Test
  void mismatchedInputsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(new double[0][],
        new double[0], null, GaussianProcess.FitSettings.WARM, new SplittableRandom(1)));
  }
}
