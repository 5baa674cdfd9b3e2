package org.ionloop.analysis.eis;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.hipparchus.optim.nonlinear.vector.leastsquares.EvaluationRmsChecker;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.hipparchus.util.Pair;

/**
 * Complex nonlinear least squares (CNLS) fit of a {@link Circuit} to a spectrum (Macdonald &amp;
 * Garber, J. Electrochem. Soc. 124, 1022, 1977), solved by Levenberg–Marquardt (Apache Commons
 * Math) with the circuit's analytic Jacobian. Residuals over real and imaginary parts are
 * weighted; the default modulus weighting w_i = 1/|Z_i| (Boukamp, Solid State Ionics 20, 31,
 * 1986) gives every decade its say, whereas unit weighting lets the largest impedances dominate.
 *
 * <p>Bounds are enforced by the parameterisation: positive parameters as p = e^u, CPE exponents
 * as n = n_min + (1 − n_min)/(1 + e^(−u)) ∈ (n_min, 1) with n_min = {@value #N_MIN}: below that a
 * "CPE" is a resistor in disguise and the fit trades it against the real resistors. Starts: a guess read off the spectrum ({@link InitialGuess}),
 * then up to {@code starts − 1} log-normal perturbations of it (fixed seed) while the relative
 * residual is above {@code goodEnough} (e.g. the Kramers–Kronig residual, the best any
 * KK-consistent model can do). Standard errors come from the pseudo-inverse of JᵀJ (singular
 * values below 1e-10 of the largest dropped), so a parameter the data cannot determine reports
 * NaN instead of a number.
 */
public final class CnlsFitter {
  /** Lowest CPE exponent admitted. */
  public static final double N_MIN = 0.3;

  /** Residual weighting. */
  public enum Weighting { MODULUS, UNIT }

  private final Weighting weighting;
  private final int starts;

  /** Modulus weighting, up to 6 starts. */
  public CnlsFitter() {
    this(Weighting.MODULUS, 6);
  }

  public CnlsFitter(Weighting weighting, int starts) {
    if (starts < 1) {
      throw new IllegalArgumentException("starts must be ≥ 1, got " + starts);
    }
    this.weighting = weighting;
    this.starts = starts;
  }

  /** Fits with every start. */
  public FitResult fit(Circuit circuit, Spectrum s) {
    return fit(circuit, s, 0);
  }

  /**
   * Fits {@code circuit} to {@code s}; never throws for numerical trouble.
   *
   * @param goodEnough stop trying further starts once the RMS relative residual is at most this
   */
  public FitResult fit(Circuit circuit, Spectrum s, double goodEnough) {
    FitResult best = null;
    for (int start = 0; start < starts; start++) {
      FitResult r = fitStart(circuit, s, start);
      if (best == null || (r.converged() && (!best.converged() || r.chiSquare() < best.chiSquare()))) {
        best = r;
      }
      if (best.converged() && best.rmsRelativeResidual() <= goodEnough) {
        break;
      }
    }
    return best;
  }

  /** Number of starts {@link #fit} tries at most. */
  public int starts() {
    return starts;
  }

