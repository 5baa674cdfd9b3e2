package org.ionloop.analysis.eis;

import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Complex nonlinear least squares fit of {@link BlockingElectrodeCircuit} with modulus weighting
 * (residuals divided by |Z_data|; Boukamp, Solid State Ionics 20, 31, 1986), solved by
 * Levenberg–Marquardt (Apache Commons Math). Parameters are fitted in a transformed space that
 * enforces the bounds: R, Q = exp(u), n = 0.4 + 0.6·sigmoid(u) ∈ (0.4, 1).
 * Initial guesses come from the spectrum (the Z' at the valley of −Z'' for Rb, the apex for Qb,
 * the lowest frequency for Qel) and a few starts are tried for the unidentifiable-arc case.
 */
public final class CircuitFitter {
  private static final double N_MIN = 0.4;

  /** Fits one spectrum; never throws for numerical trouble. */
  public FitResult fit(Spectrum s) {
    int n = s.size();
    if (n < 6) {
      return failed("need at least 6 points, got " + n);
    }
    double[] omega = new double[n];
    for (int i = 0; i < n; i++) {
      omega[i] = 2 * Math.PI * s.frequencyHz()[i];
    }
    double[] guess = initialGuess(s, omega);
    FitResult best = null;
    for (double qScale : new double[] {1, 1e-3, 1e3}) {
      double[] start = guess.clone();
      start[1] *= qScale;
      FitResult r = fitFrom(s, omega, start);
      if (best == null || (r.converged() && (!best.converged() || r.chiSquare() < best.chiSquare()))) {
        best = r;
      }
    }
    return best;
  }

  private FitResult fitFrom(Spectrum s, double[] omega, double[] start) {
    int n = s.size();
    RealVector target = new ArrayRealVector(2 * n); // residuals are model - data, target 0
    MultivariateJacobianFunction model = u -> {
      double[] p = toParameters(u.toArray());
      RealVector value = residuals(p, s, omega);
      RealMatrix jac = new Array2DRowRealMatrix(2 * n, 5);
      double[] uu = u.toArray();
      for (int k = 0; k < 5; k++) {
        double h = 1e-6 * Math.max(1, Math.abs(uu[k]));
        double[] up = uu.clone();
        up[k] += h;
        RealVector shifted = residuals(toParameters(up), s, omega);
        for (int i = 0; i < 2 * n; i++) {
          jac.setEntry(i, k, (shifted.getEntry(i) - value.getEntry(i)) / h);
        }
      }
      return new Pair<>(value, jac);
    };
    LeastSquaresProblem problem = new LeastSquaresBuilder()
        .start(toUnconstrained(start))
        .model(model)
        .target(target)
        .maxEvaluations(2000)
        .maxIterations(500)
        .build();
    LeastSquaresOptimizer.Optimum opt;
    try {
      opt = new LevenbergMarquardtOptimizer().optimize(problem);
    } catch (RuntimeException e) { // TooManyEvaluations, singular matrices: a result, not a crash
      return failed("optimiser stopped: " + e.getMessage());
    }
    double[] u = opt.getPoint().toArray();
    double[] p = toParameters(u);
    double chi2 = opt.getResiduals().dotProduct(opt.getResiduals());
    double maxOmega = java.util.Arrays.stream(omega).max().orElse(0);
    boolean resolved = BlockingElectrodeCircuit.bulkApexOmega(p) < maxOmega;
    // An unresolved bulk arc leaves Qb and nb unidentifiable: their directions make JᵀJ singular.
    // The standard errors of the identifiable parameters then come from the sub-block without them.
    int[] free = resolved ? new int[] {0, 1, 2, 3, 4} : new int[] {0, 3, 4};
    double[] se = standardErrors(opt.getJacobian(), free, u, chi2 / Math.max(1, 2 * n - free.length));
    boolean finite = java.util.Arrays.stream(p).allMatch(Double::isFinite);
    return new FitResult(finite, finite ? "ok" : "non-finite parameters", p, se, chi2, p[0], se[0],
        resolved);
  }

  /** √diag((J_fᵀJ_f)⁻¹·s²) over the free parameters, mapped through the transform; NaN elsewhere. */
  private static double[] standardErrors(RealMatrix jacobian, int[] free, double[] u, double s2) {
    double[] se = new double[5];
    java.util.Arrays.fill(se, Double.NaN);
    RealMatrix jf = jacobian.getSubMatrix(
        java.util.stream.IntStream.range(0, jacobian.getRowDimension()).toArray(), free);
    try {
      RealMatrix cov = new org.apache.commons.math3.linear.QRDecomposition(
          jf.transpose().multiply(jf), 1e-14).getSolver().getInverse().scalarMultiply(s2);
      for (int i = 0; i < free.length; i++) {
        int k = free[i];
        se[k] = Math.abs(derivative(k, u[k])) * Math.sqrt(Math.max(0, cov.getEntry(i, i)));
      }
    } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
      // leave NaN: the data do not determine these parameters
    }
    return se;
  }

  private static RealVector residuals(double[] p, Spectrum s, double[] omega) {
    int n = s.size();
    double[] r = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double[] z = BlockingElectrodeCircuit.impedance(omega[i], p);
      double w = s.modulus(i);
      r[2 * i] = (z[0] - s.zReOhm()[i]) / w;
      r[2 * i + 1] = (z[1] - s.zImOhm()[i]) / w;
    }
    return new ArrayRealVector(r, false);
  }

  /** Rb from the valley of −Z'', Qb from the arc apex when visible, Qel from the lowest ω. */
  static double[] initialGuess(Spectrum s, double[] omega) {
    int n = s.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(omega[b], omega[a])); // high → low
    int valley = order[0];
    for (Integer i : order) {
      if (-s.zImOhm()[i] < -s.zImOhm()[valley]) {
        valley = i;
      }
    }
    double rb = Math.max(s.zReOhm()[valley], 1e-6);
    int apex = order[0];
    for (Integer i : order) {
      if (omega[i] <= omega[valley]) {
        break;
      }
      if (-s.zImOhm()[i] > -s.zImOhm()[apex]) {
        apex = i;
      }
    }
    double apexOmega = apex != order[0] ? omega[apex] : omega[order[0]] * 30;
    double qb = 1 / (rb * apexOmega);
    int low = order[n - 1];
    double qel = 1 / (omega[low] * Math.max(Math.abs(s.zImOhm()[low]), 1e-9));
    return new double[] {rb, qb, 0.9, qel, 0.85};
  }

  private static double[] toParameters(double[] u) {
    return new double[] {Math.exp(u[0]), Math.exp(u[1]), nFrom(u[2]), Math.exp(u[3]), nFrom(u[4])};
  }

  private static RealVector toUnconstrained(double[] p) {
    return new ArrayRealVector(new double[] {Math.log(p[0]), Math.log(p[1]), uFrom(p[2]),
        Math.log(p[3]), uFrom(p[4])});
  }

  private static double nFrom(double u) {
    return N_MIN + (1 - N_MIN) / (1 + Math.exp(-u));
  }

  private static double uFrom(double n) {
    double t = (n - N_MIN) / (1 - N_MIN);
    return Math.log(t / (1 - t));
  }

  /** d p_k / d u_k of the parameter transform. */
  private static double derivative(int k, double u) {
    if (k == 2 || k == 4) {
      double sg = 1 / (1 + Math.exp(-u));
      return (1 - N_MIN) * sg * (1 - sg);
    }
    return Math.exp(u);
  }

  private static FitResult failed(String reason) {
    double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    return new FitResult(false, reason, nan, nan, Double.NaN, Double.NaN, Double.NaN, false);
  }
}
