package org.ionloop.planner.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

/**
 * Exact Gaussian-process regression for one objective: ARD Matérn-5/2 kernel on inputs in the
 * unit cube, outputs standardised to zero mean and unit variance, Gaussian noise learned from
 * the data or, where the lab knows it, held fixed (Rasmussen &amp; Williams, <i>Gaussian
 * Processes for Machine Learning</i>, 2006, Alg. 2.1). Hyper-parameters maximise the log
 * marginal likelihood plus log prior ({@link HyperparameterPrior}) by L-BFGS with analytic
 * gradients from several starts: the previous fit (warm start, with the optimiser's curvature
 * memory, so refitting after every result is cheap), the prior's mode and random draws.
 * Cholesky failures add jitter (1e-8 … 1e-4 of s²) before giving up.
 *
 * <p>Predictions are of the latent function (noise-free), in the objective's own units.
 * Instances are immutable and safe to share between threads.
 */
public final class GaussianProcess {

  /**
   * How hard to search for hyper-parameters.
   *
   * @param fromPriorMode also start from the prior's mode (besides any warm start)
   * @param randomStarts  further starts drawn near the prior's mode
   * @param gradientTolerance stop when every component of the gradient (with respect to the
   *                      log hyper-parameters) is below this
   * @param relativeValueTolerance or when an iteration improves the log posterior by less than
   *                      this times its magnitude
   */
  public record FitSettings(boolean fromPriorMode, int randomStarts, int maxIterations,
      double gradientTolerance, double relativeValueTolerance) {
    /**
     * Cold fit, and every fit up to 100 results: warm start (if any), the prior's mode and three
     * random starts.
     */
    public static final FitSettings THOROUGH = new FitSettings(true, 3, 100, 1e-5, 1e-10);
    /**
     * The planner's periodic check on a warm chain once data are plentiful: the warm start and
     * the prior's mode, converged tightly. Beyond 100 results the likelihood is sharply peaked:
     * on three lab-like data sets (N = 200, d = 8) all five starts of a thorough fit reached
     * the same optimum to 10⁻³ nats, and each random start cost 45–60 likelihood evaluations
     * (about 0.2 s), which made every 8th decision take a second.
     */
    public static final FitSettings PERIODIC = new FitSettings(true, 0, 100, 1e-5, 1e-10);
    /**
     * Refit after one more result: one more result moves the optimum only a little, so the
     * previous optimum, with the optimiser's curvature memory from reaching it, is a good start
     * (the planner still runs a thorough fit periodically, in case the landscape has changed).
     * It stops once an iteration gains less than 10⁻⁶ of the log posterior. Each warm fit goes
     * on from where the last one stopped, so a loose stop does not accumulate: over 50
     * successive refits at N = 150…200, d = 8, this took 7.2 likelihood evaluations per fit
     * (20.7 with a fresh memory and a 10⁻⁷ stop) and ended at most 2·10⁻³ nats below the
     * tightly converged optimum.
     */
    public static final FitSettings WARM = new FitSettings(false, 0, 30, 1e-5, 1e-6);
  }

  /**
   * Where the next fit, after a little more data, should start: these hyper-parameters, with the
   * optimiser's curvature memory from reaching them.
   */
  public record WarmStart(GpHyperparameters hyperparameters, List<double[][]> curvature) {}

  private final double[][] x;
  private final double yMean;
  private final double yScale;
  private final GpHyperparameters hyperparameters;
  private final double[] inverseLengthscaleSquared;
  /** Lᵀ of K = L Lᵀ, row-major: row j holds column j of L, so substitution runs along rows. */
  private final double[] choleskyTransposed;
  private final double[] alpha;
  private final double logMarginalLikelihood;
  /** The optimiser's curvature pairs at the fitted hyper-parameters; empty when not fitted. */
  private final List<double[][]> curvature;

