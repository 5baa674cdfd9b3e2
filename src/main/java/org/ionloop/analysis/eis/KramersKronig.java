package org.ionloop.analysis.eis;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealVector;

/**
 * Linear Kramers–Kronig test (Lin-KK; Schönleber, Klotz &amp; Ivers-Tiffée, Electrochim. Acta
 * 131, 20, 2014; after Boukamp, J. Electrochem. Soc. 142, 1885, 1995). The spectrum is fitted,
 * linearly, by a KK-compliant Voigt chain
 * <pre>  Z(ω) = R0 + jωL + 1/(jωC) + Σ_k R_k / (1 + jωτ_k),  τ_k log-spaced in [1/ω_max, 1/ω_min]  </pre>
 * (the capacitance admits blocking electrodes). Over-fitting shows as negative R_k, measured by
 * μ = 1 − Σ_{R_k&lt;0}|R_k| / Σ_{R_k≥0}|R_k|. Schönleber's rule stops at the first M with μ below
 * c = 0.85; on narrow (ideal RC) relaxations that fall between the τ grid points that rule stops
 * with a poor fit, so ionloop scans M from one element per decade to 2n/3 and keeps the fit of
 * lowest residual among those with μ ≥ {@link #MIN_MU}. Residuals relative to |Z| that stay small
 * mean the data are consistent with a linear, causal, stable system; a drift during the sweep
 * shows up as a smooth, correlated residual.
 */
public final class KramersKronig {
  /** Fits with μ below this are over-fitted and not considered. */
  public static final double MIN_MU = 0.5;
  /** Residuals below this RMS are valid whatever their shape. */
  public static final double QUIET_RMS = 0.005;
  /** Residuals above this RMS are invalid whatever their shape. */
  public static final double MAX_RMS = 0.05;
  /** Between the two, residuals correlated from one frequency to the next beyond this are a trend. */
  public static final double MAX_CORRELATION = 0.5;

  /**
   * @param valid       RMS ≤ {@link #QUIET_RMS}, or RMS ≤ {@link #MAX_RMS} with residuals that look
   *                    like noise (lag-1 autocorrelation ≤ {@link #MAX_CORRELATION}): a drift or
   *                    non-linearity leaves a smooth trend, measurement noise does not
   * @param elements    M, the number of RC elements used
   * @param mu          μ at that M
   * @param rmsResidual RMS of the relative residuals (real and imaginary)
   * @param maxResidual largest absolute relative residual
   */
  public record Result(boolean valid, int elements, double mu, double rmsResidual,
      double maxResidual, double correlation) {}

  private KramersKronig() {}

  public static Result test(Spectrum s) {
    int n = s.size();
    int maxM = Math.max(3, Math.min(n - 4, 2 * n / 3));
    double fMax = java.util.Arrays.stream(s.frequencyHz()).max().orElse(1);
    double fMin = java.util.Arrays.stream(s.frequencyHz()).min().orElse(1);
    // Fewer than one element per decade cannot follow any spectrum, and negative R_k appear there
    // for reasons unrelated to over-fitting; start at one per decade.
    int minM = Math.min(maxM, Math.max(3, (int) Math.ceil(Math.log10(fMax / fMin)) + 1));
    Result best = null;
    int overfitted = 0;
    for (int m = minM; m <= maxM && overfitted < 3; m++) {
      Result r = fit(s, m);
      if (r.mu() >= MIN_MU && (best == null || r.rmsResidual() < best.rmsResidual())) {
        best = r;
      }
      // μ falls as M grows past what the data support; three in a row below MIN_MU end the scan.
      overfitted = r.mu() < MIN_MU ? overfitted + 1 : 0;
    }
    return best != null ? best : fit(s, minM);
  }

  private static Result fit(Spectrum s, int m) {
    int n = s.size();
    double wMax = s.maxOmega();
    double wMin = s.minOmega();
    double[] tau = new double[m];
    for (int k = 0; k < m; k++) {
      tau[k] = Math.exp(Math.log(1 / wMax) + (Math.log(1 / wMin) - Math.log(1 / wMax)) * k / (m - 1));
    }
    int cols = 3 + m; // R0, L, 1/C, R_k
    double[][] a = new double[2 * n][cols];
    double[] b = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double w = 2 * Math.PI * s.frequencyHz()[i];
      double weight = 1 / s.modulus(i);
      a[2 * i][0] = weight;
      a[2 * i + 1][1] = w * weight;
      a[2 * i + 1][2] = -weight / w;
      for (int k = 0; k < m; k++) {
        double wt = w * tau[k];
        double d = 1 + wt * wt;
        a[2 * i][3 + k] = weight / d;
        a[2 * i + 1][3 + k] = -weight * wt / d;
      }
      b[2 * i] = s.zReOhm()[i] * weight;
      b[2 * i + 1] = s.zImOhm()[i] * weight;
    }
    Array2DRowRealMatrix am = new Array2DRowRealMatrix(a, false);
    RealVector x = new QRDecomposition(am, 1e-14).getSolver().solve(new ArrayRealVector(b, false));
    double pos = 0;
    double neg = 0;
    for (int k = 0; k < m; k++) {
      double r = x.getEntry(3 + k);
      if (r >= 0) {
        pos += r;
      } else {
        neg -= r;
      }
    }
    double mu = pos > 0 ? 1 - neg / pos : 0;
    RealVector res = am.operate(x).subtract(new ArrayRealVector(b, false));
    double sum = 0;
    double max = 0;
    for (int i = 0; i < 2 * n; i++) {
      double r = res.getEntry(i);
      sum += r * r;
      max = Math.max(max, Math.abs(r));
    }
    double rms = Math.sqrt(sum / (2 * n));
    double corr = Math.max(lagOneCorrelation(res, 0), lagOneCorrelation(res, 1));
    boolean valid = rms <= QUIET_RMS || (rms <= MAX_RMS && corr <= MAX_CORRELATION);
    return new Result(valid, m, mu, rms, max, corr);
  }

  /** Lag-1 autocorrelation of the real (part 0) or imaginary (part 1) residuals in sweep order. */
  private static double lagOneCorrelation(RealVector res, int part) {
    int n = res.getDimension() / 2;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += res.getEntry(2 * i + part) / n;
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      double d = res.getEntry(2 * i + part) - mean;
      den += d * d;
      if (i > 0) {
        num += d * (res.getEntry(2 * (i - 1) + part) - mean);
      }
    }
    return den > 0 ? num / den : 0;
  }
}
