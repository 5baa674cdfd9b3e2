package org.ionloop.planner.acquisition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.gp.GpHyperparameters;
import org.junit.jupiter.api.Test;

class ProjectionCacheTest {
  @Test
  void cachedSamplesEqualSamplesProjectedOnDemand() {
    SplittableRandom rng = new SplittableRandom(2);
    double[][] x = new double[30][];
    double[] y1 = new double[30];
    double[] y2 = new double[30];
    for (int i = 0; i < 30; i++) {
      x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
      y1[i] = Math.sin(5 * x[i][0]) + x[i][1];
      y2[i] = -x[i][0] * x[i][1];
    }
    GpHyperparameters hp = new GpHyperparameters(new double[] {Math.log(0.3), Math.log(0.5)}, 0,
        Math.log(0.01));
    GaussianProcess[] models = {GaussianProcess.condition(x, y1, hp),
        GaussianProcess.condition(x, y2, hp)};
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      kept.add(new double[] {rng.nextDouble(), rng.nextDouble()});
    }
    ProjectionCache cache = new ProjectionCache(models, kept, x.length);
    assertEquals(20, cache.size());
    double[][] baseline = {x[0], x[5], {0.5, 0.5}};
    JointPosterior plain = new JointPosterior(models, baseline, 64, new SplittableRandom(7));
    JointPosterior cached = new JointPosterior(models, baseline, 64, new SplittableRandom(7),
        cache);
    List<double[]> queries = new ArrayList<>(kept);
    queries.add(new double[] {0.123, 0.456}); // not kept: projected on demand
    for (double[] u : queries) {
      // an equal point in a fresh array must find the kept projection
      double[][] a = plain.sample(u.clone());
      double[][] b = cached.sample(u.clone());
      for (int s = 0; s < a.length; s++) {
        assertArrayEquals(a[s], b[s], 0.0);
      }
    }
  }

  @Test
  void tooManyPointsAreProjectedOnDemandInstead() {
    double[][] x = {{0.1}, {0.9}};
    GaussianProcess gp = GaussianProcess.condition(x, new double[] {0, 1},
        new GpHyperparameters(new double[] {0}, 0, Math.log(0.01)));
    List<double[]> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.add(new double[] {i / 10.0});
    }
    // 10 points × 1 model × N: within the cap for N = 2, beyond it for a huge N
    assertEquals(10, new ProjectionCache(new GaussianProcess[] {gp}, many, 2).size());
    assertEquals(0, new ProjectionCache(new GaussianProcess[] {gp}, many,
        (int) (ProjectionCache.MAX_DOUBLES / 5)).size());
  }
}
