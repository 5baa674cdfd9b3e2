package org.ionloop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ionloop.analysis.eis.Circuit;
import org.ionloop.analysis.eis.FitResult;
import org.ionloop.analysis.eis.Conductivity;
import org.ionloop.analysis.eis.ResistanceEstimate;
import org.ionloop.analysis.eis.SampleAnalysis;
import org.ionloop.analysis.eis.Spectrum;
import org.ionloop.analysis.eis.SpectrumFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ionloop eis fit FILE …}: fit a measured spectrum, print σ, plot it. */
@Command(name = "eis", mixinStandardHelpOptions = true, description = "Impedance spectra.", subcommands = {EisCommand.Fit.class})
final class EisCommand {

  @Command(name = "fit", mixinStandardHelpOptions = true,
      description = "Fit a spectrum file (.mpt, .DTA, .z, .csv), print parameters with errors, σ and the "
          + "Kramers–Kronig verdict, and write a Nyquist + Bode plot next to the file.")
  static final class Fit implements Callable<Integer> {
    @Parameters(index = "0", description = "Spectrum file.")
    Path file;

    @Option(names = "--circuit", description = "Circuit(s) to try, e.g. 'R0-p(R1,CPE1)-CPE2'; the lowest "
        + "AIC wins (default: one and two arcs with a blocking electrode).")
    List<String> circuits;

    @Option(names = "--thickness-mm", required = true, description = "Pellet thickness, mm.")
    double thicknessMm;

    @Option(names = "--diameter-mm", required = true, description = "Pellet diameter, mm.")
    double diameterMm;

    @Option(names = "--resistance", defaultValue = "BULK", description = "BULK or TOTAL (bulk + grain "
        + "boundaries) (default ${DEFAULT-VALUE}).")
    ResistanceEstimate.Mode mode;

    @Option(names = "--temperature-c", defaultValue = "25", description = "Cell temperature, °C (default ${DEFAULT-VALUE}).")
    double temperatureC;

    @Option(names = "--plot", description = "PNG to write (default: FILE.fit.png).")
    Path plot;

    @Option(names = "--sweep", defaultValue = "0", description = "Which sweep of a file that holds several"
        + " (1, 2, …); such a file is refused without it.")
    int sweep;

    @Option(names = "--json", description = "Print the result as one JSON object (for scripts) instead of text;"
        + " no plot unless --plot is given.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (!(thicknessMm > 0) || !(diameterMm > 0)) {
        throw new IllegalArgumentException("--thickness-mm and --diameter-mm must be > 0");
      }
      if (sweep < 0) {
        throw new IllegalArgumentException("--sweep must be 1 or more, got " + sweep);
      }
      SpectrumFiles.Read read = SpectrumFiles.read(file, temperatureC, sweep);
      Spectrum s = read.spectrum();
      SampleAnalysis.Measurement m = new SampleAnalysis(tried(), mode).measure(s, thicknessMm, diameterMm);
      if (json) {
        System.out.println(asJson(read, m));
        if (plot != null && m.fit().converged()) {
          EisPlots.write(s, m.fit(), file.getFileName().toString(), plot);
        }
        return m.fit().converged() ? 0 : 1;
      }
      double fMin = java.util.Arrays.stream(s.frequencyHz()).min().orElseThrow();
      double fMax = java.util.Arrays.stream(s.frequencyHz()).max().orElseThrow();
      System.out.printf("%s: %s%s, %d points, %.3g Hz – %.3g Hz, %.1f °C%n", file, read.format(),
          read.sweeps() > 1 ? ", sweep " + read.sweep() + " of " + read.sweeps() : "", s.size(), fMax, fMin, temperatureC);
      read.notes().forEach(n -> System.out.println("note: " + n));
      System.out.printf("Kramers–Kronig (Lin-KK, M = %d): %s — residual RMS %.3f %%, max %.3f %%, "
          + "lag-1 correlation %.2f%n", m.kk().elements(), m.kk().valid() ? "VALID" : "NOT VALID",
          100 * m.kk().rmsResidual(), 100 * m.kk().maxResidual(), m.kk().correlation());
      FitResult fit = m.fit();
      if (!fit.converged()) {
        System.out.println("fit did not converge: " + fit.reason());
        return 1;
      }
      System.out.printf("circuit %s (AIC %.1f, χ² %.4g, RMS relative residual %.3f %%)%n",
          fit.circuit().text(), fit.aic(), fit.chiSquare(), 100 * fit.rmsRelativeResidual());
      for (int i = 0; i < fit.parameters().length; i++) {
        double v = fit.parameters()[i];
        double se = fit.standardErrors()[i];
        System.out.printf("  %-8s %12.5g ± %-10s%n", fit.circuit().parameterNames().get(i), v,
            Double.isFinite(se) ? String.format("%.3g (%.2f %%)", se, 100 * se / Math.abs(v))
                : "undetermined");
      }
      ResistanceEstimate r = m.resistance();
      System.out.printf("resistance (%s): %.5g ± %.3g Ω — %s%n", r.mode(), r.ohm(), r.stdErrOhm(), r.basis());
      System.out.printf("σ = %.4g ± %.2g S/cm  (L = %.3f mm, ⌀ = %.3f mm)%n", m.sigmaSPerCm(),
          m.sigmaStdErr(), thicknessMm, diameterMm);
      Robustness rob = robustness(s, m);
      System.out.printf("%d equally good fits (ΔAIC ≤ 2): bulk R %s, total R (bulk + grain boundaries) %s%n",
          rob.fits(), range(rob.bulk()), range(rob.total()));
      System.out.printf("σ from the total resistance = %.4g S/cm%n", rob.sigmaTotal());
      if (rob.disagree()) {
        System.out.printf("WARNING: equally good fits disagree on the bulk resistance by %.0f %% while the total"
            + " agrees within %.1f %%: the split between bulk and grain boundary is not pinned down by these data;"
            + " trust σ from the total (%.4g S/cm) or measure to higher frequencies%n",
            100 * SampleAnalysis.relativeSpread(rob.bulk()), 100 * SampleAnalysis.relativeSpread(rob.total()),
            rob.sigmaTotal());
      }
      Path png = plot != null ? plot : file.resolveSibling(file.getFileName() + ".fit.png");
      EisPlots.write(s, fit, file.getFileName().toString(), png);
      System.out.println("plot: " + png);
      return 0;
    }