  /**
   * One start: {@code start} 0 is the guess read off the spectrum, others are reproducible
   * log-normal perturbations of it (factor e^(1.5·N(0,1)) on every positive parameter).
   */
  public FitResult fitStart(Circuit circuit, Spectrum s, int start) {
    int n = s.size();
    int k = circuit.parameterCount();
    if (n < k + 1 || n < 3) {
      return FitResult.failed(circuit, n, "need more points (" + n + ") than parameters (" + k + ")");
    }
    double[] omega = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      omega[i] = 2 * Math.PI * s.frequencyHz()[i];
      w[i] = weighting == Weighting.MODULUS ? 1 / Math.max(s.modulus(i), 1e-300) : 1;
    }
    double[] p0 = InitialGuess.of(circuit, s);
    if (start > 0) {
      SplittableRandom rng = new SplittableRandom(start);
      for (int j = 0; j < k; j++) {
        if (!circuit.isExponent(j)) {
          p0[j] *= Math.exp(1.5 * rng.nextGaussian());
        }
      }
    }
    return fitFrom(circuit, s, omega, w, p0);
  }

  private FitResult fitFrom(Circuit c, Spectrum s, double[] omega, double[] w, double[] p0) {
    int n = s.size();
    int k = c.parameterCount();
    double[] z = new double[2];
    double[][] grad = new double[k][2];
    Circuit.Workspace ws = new Circuit.Workspace(c);
    MultivariateJacobianFunction model = u -> {
      double[] uu = u.toArray();
      double[] p = toParameters(c, uu);
      double[] dpdu = new double[k];
      for (int j = 0; j < k; j++) {
        dpdu[j] = derivative(c, j, uu[j]);
      }
      double[] r = new double[2 * n];
      double[][] jac = new double[2 * n][k];
      for (int i = 0; i < n; i++) {
        c.impedanceAndGradient(omega[i], p, z, grad, ws);
        r[2 * i] = (z[0] - s.zReOhm()[i]) * w[i];
        r[2 * i + 1] = (z[1] - s.zImOhm()[i]) * w[i];
        for (int j = 0; j < k; j++) {
          jac[2 * i][j] = grad[j][0] * dpdu[j] * w[i];
          jac[2 * i + 1][j] = grad[j][1] * dpdu[j] * w[i];
        }
      }
      return new Pair<>(new ArrayRealVector(r, false), new Array2DRowRealMatrix(jac, false));
    };
    LeastSquaresOptimizer.Optimum opt;
    try {
      opt = new LevenbergMarquardtOptimizer()
          .withCostRelativeTolerance(1e-9).withParameterRelativeTolerance(1e-7)
          .optimize(new LeastSquaresBuilder()
              .start(toUnconstrained(c, p0)).model(model).target(new double[2 * n])
              // Also stop when the RMS residual no longer moves: on noise-free data the cost tends
              // to 0 along an unidentifiable direction and relative cost tests never trigger.
              .checker(new EvaluationRmsChecker(1e-10, 1e-8 * typicalWeightedModulus(s, w)))
              .maxEvaluations(2000).maxIterations(2000).build());
    } catch (RuntimeException e) { // too many evaluations, NaN in the model: a result
      return FitResult.failed(c, n, "optimiser stopped: " + e.getMessage());
    }
    double[] u = opt.getPoint().toArray();
    double[] p = toParameters(c, u);
    if (!Arrays.stream(p).allMatch(Double::isFinite)) {
      return FitResult.failed(c, n, "non-finite parameters");
    }
    double chi2 = opt.getResiduals().dotProduct(opt.getResiduals());
    double[][] cov = covariance(c, opt.getJacobian(), u, chi2 / Math.max(1, 2 * n - k));
    boolean[] determined = determined(opt.getJacobian());
    double[] se = new double[k];
    for (int j = 0; j < k; j++) {
      se[j] = determined[j] && cov[j][j] > 0 ? Math.sqrt(cov[j][j]) : Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      c.impedance(omega[i], p, z);
      double m = s.modulus(i);
      sum += Math.pow((z[0] - s.zReOhm()[i]) / m, 2) + Math.pow((z[1] - s.zImOhm()[i]) / m, 2);
    }
    return new FitResult(c, true, "ok", p, se, cov, chi2, Math.sqrt(sum / (2 * n)), n);
  }

  /**
   * Whether each parameter is determined by the data: it lies mostly (≥ 50 %) in the span of
   * the singular directions of JᵀJ that are kept (σ &gt; 1e-10·σ_max). Sums such as the
   * high-frequency intercept R0 + R1 stay determined even when their parts are not.
   */
  private static boolean[] determined(RealMatrix jac) {
    int k = jac.getColumnDimension();
    boolean[] out = new boolean[k];
    try {
      SingularValueDecomposition svd = new SingularValueDecomposition(jac.transpose().multiply(jac));
      double[] sv = svd.getSingularValues();
      RealMatrix v = svd.getV();
      for (int j = 0; j < k; j++) {
        double captured = 0;
        for (int m = 0; m < k; m++) {
          if (sv[m] > sv[0] * 1e-10) {
            captured += v.getEntry(j, m) * v.getEntry(j, m);
          }
        }
        out[j] = captured >= 0.5;
      }
    } catch (RuntimeException e) {
      // nothing is known to be determined
    }
    return out;
  }

  /** Mean of w_i·|Z_i|: 1 under modulus weighting, the mean |Z| under unit weighting. */
  private static double typicalWeightedModulus(Spectrum s, double[] w) {
    double sum = 0;
    for (int i = 0; i < s.size(); i++) {
      sum += w[i] * s.modulus(i);
    }
    return sum / s.size();
  }

  /**
   * Covariance of the natural parameters: D·(JᵀJ)⁺·D·s², with D = diag(dp/du) and the
   * pseudo-inverse dropping directions the data do not constrain.
   */
  private static double[][] covariance(Circuit c, RealMatrix jac, double[] u, double s2) {
    int k = u.length;
    double[][] out = new double[k][k];
    try {
      SingularValueDecomposition svd = new SingularValueDecomposition(jac.transpose().multiply(jac));
      double[] sv = svd.getSingularValues();
      double tol = sv[0] * 1e-10;
      RealMatrix v = svd.getV();
      double[] d = new double[k];
      for (int j = 0; j < k; j++) {
        d[j] = derivative(c, j, u[j]);
      }
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          double sum = 0;
          for (int m = 0; m < k; m++) {
            if (sv[m] > tol) {
              sum += v.getEntry(a, m) * v.getEntry(b, m) / sv[m];
            }
          }
          out[a][b] = sum * s2 * d[a] * d[b];
        }
      }
    } catch (RuntimeException e) {
      for (double[] row : out) {
        Arrays.fill(row, Double.NaN);
      }
    }
    return out;
  }

  static double[] toParameters(Circuit c, double[] u) {
    double[] p = new double[u.length];
    for (int j = 0; j < u.length; j++) {
      p[j] = c.isExponent(j) ? N_MIN + (1 - N_MIN) / (1 + Math.exp(-u[j])) : Math.exp(u[j]);
    }
    return p;
  }

  private static double[] toUnconstrained(Circuit c, double[] p) {
    double[] u = new double[p.length];
    for (int j = 0; j < p.length; j++) {
      if (c.isExponent(j)) {
        double t = Math.min(Math.max((p[j] - N_MIN) / (1 - N_MIN), 1e-6), 1 - 1e-6);
        u[j] = Math.log(t / (1 - t));
      } else {
        u[j] = Math.log(Math.max(p[j], 1e-300));
      }
    }
    return u;
  }

  /** d p_j / d u_j of the parameterisation. */
  private static double derivative(Circuit c, int j, double u) {
    if (c.isExponent(j)) {
      double sg = 1 / (1 + Math.exp(-u));
      return (1 - N_MIN) * sg * (1 - sg);
    }
    return Math.exp(u);
  }
}
