package org.ionloop.planner.gp;

/**
 * Matérn-5/2 kernel with one lengthscale per input (automatic relevance determination):
 * <pre>
 *   r² = Σ_k (a_k − b_k)² / ℓ_k²
 *   k(a, b) = s² · (1 + √5 r + 5r²/3) · exp(−√5 r)
 *   ∂k/∂log ℓ_k = s² · (5/3)(1 + √5 r) exp(−√5 r) · (a_k − b_k)² / ℓ_k²
 * </pre>
 * The derivative has no 1/r term, so it is finite at r = 0 (Rasmussen &amp; Williams, 2006, §4.2).
 */
public final class MaternArdKernel {
  private static final double SQRT5 = Math.sqrt(5);

  private MaternArdKernel() {}

  /** Scaled squared distance r² with {@code inverseLengthscaleSquared[k] = 1/ℓ_k²}. */
  public static double scaledDistanceSquared(double[] a, double[] b,
      double[] inverseLengthscaleSquared) {
    double r2 = 0;
    for (int k = 0; k < a.length; k++) {
      double d = a[k] - b[k];
      r2 += d * d * inverseLengthscaleSquared[k];
    }
    return r2;
  }

  /** Correlation (unit signal variance) at scaled distance r. */
  public static double correlation(double r) {
    double s = SQRT5 * r;
    return (1 + s + s * s / 3) * Math.exp(-s);
  }

  /** The factor (5/3)(1 + √5 r) exp(−√5 r) of ∂k/∂log ℓ_k, per unit signal variance. */
  public static double lengthscaleDerivativeFactor(double r) {
    double s = SQRT5 * r;
    return (5.0 / 3.0) * (1 + s) * Math.exp(-s);
  }
}