    /**
     * The spread of the resistance over equally good fits, and σ from the total resistance.
     *
     * @param disagree the bulk resistance varies by more than 20 % among them
     */
    record Robustness(int fits, List<Double> bulk, List<Double> total, double sigmaTotal, boolean disagree) {}

    /** The circuits tried: the user's, or the default one- and two-arc circuits. */
    private List<Circuit> tried() {
      return circuits == null ? SampleAnalysis.DEFAULT_CIRCUITS : circuits.stream().map(Circuit::parse).toList();
    }

    private Robustness robustness(Spectrum s, SampleAnalysis.Measurement m) {
      var alternatives = new SampleAnalysis(tried(), mode).equallyGoodFits(s, thicknessMm, diameterMm);
      List<Double> bulk = alternatives.stream().map(a -> a.bulk().ohm()).filter(v -> v > 0).toList();
      List<Double> total = alternatives.stream().map(a -> a.total().ohm()).filter(v -> v > 0).toList();
      double bestTotal = ResistanceEstimate.of(m.fit(), s.minOmega(), s.maxOmega(), ResistanceEstimate.Mode.TOTAL,
          thicknessMm, diameterMm).ohm();
      double sigmaTotal = bestTotal > 0 ? Conductivity.sigmaSPerCm(bestTotal, thicknessMm, diameterMm) : Double.NaN;
      return new Robustness(alternatives.size(), bulk, total, sigmaTotal, SampleAnalysis.relativeSpread(bulk) > 0.2);
    }

    private static String range(List<Double> ohms) {
      if (ohms.isEmpty()) {
        return "–";
      }
      double min = ohms.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double max = ohms.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      return min == max || (max - min) / min < 1e-3 ? String.format("%.5g Ω", min)
          : String.format("%.5g–%.5g Ω (spread %.1f %%)", min, max, 100 * (max - min) / min);
    }

    /** The measurement as JSON: file, band, Kramers–Kronig, the fit with its errors, R and σ. */
    private String asJson(SpectrumFiles.Read read, SampleAnalysis.Measurement m) {
      Spectrum s = read.spectrum();
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var root = mapper.createObjectNode();
      root.put("file", file.toString()).put("format", read.format()).put("sweep", read.sweep())
          .put("sweeps", read.sweeps());
      read.notes().forEach(root.putArray("notes")::add);
      root.put("points", s.size()).put("temperature_c", temperatureC)
          .put("f_min_hz", java.util.Arrays.stream(s.frequencyHz()).min().orElseThrow())
          .put("f_max_hz", java.util.Arrays.stream(s.frequencyHz()).max().orElseThrow());
      root.putObject("kramers_kronig").put("valid", m.kk().valid()).put("elements", m.kk().elements())
          .put("rms_residual", m.kk().rmsResidual()).put("max_residual", m.kk().maxResidual())
          .put("lag1_correlation", m.kk().correlation());
      FitResult fit = m.fit();
      var f = root.putObject("fit").put("converged", fit.converged()).put("circuit", fit.circuit().text());
      if (!fit.converged()) {
        f.put("reason", fit.reason());
        return root.toString();
      }
      f.put("aic", fit.aic()).put("chi_square", fit.chiSquare()).put("rms_relative_residual", fit.rmsRelativeResidual());
      var params = f.putObject("parameters");
      for (int i = 0; i < fit.parameters().length; i++) {
        double se = fit.standardErrors()[i];
        var p = params.putObject(fit.circuit().parameterNames().get(i)).put("value", fit.parameters()[i]);
        if (Double.isFinite(se)) {
          p.put("std_err", se);
        } else {
          p.putNull("std_err");
        }
      }
      ResistanceEstimate r = m.resistance();
      root.putObject("resistance").put("mode", r.mode().toString()).put("ohm", r.ohm())
          .put("std_err_ohm", r.stdErrOhm()).put("basis", r.basis());
      root.putObject("conductivity").put("s_per_cm", m.sigmaSPerCm()).put("std_err_s_per_cm", m.sigmaStdErr())
          .put("thickness_mm", thicknessMm).put("diameter_mm", diameterMm);
      Robustness rob = robustness(s, m);
      var robust = root.putObject("equally_good_fits").put("count", rob.fits())
          .put("bulk_spread", SampleAnalysis.relativeSpread(rob.bulk()))
          .put("total_spread", SampleAnalysis.relativeSpread(rob.total()))
          .put("sigma_total_s_per_cm", rob.sigmaTotal()).put("bulk_disagrees", rob.disagree());
      rob.bulk().forEach(robust.putArray("bulk_ohm")::add);
      rob.total().forEach(robust.putArray("total_ohm")::add);
      return root.toString();
    }
  }
}
