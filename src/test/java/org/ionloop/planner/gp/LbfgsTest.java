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
}
