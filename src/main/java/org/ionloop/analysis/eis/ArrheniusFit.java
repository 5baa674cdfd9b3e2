package org.ionloop.analysis.eis;

/**
 * Arrhenius fit of ionic conductivity: σ·T = A·exp(−Ea / (k_B·T)), a straight line of ln(σT)
 * against 1/T (ordinary least squares). Gives Ea (eV) and σ at 25 °C with standard errors.
 */
public final class ArrheniusFit {
  private static final double K_B = 8.617333262e-5;
  private static final double T25 = 298.15;

  /**
   * @param eaEv               activation energy, eV
   * @param eaStdErrEv         its standard error (NaN with only two points)
   * @param log10Sigma25       log10 of σ at 25 °C, S/cm
   * @param log10Sigma25StdErr its standard error
   * @param points             number of temperatures used
   * @param meanInverseT       mean of 1/T over the points, 1/K (NaN when not known)
   * @param sxx                Σ(1/T − mean)², 1/K² (for the standard error at other temperatures)
   * @param residualVariance   residual variance of ln(σT) (NaN with only two points)
   */
  public record Result(double eaEv, double eaStdErrEv, double log10Sigma25,
      double log10Sigma25StdErr, int points, double meanInverseT, double sxx,
      double residualVariance) {
    /** A fit known only by its summary (without what a standard error elsewhere needs). */
    public Result(double eaEv, double eaStdErrEv, double log10Sigma25, double log10Sigma25StdErr,
        int points) {
      this(eaEv, eaStdErrEv, log10Sigma25, log10Sigma25StdErr, points, Double.NaN, Double.NaN, Double.NaN);
    }

    /** log10 of σ (S/cm) at a cell temperature, on the fitted line of ln(σT) against 1/T. */
    public double log10SigmaAt(double temperatureC) {
      double t = temperatureC + 273.15;
      double lnSigmaT = (log10Sigma25 * Math.log(10) + Math.log(T25)) - eaEv / K_B * (1 / t - 1 / T25);
      return (lnSigmaT - Math.log(t)) / Math.log(10);
    }

    /** The standard error of {@link #log10SigmaAt} (the line's confidence at that 1/T). */
    public double log10SigmaStdErrAt(double temperatureC) {
      double x = 1 / (temperatureC + 273.15);
      if (Math.abs(x - 1 / T25) < 1e-12) {
        return log10Sigma25StdErr; // the fit's own figure, also for a fit known only by its summary
      }
      if (Double.isNaN(sxx)) {
        return Double.NaN;
      }
      return Math.sqrt(residualVariance * (1.0 / points + (x - meanInverseT) * (x - meanInverseT) / sxx))
          / Math.log(10);
    }
  }

  private ArrheniusFit() {}

  /**
   * @param temperaturesC cell temperatures, °C. Not modified.
   * @param sigmasSPerCm  conductivities at those temperatures, S/cm. Not modified.
   * @throws IllegalArgumentException with fewer than two distinct temperatures or σ ≤ 0
   */
  public static Result fit(double[] temperaturesC, double[] sigmasSPerCm) {
    int n = temperaturesC.length;
    if (n < 2 || sigmasSPerCm.length != n) {
      throw new IllegalArgumentException("need ≥ 2 temperatures with one σ each, got " + n);
    }
    double[] x = new double[n];
    double[] y = new double[n];
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      if (!(sigmasSPerCm[i] > 0)) {
        throw new IllegalArgumentException("sigmasSPerCm[" + i + "] must be > 0");
      }
      double t = temperaturesC[i] + 273.15;
      x[i] = 1 / t;
      y[i] = Math.log(sigmasSPerCm[i] * t);
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx == 0) {
      throw new IllegalArgumentException("temperaturesC must contain two distinct values");
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    double rss = 0;
    for (int i = 0; i < n; i++) {
      double r = y[i] - (intercept + slope * x[i]);
      rss += r * r;
    }
    double s2 = n > 2 ? rss / (n - 2) : Double.NaN;
    double seSlope = Math.sqrt(s2 / sxx);
    double x25 = 1 / T25;
    double lnSigmaT25 = intercept + slope * x25;
    double seAt25 = Math.sqrt(s2 * (1.0 / n + (x25 - mx) * (x25 - mx) / sxx));
    double log10Sigma25 = (lnSigmaT25 - Math.log(T25)) / Math.log(10);
    return new Result(-slope * K_B, seSlope * K_B, log10Sigma25, seAt25 / Math.log(10), n, mx, sxx, s2);
  }
}
