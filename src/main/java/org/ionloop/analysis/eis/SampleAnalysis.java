package org.ionloop.analysis.eis;

import java.util.ArrayList;
import java.util.List;

/**
 * From a sample's spectra to its result: fit every spectrum, σ(T) = L/(R·A) from the pellet
 * geometry, then an Arrhenius fit over the temperatures whose fits converged.
 */
public final class SampleAnalysis {
  private final CircuitFitter fitter = new CircuitFitter();

  /** One temperature: the fit and the conductivity it gives (NaN when the fit failed). */
  public record Measurement(double temperatureC, FitResult fit, double sigmaSPerCm) {}

  /**
   * @param arrhenius null when fewer than two temperatures gave a usable fit
   * @param problem   why there is no Arrhenius result, or null
   */
  public record Result(List<Measurement> measurements, ArrheniusFit.Result arrhenius,
      String problem) {}

  public Result analyse(List<Spectrum> spectra, double thicknessMm, double diameterMm) {
    List<Measurement> ms = new ArrayList<>();
    List<Double> temps = new ArrayList<>();
    List<Double> sigmas = new ArrayList<>();
    for (Spectrum s : spectra) {
      FitResult fit = fitter.fit(s);
      double sigma = fit.converged() && fit.resistanceOhm() > 0
          ? Conductivity.sigmaSPerCm(fit.resistanceOhm(), thicknessMm, diameterMm) : Double.NaN;
      ms.add(new Measurement(s.temperatureC(), fit, sigma));
      if (Double.isFinite(sigma)) {
        temps.add(s.temperatureC());
        sigmas.add(sigma);
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
