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

  /**
   * One temperature: the chosen fit, the resistance used, the KK verdict and σ (S/cm).
   *
   * @param resistanceStdErrOhm the resistance's standard error as far as the data pin it down: the
   *     best fit's (Jacobian) error and half the range the equally good fits span, in quadrature —
   *     so a bulk resistance that moves 2× between equally good fits is not reported as known to 1 %
   * @param sigmaStdErr σ's standard error, from {@code resistanceStdErrOhm}
   * @param alternatives the equally good fits ({@link #equallyGoodFits}); empty when none converged
   */
  public record Measurement(double temperatureC, FitResult fit, ResistanceEstimate resistance,
      KramersKronig.Result kk, double sigmaSPerCm, double sigmaStdErr, double resistanceStdErrOhm,
      List<Alternative> alternatives) {}

  /**
   * @param arrhenius null when fewer than two temperatures gave a usable σ
   * @param problem   why there is no Arrhenius result, or null
   */
  public record Result(List<Measurement> measurements, ArrheniusFit.Result arrhenius, String problem) {}

  /**
   * Fits the candidate circuits, simplest first, one start at a time in turn, and returns the
   * converged fit of lowest AIC. It stops as soon as a fit comes within 20 % of the
   * Kramers–Kronig residual — as close as any KK-consistent model gets to these data — so a
   * more complex circuit is only tried further while the simpler ones fall short.
   */
  public FitResult bestFit(Spectrum s, KramersKronig.Result kk) {
    double goodEnough = 1.2 * kk.rmsResidual() + 1e-4;
    List<Circuit> order = circuits.stream()
        .sorted(java.util.Comparator.comparingInt(Circuit::parameterCount)).toList();
    FitResult[] best = new FitResult[order.size()];
    for (int start = 0; start < fitter.starts(); start++) {
      for (int i = 0; i < order.size(); i++) {
        FitResult f = fitter.fitStart(order.get(i), s, start);
        if (best[i] == null || (f.converged() && (!best[i].converged() || f.chiSquare() < best[i].chiSquare()))) {
          best[i] = f;
        }
        if (f.converged() && f.rmsRelativeResidual() <= goodEnough) {
          return lowestAic(best);
        }
      }
    }
    return lowestAic(best);
  }

  private static FitResult lowestAic(FitResult[] fits) {
    FitResult best = null;
    for (FitResult f : fits) {
      if (f != null && (best == null || (f.converged() && (!best.converged() || f.aic() < best.aic())))) {
        best = f;
      }
    }
    return best;
  }

  /** Analyses one spectrum of a pellet. */
  public Measurement measure(Spectrum s, double thicknessMm, double diameterMm) {
    KramersKronig.Result kk = KramersKronig.test(s);
    FitResult fit = bestFit(s, kk);
    if (!fit.converged()) {
      return new Measurement(s.temperatureC(), fit, null, kk, Double.NaN, Double.NaN, Double.NaN, List.of());
    }
    ResistanceEstimate r = ResistanceEstimate.of(fit, s.minOmega(), s.maxOmega(), mode, thicknessMm, diameterMm);
    List<Alternative> alternatives = equallyGoodFits(s, thicknessMm, diameterMm);
    double halfRange = halfRange(alternatives.stream()
        .map(a -> mode == ResistanceEstimate.Mode.TOTAL ? a.total().ohm() : a.bulk().ohm()).filter(v -> v > 0).toList());
    double se = Math.hypot(r.stdErrOhm(), Double.isFinite(halfRange) ? halfRange : 0);
    double sigma = r.ohm() > 0 ? Conductivity.sigmaSPerCm(r.ohm(), thicknessMm, diameterMm) : Double.NaN;
    return new Measurement(s.temperatureC(), fit, r, kk, sigma, sigma * se / r.ohm(), se, alternatives);
  }

  private static double halfRange(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return (max - min) / 2;
  }

  /** One fit among the equally supported ones, with the bulk and total resistance it gives. */
  public record Alternative(FitResult fit, ResistanceEstimate bulk, ResistanceEstimate total) {}

  /**
   * How well the data pin the resistance down: every start of every candidate circuit that
   * converged within ΔAIC ≤ 2 of the best (equally supported, Burnham &amp; Anderson 2002), each
   * with its bulk and total resistance. Where they disagree on the bulk but agree on the total,
   * the split between bulk and grain-boundary arcs is what the data cannot tell, and the total is
   * the figure to trust.
   */
  public List<Alternative> equallyGoodFits(Spectrum s, double thicknessMm, double diameterMm) {
    List<FitResult> converged = new ArrayList<>();
    for (Circuit c : circuits) {
      for (int start = 0; start < fitter.starts(); start++) {
        FitResult f = fitter.fitStart(c, s, start);
        if (f.converged()) {
          converged.add(f);
        }
      }
    }
    double bestAic = converged.stream().mapToDouble(FitResult::aic).min().orElse(Double.NaN);
    List<Alternative> out = new ArrayList<>();
    for (FitResult f : converged) {
      if (f.aic() <= bestAic + 2) {
        out.add(new Alternative(f,
            ResistanceEstimate.of(f, s.minOmega(), s.maxOmega(), ResistanceEstimate.Mode.BULK, thicknessMm, diameterMm),
            ResistanceEstimate.of(f, s.minOmega(), s.maxOmega(), ResistanceEstimate.Mode.TOTAL, thicknessMm,
                diameterMm)));
      }
    }
    return out;
  }

  /** (max − min) / min of a list of positive values; 0 for one value, NaN for none. */
  public static double relativeSpread(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return (max - min) / min;
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
