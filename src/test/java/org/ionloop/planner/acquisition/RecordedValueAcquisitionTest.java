package org.ionloop.planner.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.gp.GpHyperparameters;
import org.junit.jupiter.api.Test;

/**
 * The pool goal (BatchSelector.Goal.RECORDED_VALUE): with one objective, the Monte-Carlo
 * acquisition must be the expected improvement of the value a measurement would record (latent
 * plus the GP's noise) over the best value recorded, known exactly — the closed form below.
 */
class RecordedValueAcquisitionTest {
  private static final NormalDistribution NORMAL = new NormalDistribution();

  /** A noisy cluster of high values around 0.5 and low values at the ends. */
  private static GaussianProcess noisyGp() {
    double[][] x = {{0.0}, {0.1}, {0.45}, {0.5}, {0.55}, {0.6}, {0.95}, {1.0}};
    double[] y = {0.1, 0.3, 2.4, 1.6, 3.1, 2.0, 0.2, 0.0};
    return GaussianProcess.condition(x, y,
        new GpHyperparameters(new double[] {Math.log(0.2)}, 0, Math.log(0.3)));
  }

  private static double expectedImprovement(double mean, double sd, double best) {
    double z = (mean - best) / sd;
    return (mean - best) * NORMAL.cumulativeProbability(z) + sd * NORMAL.density(z);
  }

  @Test
  void oneObjectiveIsTheExpectedImprovementOfTheRecordedValueOverTheBestRecord() {
    GaussianProcess gp = noisyGp();
    double best = 3.1;
    JointPosterior recorded = JointPosterior.ofRecordedValues(new GaussianProcess[] {gp},
        new double[0][], 8192, new SplittableRandom(3), null);
    MonteCarloAcquisition acquisition = new MonteCarloAcquisition(recorded,
        new HypervolumeImprovement(recorded, List.of(new double[] {best}), new double[] {-10}));
    for (double u : new double[] {0.3, 0.5, 0.52, 0.8}) {
      double[] p = gp.predict(new double[] {u});
      double sd = Math.sqrt(p[1] + gp.noiseSd() * gp.noiseSd());
      double exact = expectedImprovement(p[0], sd, best);
      assertEquals(exact, acquisition.value(new double[] {u}), 0.03 * exact + 1e-4, "at " + u);
    }
  }

  @Test
  void theLatentGoalSeesLittleInAnUnmeasuredPointOfAWellMeasuredNoisyCluster() {
    // What the pool goal is for: between measured points of the high cluster the latent mean is
    // known, so the latent acquisition (qNEI) finds little there, while the value that point
    // would record may still beat the best record by the noise.
    GaussianProcess gp = noisyGp();
    double[][] measured = {{0.45}, {0.5}, {0.55}, {0.6}};
    JointPosterior latent = new JointPosterior(new GaussianProcess[] {gp}, measured, 4096,
        new SplittableRandom(5));
    double latentValue = new MonteCarloAcquisition(latent,
        new HypervolumeImprovement(latent, new double[] {-10})).value(new double[] {0.52});
    JointPosterior recorded = JointPosterior.ofRecordedValues(new GaussianProcess[] {gp},
        new double[0][], 4096, new SplittableRandom(5), null);
    double recordedValue = new MonteCarloAcquisition(recorded,
        new HypervolumeImprovement(recorded, List.of(new double[] {3.1}), new double[] {-10}))
        .value(new double[] {0.52});
    assertTrue(recordedValue > 0.02, "recorded-value acquisition " + recordedValue);
    assertTrue(latentValue < recordedValue / 2, "latent " + latentValue + " vs recorded " + recordedValue);
  }

  @Test
  void recordedSamplesSpreadByTheNoiseAroundTheLatentMean() {
    GaussianProcess gp = noisyGp();
    int n = 100_000;
    JointPosterior recorded = JointPosterior.ofRecordedValues(new GaussianProcess[] {gp},
        new double[][] {{0.7}}, n, new SplittableRandom(9), null);
    double[] u = {0.3};
    double[][] y = recorded.sample(u);
    double sum = 0;
    double squares = 0;
    double baselineSquares = 0;
    double baselineSum = 0;
    for (int s = 0; s < n; s++) {
      sum += y[s][0];
      squares += y[s][0] * y[s][0];
      baselineSum += recorded.baselineSample(s, 0)[0];
      baselineSquares += recorded.baselineSample(s, 0)[0] * recorded.baselineSample(s, 0)[0];
    }
    double[] p = gp.predict(u);
    double noise = gp.noiseSd() * gp.noiseSd();
    double mean = sum / n;
    assertEquals(p[0], mean, 4 * Math.sqrt((p[1] + noise) / n));
    assertEquals(p[1] + noise, squares / n - mean * mean, 0.02 * (p[1] + noise));
    double[] b = gp.predict(new double[] {0.7});
    double bm = baselineSum / n;
    assertEquals(b[1] + noise, baselineSquares / n - bm * bm, 0.02 * (b[1] + noise));
  }
}
