package org.ionloop.planner.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row-wise inverse of a lower-triangular factor used by the likelihood gradient, and the
 * column-oriented forward substitution used by every prediction.
 */
class TriangularInverseTest {
  @Test
  void lTimesItsInverseIsTheIdentity() {
    SplittableRandom rng = new SplittableRandom(4);
    for (int n : new int[] {1, 2, 7, 64}) {
      double[] l = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          l[i * n + j] = rng.nextDouble(-1, 1);
        }
        l[i * n + i] = 1 + rng.nextDouble() * n;
        for (int j = i + 1; j < n; j++) {
          l[i * n + j] = 99; // the upper triangle is never read
        }
      }
      double[] x = MarginalLikelihood.invertLower(l, n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int k = j; k <= i; k++) {
            s += l[i * n + k] * x[k * n + j];
          }
          assertEquals(i == j ? 1 : 0, s, 1e-12, "n=" + n + " (" + i + "," + j + ")");
          if (j > i) {
            assertEquals(0, x[i * n + j], "the inverse is lower-triangular");
          }
        }
      }
    }
  }

  @Test
  void forwardSubstitutionSolvesTheLowerSystem() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int n : new int[] {1, 2, 7, 64}) {
      double[] l = new double[n * n];
      double[] upper = new double[n * n]; // Lᵀ, the form the GP keeps
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          l[i * n + j] = j == i ? 1 + rng.nextDouble() * n : rng.nextDouble(-1, 1);
          upper[j * n + i] = l[i * n + j];
        }
      }
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        b[i] = rng.nextDouble(-5, 5);
      }
      double[] v = b.clone();
      GaussianProcess.forwardSubstitute(upper, v, n);
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k <= i; k++) {
          s += l[i * n + k] * v[k];
        }
        assertEquals(b[i], s, 1e-10, "n=" + n + " row " + i);
      }
    }
  }
}
