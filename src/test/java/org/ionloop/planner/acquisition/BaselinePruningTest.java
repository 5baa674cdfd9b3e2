package org.ionloop.planner.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.gp.GpHyperparameters;
import org.junit.jupiter.api.Test;

class BaselinePruningTest {
  /** Two conflicting, precisely measured objectives on a line: f1 = x, f2 = 1 − x², 40 points. */
  private static GaussianProcess[] models(double[][] x, double noise) {
    double[] f1 = Arrays.stream(x).mapToDouble(p -> p[0]).toArray();
    double[] f2 = Arrays.stream(x).mapToDouble(p -> 1 - p[0] * p[0]).toArray();
    GpHyperparameters hp = new GpHyperparameters(new double[] {Math.log(0.5)}, 0,
        Math.log(noise));
    return new GaussianProcess[] {GaussianProcess.condition(x, f1, hp),
        GaussianProcess.condition(x, f2, hp)};
  }

  @Test
  void boundsDropOnlyPointsThatSamplingNeverKeeps() {
    // Every point of a monotone trade-off is Pareto-optimal; add clearly dominated ones below.
    double[][] x = IntStream.range(0, 30).mapToObj(i -> new double[] {i / 29.0})
        .toArray(double[][]::new);
    GaussianProcess[] front = models(x, 1e-4);
    int[] plausible = BaselinePruning.plausible(front, x);
    assertEquals(30, plausible.length, "on a trade-off every point may be on the front");

    // Same inputs, but the second objective is now increasing too: x = 1 dominates the rest.
    double[] f1 = Arrays.stream(x).mapToDouble(p -> p[0]).toArray();
    GpHyperparameters hp = new GpHyperparameters(new double[] {Math.log(0.5)}, 0,
        Math.log(1e-4));
    GaussianProcess[] aligned = {GaussianProcess.condition(x, f1, hp),
        GaussianProcess.condition(x, f1, hp)};
    int[] kept = BaselinePruning.plausible(aligned, x);
    assertTrue(kept.length < 5, "points far behind the best are dropped: " + kept.length);
    assertTrue(Arrays.stream(kept).anyMatch(i -> i == 29), "the best point is kept");
    List<Integer> sampled = BaselinePruning.keep(aligned, x, 2048, 1000, new SplittableRandom(1));
    for (int i : sampled) {
      assertTrue(Arrays.stream(kept).anyMatch(k -> k == i),
          "a point kept by sampling was dropped by the bounds: " + i);
    }
  }

  @Test
  void noisyModelsKeepMorePointsThanPreciseOnes() {
    double[][] x = IntStream.range(0, 30).mapToObj(i -> new double[] {i / 29.0})
        .toArray(double[][]::new);
    double[] f1 = Arrays.stream(x).mapToDouble(p -> p[0]).toArray();
    GpHyperparameters precise = new GpHyperparameters(new double[] {Math.log(0.5)}, 0,
        Math.log(1e-4));
    GpHyperparameters noisy = new GpHyperparameters(new double[] {Math.log(0.05)}, 0,
        Math.log(0.5));
    int precisePoints = BaselinePruning.plausible(new GaussianProcess[] {
        GaussianProcess.condition(x, f1, precise), GaussianProcess.condition(x, f1, precise)},
        x).length;
    int noisyPoints = BaselinePruning.plausible(new GaussianProcess[] {
        GaussianProcess.condition(x, f1, noisy), GaussianProcess.condition(x, f1, noisy)},
        x).length;
    assertTrue(noisyPoints > precisePoints, noisyPoints + " vs " + precisePoints);
    assertFalse(noisyPoints == 0);
  }
}
