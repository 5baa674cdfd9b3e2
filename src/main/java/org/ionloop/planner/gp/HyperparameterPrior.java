package org.ionloop.planner.gp;

/**
 * Priors that keep hyper-parameters sane on few points. As in GPyTorch, the log-density of each
 * prior is evaluated at the parameter itself (ℓ, s², σ²) and added to the log marginal
 * likelihood; the optimiser moves the logarithms. The priors:
 * <ul>
 *   <li>ℓ_k ~ LogNormal(√2 + ½ log d, √3): the dimension-scaled prior of Hvarfner, Hellsten &amp;
 *       Nardi (ICML 2024), BoTorch's default since 0.12; its maximum in log ℓ lies at
 *       √2 + ½ log d − 3 (ℓ ≈ 0.29 for d = 2, 0.58 for d = 8 on the unit cube). Longer
 *       lengthscales in high d stop the GP from explaining every point with its own bump.</li>
 *   <li>s² ~ Gamma(2, rate 0.15) on the standardised scale (BoTorch's former default).</li>
 *   <li>σ²_n ~ LogNormal(−4, 1): a little noise is expected; lots must be earned by the data.</li>
 * </ul>
 * The optimiser works unconstrained; the parameters are clamped into wide boxes when
 * evaluated (see {@link #clamp}).
 */
public final class HyperparameterPrior {
  static final double LOG_LENGTHSCALE_SD = Math.sqrt(3);
  static final double LOG_NOISE_MEAN = -4;
  static final double LOG_NOISE_SD = 1;
  static final double SIGNAL_SHAPE = 2;
  static final double SIGNAL_RATE = 0.15;

  static final double MIN_LOG_LENGTHSCALE = Math.log(0.005);
  static final double MAX_LOG_LENGTHSCALE = Math.log(200);
  static final double MIN_LOG_SIGNAL = Math.log(0.01);
  static final double MAX_LOG_SIGNAL = Math.log(100);
  static final double MIN_LOG_NOISE = Math.log(GpHyperparameters.MIN_NOISE_VARIANCE);
  static final double MAX_LOG_NOISE = Math.log(4);

  private HyperparameterPrior() {}

  static double logLengthscaleMean(int d) {
    return Math.sqrt(2) + 0.5 * Math.log(d);
  }

  /** The prior's mode in log space: a deterministic first start for the optimiser. */
  public static GpHyperparameters center(int d) {
    double[] ls = new double[d];
    java.util.Arrays.fill(ls, logLengthscaleMode(d));
    return new GpHyperparameters(ls, 0, LOG_NOISE_MEAN - LOG_NOISE_SD * LOG_NOISE_SD);
  }

  static double logLengthscaleMode(int d) {
    return logLengthscaleMean(d) - LOG_LENGTHSCALE_SD * LOG_LENGTHSCALE_SD;
  }

  /** A random start near the prior's mode, clamped to the boxes. */
  public static GpHyperparameters draw(int d, java.util.random.RandomGenerator rng) {
    double[] ls = new double[d];
    for (int k = 0; k < d; k++) {
      ls[k] = logLengthscaleMode(d) + 0.7 * rng.nextGaussian();
    }
    return clamp(new GpHyperparameters(ls, 0.3 * rng.nextGaussian(),
        LOG_NOISE_MEAN - 1 + rng.nextGaussian()).pack());
  }

  /**
   * Log-prior density (up to a constant) at packed log parameters; its gradient with respect to
   * the packed parameters is added into {@code gradient}.
   */
  static double logDensity(double[] p, double[] gradient) {
    int d = p.length - 2;
    double mu = logLengthscaleMean(d);
    double v = 0;
    for (int k = 0; k < d; k++) {
      // LogNormal log-pdf at ℓ = e^θ: −θ − (θ − μ)²/(2σ²)
      double z = (p[k] - mu) / LOG_LENGTHSCALE_SD;
      v += -p[k] - 0.5 * z * z;
      gradient[k] += -1 - z / LOG_LENGTHSCALE_SD;
    }
    // Gamma log-pdf at s² = e^θ: (a − 1)θ − b e^θ
    double s = Math.exp(p[d]);
    v += (SIGNAL_SHAPE - 1) * p[d] - SIGNAL_RATE * s;
    gradient[d] += (SIGNAL_SHAPE - 1) - SIGNAL_RATE * s;
    double zn = (p[d + 1] - LOG_NOISE_MEAN) / LOG_NOISE_SD;
    v += -p[d + 1] - 0.5 * zn * zn;
    gradient[d + 1] += -1 - zn / LOG_NOISE_SD;
    return v;
  }

  /** Clamps packed parameters into the allowed boxes. */
  static GpHyperparameters clamp(double[] p) {
    double[] c = p.clone();
    int d = p.length - 2;
    for (int k = 0; k < d; k++) {
      c[k] = Math.max(MIN_LOG_LENGTHSCALE, Math.min(MAX_LOG_LENGTHSCALE, c[k]));
    }
    c[d] = Math.max(MIN_LOG_SIGNAL, Math.min(MAX_LOG_SIGNAL, c[d]));
    c[d + 1] = clampLogNoise(c[d + 1]);
    return GpHyperparameters.unpack(c);
  }

  /** A log noise variance clamped into its allowed box. */
  static double clampLogNoise(double logNoise) {
    return Math.max(MIN_LOG_NOISE, Math.min(MAX_LOG_NOISE, logNoise));
  }
}
