package org.ionloop.planner.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianProcessTest {
  @Test
  void posteriorMatchesTheClosedFormForTwoPoints() {
    double[][] x = {{0.2}, {0.7}};
    double[] ys = {1.0, -1.0}; // already standardised
    double l = 0.4;
    double noise = 0.01;
    GaussianProcess gp = GaussianProcess.condition(x, ys, 0, 1, l, noise);
    double k12 = GaussianProcess.kernel(x[0], x[1], l);
    double a = 1 + noise;
    double det = a * a - k12 * k12;
    double[] q = {0.5};
    double kq1 = GaussianProcess.kernel(q, x[0], l);
    double kq2 = GaussianProcess.kernel(q, x[1], l);
    // K⁻¹ = [[a, −k12], [−k12, a]] / det
    double w1 = (a * kq1 - k12 * kq2) / det;
    double w2 = (-k12 * kq1 + a * kq2) / det;
    double mean = w1 * ys[0] + w2 * ys[1];
    double var = 1 - (kq1 * w1 + kq2 * w2);
    double[] p = gp.predict(q);
    assertEquals(mean, p[0], 1e-12);
    assertEquals(var, p[1], 1e-12);
  }

  @Test
  void fitInterpolatesASmoothFunctionAndShrinksVarianceNearData() {
    int n = 12;
    double[][] x = new double[n][1];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = i / (n - 1.0);
      y[i] = Math.sin(6 * x[i][0]) * 3 + 10;
    }
    GaussianProcess gp = GaussianProcess.fit(x, y);
    double[] mid = gp.predict(new double[] {0.5 / (n - 1.0) * 3});
    assertEquals(Math.sin(6 * 0.5 / (n - 1.0) * 3) * 3 + 10, mid[0], 0.05);
    assertTrue(gp.predict(new double[] {x[3][0]})[1] < gp.predict(new double[] {3.0})[1]);
  }

  @Test
  void noDataGivesNoModel() {
    assertNull(GaussianProcess.fit(new double[0][], new double[0]));
  }
}
