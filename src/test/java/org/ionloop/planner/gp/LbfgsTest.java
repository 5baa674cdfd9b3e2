package org.ionloop.planner.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {
  @Test
  void findsTheRosenbrockMinimum() {
    Lbfgs.DifferentiableFunction rosenbrock = (x, g) -> {
      double a = 1 - x[0];
      double b = x[1] - x[0] * x[0];
      g[0] = -2 * a - 400 * x[0] * b;
      g[1] = 200 * b;
      return a * a + 100 * b * b;
    };
    Lbfgs.Result r = new Lbfgs(8, 500, 1e-8).minimize(rosenbrock, new double[] {-1.2, 1});
    assertEquals(1, r.x()[0], 1e-4);
    assertEquals(1, r.x()[1], 1e-4);
    assertTrue(r.evaluations() < 300, "evaluations " + r.evaluations());
  }

  @Test
  void stopsWhereTheFunctionIsUndefined() {
    Lbfgs.Result r = new Lbfgs(5, 50, 1e-8).minimize((x, g) -> Double.POSITIVE_INFINITY,
        new double[] {0});
    assertTrue(!r.converged());
  }

  /** ½ Σ h_i (x_i − c_i)², condition number 1000: steepest descent crawls on it. */
  private static Lbfgs.DifferentiableFunction valley(double[] c) {
    return (x, g) -> {
      double v = 0;
      for (int i = 0; i < x.length; i++) {
        double h = Math.pow(1000, i / (double) (x.length - 1));
        g[i] = h * (x[i] - c[i]);
        v += 0.5 * h * (x[i] - c[i]) * (x[i] - c[i]);
      }
      return v;
    };
  }

  @Test
  void curvatureFromASimilarProblemSavesEvaluations() {
    Lbfgs lbfgs = new Lbfgs(8, 500, 1e-9, 0);
    Lbfgs.Result first = lbfgs.minimize(valley(new double[] {1, 2, 3, 4, 5, 6}), new double[6]);
    // The "one more data point" problem: same curvature, optimum moved a little.
    double[] moved = {1.01, 1.98, 3.02, 3.99, 5.01, 6.02};
    Lbfgs.Result cold = lbfgs.minimize(valley(moved), first.x());
    Lbfgs.Result warm = lbfgs.minimize(valley(moved), first.x(), first.curvature());
    for (int i = 0; i < 6; i++) {
      assertEquals(moved[i], cold.x()[i], 1e-6);
      assertEquals(moved[i], warm.x()[i], 1e-6);
    }
    assertTrue(warm.evaluations() * 5 <= cold.evaluations() * 3, // at least 40 % fewer
        "seeded " + warm.evaluations() + " vs cold " + cold.evaluations() + " evaluations");
  }

  @Test
  void unrelatedCurvatureStillConverges() {
    Lbfgs lbfgs = new Lbfgs(8, 500, 1e-9, 0);
    Lbfgs.Result rosenbrockLike = lbfgs.minimize(valley(new double[] {-5, 9, -7, 3, 0, 8}),
        new double[] {40, -30, 20, -10, 5, 1});
    double[] target = {1, 2, 3, 4, 5, 6};
    Lbfgs.Result r = lbfgs.minimize((x, g) -> {
      // a different function altogether: curvature falls, not rises, along the axes
      double v = 0;
      for (int i = 0; i < x.length; i++) {
        double h = Math.pow(1000, 1 - i / 5.0);
        g[i] = h * (x[i] - target[i]);
        v += 0.5 * h * (x[i] - target[i]) * (x[i] - target[i]);
      }
      return v;
    }, new double[6], rosenbrockLike.curvature());
    for (int i = 0; i < 6; i++) {
      assertEquals(target[i], r.x()[i], 1e-6);
    }
    // pairs of another dimension are ignored rather than failing
    Lbfgs.Result other = lbfgs.minimize(valley(new double[] {1, 2}), new double[2],
        rosenbrockLike.curvature());
    assertEquals(2, other.x()[1], 1e-6);
  }
}