  private GaussianProcess(double[][] x, double yMean, double yScale, GpHyperparameters hp,
      DMatrixRMaj cholesky, double[] alpha, double lml, List<double[][]> curvature) {
    this.x = x;
    this.yMean = yMean;
    this.yScale = yScale;
    this.hyperparameters = hp;
    this.inverseLengthscaleSquared = hp.inverseLengthscaleSquared();
    this.choleskyTransposed = CommonOps_DDRM.transpose(cholesky, null).data;
    this.alpha = alpha;
    this.logMarginalLikelihood = lml;
    this.curvature = curvature;
  }

  /**
   * Fits hyper-parameters and conditions on the data.
   *
   * @param x         inputs in the unit cube, n × d, n ≥ 1. Not modified.
   * @param y         outputs, n. Not modified.
   * @param warmStart the previous fit's {@link #warmStart()} (hyper-parameters and the
   *                  optimiser's curvature memory), or null
   * @throws IllegalArgumentException when no start gives a factorisable covariance
   */
  public static GaussianProcess fit(double[][] x, double[] y, WarmStart warmStart,
      FitSettings settings, RandomGenerator rng) {
    return fit(x, y, warmStart, settings, rng, Double.NaN);
  }

  /**
   * As {@link #fit(double[][], double[], WarmStart, FitSettings, RandomGenerator)}, with the
   * measurement noise known instead of learned (BoTorch's fixed-noise GP). On a handful of noisy
   * points the likelihood cannot tell noise from signal, and the learned noise falls to its
   * prior's small mode: the GP then threads through the noise and is confidently wrong. On noisy
   * BraninCurrin, the first 3 batches fitted a noise SD of 3–5 against the true 15.
   *
   * @param knownNoiseSd the noise's standard deviation in y's units, or NaN to learn it
   */
  public static GaussianProcess fit(double[][] x, double[] y, WarmStart warmStart,
      FitSettings settings, RandomGenerator rng, double knownNoiseSd) {
    if (!Double.isNaN(knownNoiseSd) && !(knownNoiseSd > 0 && Double.isFinite(knownNoiseSd))) {
      throw new IllegalArgumentException("known noise SD must be positive, got " + knownNoiseSd);
    }
    if (y.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException("need n ≥ 1 inputs and as many outputs, got "
          + x.length + " and " + y.length);
    }
    int d = x[0].length;
    double fixedLogNoise = Double.isNaN(knownNoiseSd) ? Double.NaN
        : HyperparameterPrior.clampLogNoise(2 * Math.log(knownNoiseSd / scale(y, mean(y))));
    MarginalLikelihood objective = new MarginalLikelihood(x, standardise(y), fixedLogNoise);
    List<double[]> starts = new ArrayList<>();
    boolean warm = warmStart != null && warmStart.hyperparameters().dimension() == d;
    if (warm) {
      starts.add(warmStart.hyperparameters().pack());
    }
    if (settings.fromPriorMode() || starts.isEmpty()) {
      starts.add(HyperparameterPrior.center(d).pack());
    }
    for (int i = 0; i < settings.randomStarts(); i++) {
      starts.add(HyperparameterPrior.draw(d, rng).pack());
    }
    Lbfgs lbfgs = new Lbfgs(8, settings.maxIterations(), settings.gradientTolerance(),
        settings.relativeValueTolerance());
    Lbfgs.Result best = null;
    for (int i = 0; i < starts.size(); i++) {
      Lbfgs.Result r = lbfgs.minimize(objective, starts.get(i),
          warm && i == 0 ? warmStart.curvature() : List.of());
      if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
        best = r;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("GP covariance not positive definite for any start");
    }
    double[] fitted = best.x().clone();
    if (!Double.isNaN(fixedLogNoise)) {
      fitted[d + 1] = fixedLogNoise; // the likelihood ignored this component
    }
    return condition(x, y, HyperparameterPrior.clamp(fitted), best.curvature());
  }

  /** Conditions on the data with fixed hyper-parameters (for tests and for replaying). */
  public static GaussianProcess condition(double[][] x, double[] y, GpHyperparameters hp) {
    return condition(x, y, hp, List.of());
  }

