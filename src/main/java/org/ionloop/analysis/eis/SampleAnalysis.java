package org.ionloop.analysis.eis;

import java.util.ArrayList;
import java.util.List;

/**
 * From a sample's spectra to its result. For every spectrum: fit each candidate circuit, keep the
 * one with the lowest AIC, estimate the resistance explicitly ({@link ResistanceEstimate}), run
 * the Kramers–Kronig test, and compute σ = L/(R·A) with its standard error. Then an Arrhenius fit
 * over the temperatures with a usable σ.
 */
public final class SampleAnalysis {
  /** Circuits tried by default: one arc or two (bulk + grain boundary), blocking electrode. */
  public static final List<Circuit> DEFAULT_CIRCUITS = List.of(
      Circuit.parse("R0-p(R1,CPE1)-CPE2"), Circuit.parse("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"));

  private final CnlsFitter fitter = new CnlsFitter();
  private final List<Circuit> circuits;
  private final ResistanceEstimate.Mode mode;

  public SampleAnalysis() {
    this(DEFAULT_CIRCUITS, ResistanceEstimate.Mode.BULK);
  }

  public SampleAnalysis(List<Circuit> circuits, ResistanceEstimate.Mode mode) {
    this.circuits = List.copyOf(circuits);
    this.mode = mode;
  }

  /** One temperature: the chosen fit, the resistance used, the KK verdict and σ (S/cm). */
  public record Measurement(double temperatureC, FitResult fit, ResistanceEstimate resistance,
      KramersKronig.Result kk, double sigmaSPerCm, double sigmaStdErr) {}

  /**
   * @param arrhenius null when fewer than two temperatures gave a usable σ
   * @param problem   why there is no Arrhenius result, or null
   */
  public record Result(List<Measurement> measurements, ArrheniusFit.Result arrhenius, String problem) {}

  /**
   * Fits every candidate circuit and returns the converged fit of lowest AIC (or the first
   * failure). Extra starts stop once a fit is within 20 % of the Kramers–Kronig residual, which
   * is as close as any KK-consistent model gets to these data.
   */
  public FitResult bestFit(Spectrum s, KramersKronig.Result kk) {
    double goodEnough = 1.2 * kk.rmsResidual() + 1e-4;
    FitResult best = null;
    for (Circuit c : circuits) {
      FitResult f = fitter.fit(c, s, goodEnough);
      if (best == null || (f.converged() && (!best.converged() || f.aic() < best.aic()))) {
        best = f;
      }
    }
    return best;
  }

  /** Analyses one spectrum of a pellet. */
  public Measurement measure(Spectrum s, double thicknessMm, double diameterMm) {
    KramersKronig.Result kk = KramersKronig.test(s);
    FitResult fit = bestFit(s, kk);
    double maxOmega = 0;
    double minOmega = Double.POSITIVE_INFINITY;
    for (double f : s.frequencyHz()) {
      maxOmega = Math.max(maxOmega, 2 * Math.PI * f);
      minOmega = Math.min(minOmega, 2 * Math.PI * f);
    }
    if (!fit.converged()) {
      return new Measurement(s.temperatureC(), fit, null, kk, Double.NaN, Double.NaN);
    }
    ResistanceEstimate r = ResistanceEstimate.of(fit, minOmega, maxOmega, mode);
    double sigma = r.ohm() > 0 ? Conductivity.sigmaSPerCm(r.ohm(), thicknessMm, diameterMm) : Double.NaN;
    return new Measurement(s.temperatureC(), fit, r, kk, sigma, sigma * r.stdErrOhm() / r.ohm());
  }

  public Result analyse(List<Spectrum> spectra, double thicknessMm, double diameterMm) {
    List<Measurement> ms = new ArrayList<>();
    List<Double> temps = new ArrayList<>();
    List<Double> sigmas = new ArrayList<>();
    for (Spectrum s : spectra) {
      Measurement m = measure(s, thicknessMm, diameterMm);
      ms.add(m);
      if (Double.isFinite(m.sigmaSPerCm())) {
        temps.add(s.temperatureC());
        sigmas.add(m.sigmaSPerCm());
      }
    }
    if (temps.size() < 2) {
      return new Result(ms, null, "only " + temps.size() + " of " + spectra.size()
          + " spectra gave a converged fit; need 2 temperatures for Arrhenius");
    }
    ArrheniusFit.Result a = ArrheniusFit.fit(temps.stream().mapToDouble(Double::doubleValue).toArray(),
        sigmas.stream().mapToDouble(Double::doubleValue).toArray());
    return new Result(ms, a, null);
  }
}
