package org.ionloop.planner.gp;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Exact Gaussian-process regression with an isotropic Matérn-5/2 kernel on inputs in the unit
 * cube and standardised outputs (Rasmussen &amp; Williams, <i>Gaussian Processes for Machine
 * Learning</i>, 2006, Alg. 2.1 and eq. 4.17):
 * <pre>
 *   k(r) = s²·(1 + √5 r/ℓ + 5r²/(3ℓ²))·exp(−√5 r/ℓ)
 *   log p(y|X) = −½ yᵀK⁻¹y − Σ log L_ii − n/2 log 2π,   K = k(X,X) + σ_n² I
 * </pre>
 * Hyper-parameters (ℓ, σ_n²; s² = 1 after standardisation) maximise the log marginal likelihood
 * over a log-spaced grid. Cholesky failures add jitter (1e-8 … 1e-4) before giving up.
 */
public final class GaussianProcess {
  private static final double[] LENGTHSCALES = {0.08, 0.12, 0.18, 0.27, 0.4, 0.6, 0.9, 1.4, 2.0};
  private static final double[] NOISES = {1e-4, 1e-3, 1e-2, 0.05, 0.15};

  private final double[][] x;
  private final double mean;
  private final double scale;
  private final double lengthscale;
  private final double noise;
  private final DecompositionSolver solver;
  private final double[] alpha;
  private final double logMarginalLikelihood;

  private GaussianProcess(double[][] x, double mean, double scale, double lengthscale,
      double noise, DecompositionSolver solver, double[] alpha, double lml) {
    this.x = x;
    this.mean = mean;
    this.scale = scale;
    this.lengthscale = lengthscale;
    this.noise = noise;
    this.solver = solver;
    this.alpha = alpha;
    this.logMarginalLikelihood = lml;
  }

  /**
   * Fits hyper-parameters and conditions on the data.
   *
   * @param x inputs in the unit cube, n × d. Not modified.
   * @param y outputs, n. Not modified.
   * @return the fitted GP, or null when n = 0 or no hyper-parameter gave a factorisable K
   */
  public static GaussianProcess fit(double[][] x, double[] y) {
    int n = y.length;
    if (n == 0) {
      return null;
    }
    double m = 0;
    for (double v : y) {
      m += v / n;
    }
    double var = 0;
    for (double v : y) {
      var += (v - m) * (v - m) / n;
    }
    double sd = var > 1e-12 ? Math.sqrt(var) : 1;
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      ys[i] = (y[i] - m) / sd;
    }
    GaussianProcess best = null;
    for (double l : LENGTHSCALES) {
      for (double s2 : NOISES) {
        GaussianProcess gp = condition(x, ys, m, sd, l, s2);
        if (gp != null && (best == null || gp.logMarginalLikelihood > best.logMarginalLikelihood)) {
          best = gp;
        }
      }
    }
    return best;
  }

  /** Conditions on standardised data with fixed hyper-parameters; null if not factorisable. */
  static GaussianProcess condition(double[][] x, double[] ys, double mean, double scale,
      double lengthscale, double noise) {
    int n = ys.length;
    RealMatrix k = new Array2DRowRealMatrix(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = kernel(x[i], x[j], lengthscale);
        k.setEntry(i, j, v);
        k.setEntry(j, i, v);
      }
    }
    for (double jitter = 0; jitter <= 1e-4; jitter = jitter == 0 ? 1e-8 : jitter * 100) {
      RealMatrix kk = k.copy();
      for (int i = 0; i < n; i++) {
        kk.addToEntry(i, i, noise + jitter);
      }
      try {
        CholeskyDecomposition chol = new CholeskyDecomposition(kk, 1e-12, 1e-14);
        DecompositionSolver solver = chol.getSolver();
        double[] alpha = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(ys))
            .toArray();
        double fit = 0;
        for (int i = 0; i < n; i++) {
          fit += ys[i] * alpha[i];
        }
        double logDet = 0;
        RealMatrix l = chol.getL();
        for (int i = 0; i < n; i++) {
          logDet += Math.log(l.getEntry(i, i));
        }
        double lml = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
        return new GaussianProcess(x, mean, scale, lengthscale, noise, solver, alpha, lml);
      } catch (NonPositiveDefiniteMatrixException e) {
        // add more jitter and try again
      }
    }
    return null;
  }

  /** Matérn-5/2 with unit signal variance. */
  static double kernel(double[] a, double[] b, double lengthscale) {
    double r2 = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      r2 += d * d;
    }
    double r = Math.sqrt(r2) / lengthscale;
    double s5 = Math.sqrt(5) * r;
    return (1 + s5 + 5 * r * r / 3) * Math.exp(-s5);
  }

  /**
   * Posterior mean and variance of the latent function at {@code q} (original output units).
   *
   * @return {mean, variance}
   */
  public double[] predict(double[] q) {
    int n = x.length;
    double[] ks = new double[n];
    double mu = 0;
    for (int i = 0; i < n; i++) {
      ks[i] = kernel(q, x[i], lengthscale);
      mu += ks[i] * alpha[i];
    }
    double[] v = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(ks)).toArray();
    double var = 1;
    for (int i = 0; i < n; i++) {
      var -= ks[i] * v[i];
    }
    var = Math.max(var, 1e-12);
    return new double[] {mean + scale * mu, scale * scale * var};
  }

  public double lengthscale() {
    return lengthscale;
  }

  public double noiseVariance() {
    return noise;
  }

  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }
}
