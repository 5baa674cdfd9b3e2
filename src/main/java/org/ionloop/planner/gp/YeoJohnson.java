package org.ionloop.planner.gp;

/**
 * A monotone power transform of one objective's values, fitted to make them look normal
 * (Yeo &amp; Johnson, Biometrika 2000), applied before a GP is fitted: HEBO's output warping
 * (Cowen-Rivers et al., JAIR 2022). Values are first standardised; λ maximises the normal
 * profile likelihood of the transformed values over [{@value #MIN_LAMBDA}, {@value #MAX_LAMBDA}].
 *
 * <p>Why: a stationary GP gives one scale of variation everywhere. Where the values are skewed —
 * overpotentials of catalyst plates, with a long tail of poor rows — the tail dominates the fit:
 * the differences between the few good rows are small against it and read as noise. The
 * transform spreads the good end and compresses the tail. It is monotone, so the best rows and
 * the Pareto front stay the same.
 */
public final class YeoJohnson {
  static final double MIN_LAMBDA = -2;
  static final double MAX_LAMBDA = 4;

  private final double mean;
  private final double scale;
  private final double lambda;

  private YeoJohnson(double mean, double scale, double lambda) {
    this.mean = mean;
    this.scale = scale;
    this.lambda = lambda;
  }

  /** The identity (what a fit on fewer than three distinct values gives). */
  public static YeoJohnson identity() {
    return new YeoJohnson(0, 1, 1);
  }

  /** Fits the transform to {@code values} (at least one; fewer than three distinct: identity). */
  public static YeoJohnson fit(double[] values) {
    int n = values.length;
    double m = 0;
    for (double v : values) {
      m += v;
    }
    m /= n;
    double ss = 0;
    for (double v : values) {
      ss += (v - m) * (v - m);
    }
    double sd = Math.sqrt(ss / n);
    if (n < 3 || !(sd > 0) || !Double.isFinite(sd)) {
      return identity();
    }
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = (values[i] - m) / sd;
    }
    // The profile likelihood is smooth and, in practice, unimodal in λ: golden-section search.
    double a = MIN_LAMBDA;
    double b = MAX_LAMBDA;
    double g = (Math.sqrt(5) - 1) / 2;
    double c = b - g * (b - a);
    double d = a + g * (b - a);
    double fc = profileLogLikelihood(z, c);
    double fd = profileLogLikelihood(z, d);
    while (b - a > 1e-4) {
      if (fc >= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = profileLogLikelihood(z, c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = profileLogLikelihood(z, d);
      }
    }
    return new YeoJohnson(m, sd, 0.5 * (a + b));
  }

  /** Whether this transform leaves every value as it is. */
  public boolean isIdentity() {
    return mean == 0 && scale == 1 && lambda == 1;
  }

  /** λ of the fitted transform (1: no change of shape). */
  public double lambda() {
    return lambda;
  }

  /** The transformed value of {@code v} (any real number). */
  public double apply(double v) {
    if (isIdentity()) {
      return v; // exactly: a campaign without a warp must plan as it did before warps existed
    }
    return transform((v - mean) / scale, lambda);
  }

  /** Transforms every value. */
  public double[] apply(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = apply(values[i]);
    }
    return out;
  }

  /** The value whose transform is {@code t}: the inverse, for reporting in the objective's units. */
  public double invert(double t) {
    if (isIdentity()) {
      return t;
    }
    double z;
    if (t >= 0) {
      z = Math.abs(lambda) < 1e-9 ? Math.expm1(t) : Math.pow(lambda * t + 1, 1 / lambda) - 1;
    } else {
      double l2 = 2 - lambda;
      z = Math.abs(l2) < 1e-9 ? -Math.expm1(-t) : 1 - Math.pow(1 - l2 * t, 1 / l2);
    }
    return mean + scale * z;
  }

  static double transform(double z, double lambda) {
    if (z >= 0) {
      return Math.abs(lambda) < 1e-9 ? Math.log1p(z) : (Math.pow(z + 1, lambda) - 1) / lambda;
    }
    double l2 = 2 - lambda;
    return Math.abs(l2) < 1e-9 ? -Math.log1p(-z) : -(Math.pow(1 - z, l2) - 1) / l2;
  }

  /** Normal log-likelihood of the transformed values, maximised over mean and variance. */
  static double profileLogLikelihood(double[] z, double lambda) {
    int n = z.length;
    double m = 0;
    double jacobian = 0;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = transform(z[i], lambda);
      m += t[i];
      jacobian += Math.signum(z[i]) * Math.log1p(Math.abs(z[i]));
    }
    m /= n;
    double ss = 0;
    for (double v : t) {
      ss += (v - m) * (v - m);
    }
    if (!(ss > 0) || !Double.isFinite(ss)) {
      return Double.NEGATIVE_INFINITY;
    }
    return -0.5 * n * Math.log(ss / n) + (lambda - 1) * jacobian;
  }
}
