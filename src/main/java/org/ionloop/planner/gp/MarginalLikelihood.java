package org.ionloop.planner.gp;

import org.ejml.data.DMatrixRMaj;

/**
 * The negative log posterior of the hyper-parameters (log marginal likelihood plus log prior),
 * with its analytic gradient, as the function L-BFGS minimises (Rasmussen &amp; Williams, 2006,
 * eqs. 2.30 and 5.9):
 * <pre>
 *   log p(y|X,θ) = −½ yᵀK⁻¹y − ½ log|K| − n/2 log 2π
 *   ∂/∂θ_j       = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j),   α = K⁻¹y
 * </pre>
 * Pairwise squared differences are computed once per data set and reused by every evaluation.
 */
final class MarginalLikelihood implements Lbfgs.DifferentiableFunction {
  /** Penalty weight for parameters outside the prior's boxes, so the optimiser turns back. */
  private static final double BOX_PENALTY = 50;

  private final double[] y;
  private final int n;
  private final int d;
  /** (x_ik − x_jk)² for i &gt; j, pair-major: pairDiff2[pair·d + k]. */
  private final double[] pairDiff2;

  /** Log noise variance held fixed (known measurement noise), or NaN when it is learned. */
  private final double fixedLogNoise;

  MarginalLikelihood(double[][] x, double[] standardisedY) {
    this(x, standardisedY, Double.NaN);
  }

  /**
   * @param fixedLogNoise log of the known noise variance (standardised), or NaN to learn it; when
   *                      given, the noise component of the parameters is ignored and its
   *                      gradient is zero
   */
  MarginalLikelihood(double[][] x, double[] standardisedY, double fixedLogNoise) {
    this.fixedLogNoise = fixedLogNoise;
    this.y = standardisedY;
    this.n = standardisedY.length;
    this.d = x.length == 0 ? 0 : x[0].length;
    this.pairDiff2 = new double[n * (n - 1) / 2 * d];
    int pair = 0;
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++, pair++) {
        for (int k = 0; k < d; k++) {
          double diff = x[i][k] - x[j][k];
          pairDiff2[pair * d + k] = diff * diff;
        }
      }
    }
  }

  @Override
  public double valueAndGradient(double[] p, double[] gradient) {
    if (!Double.isNaN(fixedLogNoise)) {
      p = p.clone();
      p[d + 1] = fixedLogNoise;
    }
    GpHyperparameters hp = HyperparameterPrior.clamp(p);
    double[] clamped = hp.pack();
    double[] g = new double[d + 2];
    double logLikelihood = logLikelihoodWithGradient(hp, g);
    if (Double.isNaN(logLikelihood)) {
      return Double.POSITIVE_INFINITY;
    }
    double logPosterior = logLikelihood + HyperparameterPrior.logDensity(clamped, g);
    double penalty = 0;
    for (int i = 0; i < p.length; i++) {
      double excess = p[i] - clamped[i];
      penalty += BOX_PENALTY * excess * excess;
      gradient[i] = -g[i] + 2 * BOX_PENALTY * excess;
    }
    if (!Double.isNaN(fixedLogNoise)) {
      gradient[d + 1] = 0;
    }
    return -logPosterior + penalty;
  }

  /**
   * Log likelihood, with its gradient added into {@code grad}; NaN when K cannot be factorised.
   */
  private double logLikelihoodWithGradient(GpHyperparameters hp, double[] grad) {
    double[] inv = hp.inverseLengthscaleSquared();
    double s2 = hp.signalVariance();
    double noise = hp.noiseVariance();
    int pairs = n * (n - 1) / 2;
    double[] r = new double[pairs];
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    int pair = 0;
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++, pair++) {
        double r2 = 0;
        int base = pair * d;
        for (int c = 0; c < d; c++) {
          r2 += pairDiff2[base + c] * inv[c];
        }
        r[pair] = Math.sqrt(r2);
        double v = s2 * MaternArdKernel.correlation(r[pair]);
        k.unsafe_set(i, j, v);
        k.unsafe_set(j, i, v);
      }
    }
    DMatrixRMaj l = GaussianProcess.choleskyWithJitter(k, s2 + noise, s2);
    if (l == null) {
      return Double.NaN;
    }
    double[] alpha = new double[n];
    double lml = GaussianProcess.solveAndLogLikelihood(l, y, alpha);
    double[] kInv = lowerOfInverse(l);
    // W = ααᵀ − K⁻¹; gradients are ½ Σ_ij W_ij ∂K_ij.
    double traceW = 0;
    for (int i = 0; i < n; i++) {
      traceW += alpha[i] * alpha[i] - kInv[i * n + i];
    }
    double signal = traceW * s2;
    pair = 0;
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++, pair++) {
        double w = alpha[i] * alpha[j] - kInv[i * n + j];
        // off-diagonal pairs appear twice in the full sum, which cancels the ½
        signal += 2 * w * s2 * MaternArdKernel.correlation(r[pair]);
        double a = 2 * w * s2 * MaternArdKernel.lengthscaleDerivativeFactor(r[pair]);
        int base = pair * d;
        for (int c = 0; c < d; c++) {
          grad[c] += 0.5 * a * pairDiff2[base + c] * inv[c];
        }
      }
    }
    grad[d] += 0.5 * signal;
    grad[d + 1] += 0.5 * noise * traceW;
    return lml;
  }

  /**
   * The lower triangle (row-major, j ≤ i) of K⁻¹ = L⁻ᵀL⁻¹ from the Cholesky factor L. Only the
   * triangle is needed and L⁻¹ is triangular, so this costs n³/6 multiply-adds instead of a
   * general product's n³ — the largest cost of each likelihood evaluation at N = 200. Row k of
   * L⁻¹ is added into rows i ≤ k, so every inner loop runs over contiguous memory.
   */
  private double[] lowerOfInverse(DMatrixRMaj l) {
    double[] li = invertLower(l.data, n);
    double[] lower = new double[n * n];
    for (int k = 0; k < n; k++) {
      int rowK = k * n;
      for (int i = 0; i <= k; i++) {
        double a = li[rowK + i];
        if (a == 0) {
          continue;
        }
        int rowI = i * n;
        for (int j = 0; j <= i; j++) {
          lower[rowI + j] += a * li[rowK + j];
        }
      }
    }
    return lower;
  }

  /**
   * L⁻¹ of a lower-triangular L (row-major), row by row: row i of L⁻¹ is −(1/Lᵢᵢ)·Σₖ₍ₖ<ᵢ₎ Lᵢₖ·(row k
   * of L⁻¹) plus 1/Lᵢᵢ on the diagonal, each term a contiguous axpy (EJML's column-wise version
   * strides through memory and was the next largest cost).
   */
  static double[] invertLower(double[] l, int n) {
    double[] x = new double[n * n];
    for (int i = 0; i < n; i++) {
      int rowI = i * n;
      for (int k = 0; k < i; k++) {
        double a = l[rowI + k];
        if (a == 0) {
          continue;
        }
        int rowK = k * n;
        for (int j = 0; j <= k; j++) {
          x[rowI + j] += a * x[rowK + j];
        }
      }
      double inv = 1 / l[rowI + i];
      for (int j = 0; j < i; j++) {
        x[rowI + j] *= -inv;
      }
      x[rowI + i] = inv;
    }
    return x;
  }
}
