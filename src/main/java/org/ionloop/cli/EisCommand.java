package org.ionloop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ionloop.analysis.eis.Circuit;
import org.ionloop.analysis.eis.FitResult;
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

    @Override
    public Integer call() throws Exception {
      if (!(thicknessMm > 0) || !(diameterMm > 0)) {
        throw new IllegalArgumentException("--thickness-mm and --diameter-mm must be > 0");
      }
      Spectrum s = SpectrumFiles.read(file, temperatureC);
      List<Circuit> tried = circuits == null ? SampleAnalysis.DEFAULT_CIRCUITS
          : circuits.stream().map(Circuit::parse).toList();
      SampleAnalysis.Measurement m = new SampleAnalysis(tried, mode).measure(s, thicknessMm, diameterMm);
      double fMin = java.util.Arrays.stream(s.frequencyHz()).min().orElseThrow();
      double fMax = java.util.Arrays.stream(s.frequencyHz()).max().orElseThrow();
      System.out.printf("%s: %d points, %.3g Hz – %.3g Hz, %.1f °C%n", file, s.size(), fMax, fMin, temperatureC);
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
      Path png = plot != null ? plot : file.resolveSibling(file.getFileName() + ".fit.png");
      EisPlots.write(s, fit, file.getFileName().toString(), png);
      System.out.println("plot: " + png);
      return 0;
    }
  }
}
