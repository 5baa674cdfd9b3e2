package org.ionloop.planner.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.gp.GpHyperparameters;
import org.junit.jupiter.api.Test;

class JointPosteriorTest {
  @Test
  void candidateSamplesHaveTheJointPosteriorCovarianceWithTheBaseline() {
    double[][] x = {{0.1}, {0.4}, {0.9}};
    double[] y = {1, 2, 0};
    GaussianProcess gp = GaussianProcess.condition(x, y,
        new GpHyperparameters(new double[] {Math.log(0.3)}, 0, Math.log(0.01)));
    double[][] baseline = {{0.2}, {0.6}};
    int samples = 200_000;
    JointPosterior joint = new JointPosterior(new GaussianProcess[] {gp}, baseline, samples,
        new SplittableRandom(4));
    double[] u = {0.5};
    double[][] fx = joint.sample(u);
    double[] means = new double[3];
    double[][] cov = gp.jointCovariance(new double[][] {baseline[0], baseline[1], u}, means);
    double sx = 0;
    double sb = 0;
    double sxx = 0;
    double sxb = 0;
    for (int s = 0; s < samples; s++) {
      double a = fx[s][0];
      double b = joint.baselineSample(s, 1)[0];
      sx += a;
      sb += b;
      sxx += a * a;
      sxb += a * b;
    }
    double mx = sx / samples;
    double mb = sb / samples;
    assertEquals(means[2], mx, 4 * Math.sqrt(cov[2][2] / samples));
    assertEquals(cov[2][2], sxx / samples - mx * mx, 0.02 * cov[2][2]);
    assertEquals(cov[2][1], sxb / samples - mx * mb, 0.03 * Math.sqrt(cov[1][1] * cov[2][2]));
  }

  @Test
  void aCandidateAtABaselinePointGainsNoHypervolume() {
    double[][] x = {{0.1, 0.2}, {0.5, 0.5}, {0.9, 0.1}, {0.3, 0.8}};
    GaussianProcess a = GaussianProcess.condition(x, new double[] {1, 2, 3, 0.5},
        new GpHyperparameters(new double[] {Math.log(0.4), Math.log(0.4)}, 0, Math.log(1e-4)));
    GaussianProcess b = GaussianProcess.condition(x, new double[] {3, 1, 0.2, 2},
        new GpHyperparameters(new double[] {Math.log(0.4), Math.log(0.4)}, 0, Math.log(1e-4)));
    JointPosterior joint = new JointPosterior(new GaussianProcess[] {a, b}, x, 64,
        new SplittableRandom(1));
    MonteCarloAcquisition acq = new MonteCarloAcquisition(joint,
        new HypervolumeImprovement(joint, new double[] {-5, -5}));
    // Only the jitter added to the baseline covariance leaves a trace of variance there.
    for (double[] p : x) {
      assertEquals(0.0, acq.value(p), 1e-4);
    }
    org.junit.jupiter.api.Assertions.assertTrue(acq.value(new double[] {0.95, 0.95}) > 0.01);
  }
}