  private static GaussianProcess condition(double[][] x, double[] y, GpHyperparameters hp,
      List<double[][]> curvature) {
    int n = y.length;
    double[] standardised = standardise(y);
    double mean = mean(y);
    double scale = scale(y, mean);
    double[] inv = hp.inverseLengthscaleSquared();
    double s2 = hp.signalVariance();
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = s2 * MaternArdKernel.correlation(
            Math.sqrt(MaternArdKernel.scaledDistanceSquared(x[i], x[j], inv)));
        k.unsafe_set(i, j, v);
        k.unsafe_set(j, i, v);
      }
    }
    DMatrixRMaj l = choleskyWithJitter(k, s2 + hp.noiseVariance(), s2);
    if (l == null) {
      throw new IllegalArgumentException("GP covariance not positive definite: " + hp);
    }
    double[] alpha = new double[n];
    double lml = solveAndLogLikelihood(l, standardised, alpha);
    double[][] copy = new double[n][];
    for (int i = 0; i < n; i++) {
      copy[i] = x[i].clone();
    }
    return new GaussianProcess(copy, mean, scale, hp, l, alpha, lml, curvature);
  }

  /**
   * Lower Cholesky factor of K with {@code diagonal} (+ jitter) on its diagonal, or null.
   * {@code k}'s off-diagonal entries are read; k itself is not modified.
   */
  static DMatrixRMaj choleskyWithJitter(DMatrixRMaj k, double diagonal, double signalVariance) {
    int n = k.numRows;
    for (double jitter = 0; jitter <= 1e-4 * signalVariance;
        jitter = jitter == 0 ? 1e-8 * signalVariance : jitter * 10) {
      DMatrixRMaj a = k.copy();
      for (int i = 0; i < n; i++) {
        a.unsafe_set(i, i, diagonal + jitter);
      }
      CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
      if (chol.decompose(a)) {
        DMatrixRMaj l = chol.getT(null);
        return l;
      }
    }
    return null;
  }

  /**
   * Given K = L Lᵀ, writes α = K⁻¹y into {@code alpha} and returns the log marginal likelihood
   * −½ yᵀα − Σ log L_ii − n/2 log 2π.
   */
  static double solveAndLogLikelihood(DMatrixRMaj l, double[] y, double[] alpha) {
    int n = y.length;
    System.arraycopy(y, 0, alpha, 0, n);
    TriangularSolver_DDRM.solveL(l.data, alpha, n);
    double fit = 0;
    double halfLogDet = 0;
    for (int i = 0; i < n; i++) {
      fit += alpha[i] * alpha[i];
      halfLogDet += Math.log(l.unsafe_get(i, i));
    }
    TriangularSolver_DDRM.solveTranL(l.data, alpha, n);
    return -0.5 * fit - halfLogDet - 0.5 * n * Math.log(2 * Math.PI);
  }

  /** Prior covariance k(a, b) on the standardised scale. */
  double kernel(double[] a, double[] b) {
    return hyperparameters.signalVariance() * MaternArdKernel.correlation(
        Math.sqrt(MaternArdKernel.scaledDistanceSquared(a, b, inverseLengthscaleSquared)));
  }

  /**
   * What a prediction at {@code u} needs: its standardised mean and the whitened cross-covariance
   * v = L⁻¹ k(X, u), from which variances and covariances with other points follow.
   */
  public record Projection(double standardisedMean, double[] whitened, double priorVariance) {}

  public Projection project(double[] u) {
    int n = x.length;
    double[] kx = new double[n];
    double mu = 0;
    for (int i = 0; i < n; i++) {
      kx[i] = kernel(u, x[i]);
      mu += kx[i] * alpha[i];
    }
    forwardSubstitute(choleskyTransposed, kx, n);
    return new Projection(mu, kx, hyperparameters.signalVariance());
  }

  /**
   * Solves L v = b in place, given Lᵀ row-major. Column-oriented: once v_j is known it is
   * subtracted from all later entries in one contiguous loop, which the JIT vectorises; the
   * row-oriented dot-product form cannot be (its sums must keep their order). The acquisition
   * projects every point it tries, so this is the planner's inner loop.
   */
  static void forwardSubstitute(double[] upper, double[] b, int n) {
    for (int j = 0; j < n; j++) {
      int row = j * n;
      double v = b[j] / upper[row + j];
      b[j] = v;
      for (int i = j + 1; i < n; i++) {
        b[i] -= v * upper[row + i];
      }
    }
  }

  /**
   * Posterior mean and an upper bound of the posterior standard deviation at u (objective
   * units), in O(N·d) instead of a prediction's O(N²): the bound is the variance given only the
   * observation most correlated with u, which conditioning on all the others can only lower.
   * For screening many rows before the exact acquisition looks at the promising ones.
   */
  public double[] meanAndSdBound(double[] u) {
    double mu = 0;
    double nearest = 0;
    for (int i = 0; i < x.length; i++) {
      double k = kernel(u, x[i]);
      mu += k * alpha[i];
      nearest = Math.max(nearest, k);
    }
    double prior = hyperparameters.signalVariance();
    double var = prior - nearest * nearest / (prior + hyperparameters.noiseVariance());
    return new double[] {toUnits(mu), yScale * Math.sqrt(Math.max(var, 1e-12 * prior))};
  }

  /** Posterior mean and variance of the latent function at u (objective units). */
  public double[] predict(double[] u) {
    Projection p = project(u);
    return new double[] {toUnits(p.standardisedMean()), variance(p)};
  }

  /** Posterior variance of the latent function at a projected point (objective units). */
  public double variance(Projection p) {
    double var = p.priorVariance() - dot(p.whitened(), p.whitened());
    return yScale * yScale * Math.max(var, 1e-12 * p.priorVariance());
  }

  /** Posterior covariance between two projected points (objective units). */
  public double covariance(double[] a, Projection pa, double[] b, Projection pb) {
    return yScale * yScale * (kernel(a, b) - dot(pa.whitened(), pb.whitened()));
  }

  /**
   * Joint posterior of the latent function at {@code points}: means and covariance matrix
   * (objective units), for drawing correlated samples.
   */
  public double[][] jointCovariance(double[][] points, double[] meansOut) {
    Projection[] p = new Projection[points.length];
    for (int i = 0; i < points.length; i++) {
      p[i] = project(points[i]);
    }
    return jointCovariance(points, p, meansOut);
  }

  /** As {@link #jointCovariance(double[][], double[])} for points already projected. */
  public double[][] jointCovariance(double[][] points, Projection[] p, double[] meansOut) {
    int m = points.length;
    for (int i = 0; i < m; i++) {
      meansOut[i] = toUnits(p[i].standardisedMean());
    }
    double[][] cov = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double c = covariance(points[i], p[i], points[j], p[j]);
        cov[i][j] = c;
        cov[j][i] = c;
      }
    }
    return cov;
  }

  /** Standardised mean to objective units. */
  public double toUnits(double standardisedMean) {
    return yMean + yScale * standardisedMean;
  }

  /** The measurement noise's standard deviation the GP assumes, in the objective's units. */
  public double noiseSd() {
    return yScale * Math.sqrt(hyperparameters.noiseVariance());
  }

  /** Standard deviation of the outputs, the factor from standardised to objective units. */
  public double outputScale() {
    return yScale;
  }

  public GpHyperparameters hyperparameters() {
    return hyperparameters;
  }

  /** Where a refit after more data should start. */
  public WarmStart warmStart() {
    return new WarmStart(hyperparameters, curvature);
  }

  /** Log marginal likelihood of the standardised data at the fitted hyper-parameters. */
  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double mean(double[] y) {
    double m = 0;
    for (double v : y) {
      m += v;
    }
    return m / y.length;
  }

  private static double scale(double[] y, double mean) {
    double var = 0;
    for (double v : y) {
      var += (v - mean) * (v - mean);
    }
    var /= y.length;
    return var > 1e-24 ? Math.sqrt(var) : 1;
  }

  private static double[] standardise(double[] y) {
    double m = mean(y);
    double s = scale(y, m);
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = (y[i] - m) / s;
    }
    return out;
  }
}
