package org.ionloop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;
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
      description = "Fit every spectrum in a file (EC-Lab, Gamry, ZView/ZPlot, VersaStudio, CH Instruments or any "
          + "table with named columns, recognised by content), print parameters with errors, σ and the "
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

    @Option(names = {"--spectrum", "--sweep"}, defaultValue = "0", description = "Fit only this spectrum of a"
        + " file that holds several (1, 2, …); by default every spectrum is fitted.")
    int spectrum;

    @Option(names = "--json", description = "Print the result as one JSON object (for scripts) instead of text;"
        + " no plot unless --plot is given.")
    boolean json;

    /** One spectrum's analysis, or why it has none. */
    record Report(SpectrumFiles.Read read, SampleAnalysis.Measurement measurement, Robustness robustness, String error) {}

    @Override
    public Integer call() throws Exception {
      if (!(thicknessMm > 0) || !(diameterMm > 0)) {
        throw new IllegalArgumentException("--thickness-mm and --diameter-mm must be > 0");
      }
      if (spectrum < 0) {
        throw new IllegalArgumentException("--spectrum must be 1 or more, got " + spectrum);
      }
      List<SpectrumFiles.Read> reads = spectrum > 0 ? List.of(SpectrumFiles.read(file, temperatureC, spectrum))
          : SpectrumFiles.readAll(file, temperatureC);
      List<Report> reports = reads.stream().map(this::analyse).toList();
      if (reports.size() == 1 && reports.get(0).error() != null && !json) {
        throw new IonloopException(ErrorCode.NUMERICAL, reports.get(0).error());
      }
      if (json) {
        System.out.println(asJson(reports));
        for (Report r : reports) {
          if (plot != null && r.error() == null) {
            EisPlots.write(r.read().spectrum(), r.measurement().fit(), title(r.read()), plotPath(r.read()));
          }
        }
      } else {
        reports.forEach(this::print);
      }
      return reports.stream().allMatch(r -> r.error() == null) ? 0 : 1;
    }

    /** Fits one spectrum; a numerical failure or a σ that is not finite becomes the report's error. */
    private Report analyse(SpectrumFiles.Read read) {
      String which = file + (read.count() > 1 ? " spectrum " + read.index() + " (lines " + read.firstLine() + "–"
          + read.lastLine() + ")" : "");
      try {
        Spectrum s = read.spectrum();
        SampleAnalysis.Measurement m = new SampleAnalysis(tried(), mode).measure(s, thicknessMm, diameterMm);
        if (!m.fit().converged()) {
          return new Report(read, m, null, which + ": fit did not converge: " + m.fit().reason());
        }
        if (!Double.isFinite(m.sigmaSPerCm())) {
          return new Report(read, m, null, which + ": no conductivity: the " + m.resistance().mode() + " resistance is "
              + m.resistance().ohm() + " Ω (" + m.resistance().basis() + ")");
        }
        return new Report(read, m, robustness(s, m), null);
      } catch (IonloopException e) {
        return new Report(read, null, null, which + ": " + e.getMessage());
      } catch (RuntimeException e) {
        return new Report(read, null, null, which + ": fitting " + tried().stream().map(Circuit::text).toList()
            + " failed: " + e);
      }
    }

    private String title(SpectrumFiles.Read read) {
      return file.getFileName() + (read.count() > 1 ? " — spectrum " + read.index() : "");
    }

    /** FILE.fit.png, or FILE.spectrumN.fit.png for one of several; --plot names the one spectrum's plot. */
    private Path plotPath(SpectrumFiles.Read read) {
      if (plot != null && read.count() == 1 || plot != null && spectrum > 0) {
        return plot;
      }
      String suffix = read.count() > 1 ? ".spectrum" + read.index() + ".fit.png" : ".fit.png";
      return plot != null ? plot.resolveSibling(plot.getFileName() + suffix)
          : file.resolveSibling(file.getFileName() + suffix);
    }

    private void print(Report report) {
      SpectrumFiles.Read read = report.read();
      Spectrum s = read.spectrum();
      System.out.printf("%s: %s%s, %d points (lines %d–%d), %.3g Hz – %.3g Hz, %.1f °C%s%n", file, read.format(),
          read.count() > 1 ? ", spectrum " + read.index() + " of " + read.count() : "", s.size(), read.firstLine(),
          read.lastLine(), s.maxOmega() / (2 * Math.PI), s.minOmega() / (2 * Math.PI), s.temperatureC(),
          read.temperatureFromFile() ? " (from the file)" : "");
      if (read.index() == 1 || spectrum > 0) {
        read.notes().forEach(n -> System.out.println("note: " + n));
      }
      if (report.error() != null) {
        System.out.println("error: " + report.error());
        return;
      }
      SampleAnalysis.Measurement m = report.measurement();
      System.out.printf("Kramers–Kronig (Lin-KK, M = %d): %s — residual RMS %.3f %%, max %.3f %%, "
          + "lag-1 correlation %.2f%n", m.kk().elements(), m.kk().valid() ? "VALID" : "NOT VALID",
          100 * m.kk().rmsResidual(), 100 * m.kk().maxResidual(), m.kk().correlation());
      FitResult fit = m.fit();
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
      System.out.printf("resistance (%s): %.5g ± %.3g Ω — %s%n", r.mode(), r.ohm(), m.resistanceStdErrOhm(), r.basis());
      if (m.resistanceStdErrOhm() > 1.5 * r.stdErrOhm()) {
        System.out.printf("  (± %.3g Ω from the best fit alone; the rest is the spread of equally good fits)%n",
            r.stdErrOhm());
      }
      System.out.printf("σ = %.4g ± %.2g S/cm  (L = %.3f mm, ⌀ = %.3f mm)%n", m.sigmaSPerCm(),
          m.sigmaStdErr(), thicknessMm, diameterMm);
      Robustness rob = report.robustness();
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
      Path png = plotPath(read);
      try {
        EisPlots.write(s, fit, title(read), png);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write the plot " + png, e);
      }
      System.out.println("plot: " + png);
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
      var alternatives = m.alternatives();
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

    /**
     * The file's spectra as one JSON object: {@code file, format, spectra_in_file, notes} and
     * {@code spectra}, one object per spectrum fitted ({@code index, first_line, last_line,
     * temperature_c, temperature_from_file, points, f_min_hz, f_max_hz, kramers_kronig, fit,
     * resistance, conductivity, equally_good_fits}, or {@code error}).
     */
    private String asJson(List<Report> reports) {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var root = mapper.createObjectNode();
      SpectrumFiles.Read head = reports.get(0).read();
      root.put("file", file.toString()).put("format", head.format()).put("spectra_in_file", head.count());
      head.notes().forEach(root.putArray("notes")::add);
      var spectra = root.putArray("spectra");
      for (Report report : reports) {
        SpectrumFiles.Read read = report.read();
        Spectrum s = read.spectrum();
        var o = spectra.addObject().put("index", read.index()).put("first_line", read.firstLine())
            .put("last_line", read.lastLine()).put("temperature_c", s.temperatureC())
            .put("temperature_from_file", read.temperatureFromFile()).put("points", s.size())
            .put("f_min_hz", s.minOmega() / (2 * Math.PI)).put("f_max_hz", s.maxOmega() / (2 * Math.PI));
        if (report.error() != null) {
          o.put("error", report.error());
        }
        SampleAnalysis.Measurement m = report.measurement();
        if (m == null) {
          continue;
        }
        o.putObject("kramers_kronig").put("valid", m.kk().valid()).put("elements", m.kk().elements())
            .put("rms_residual", m.kk().rmsResidual()).put("max_residual", m.kk().maxResidual())
            .put("lag1_correlation", m.kk().correlation());
        FitResult fit = m.fit();
        var f = o.putObject("fit").put("converged", fit.converged()).put("circuit", fit.circuit().text());
        if (!fit.converged()) {
          f.put("reason", fit.reason());
          continue;
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
        o.putObject("resistance").put("mode", r.mode().toString()).put("ohm", r.ohm())
            .put("std_err_ohm", m.resistanceStdErrOhm()).put("best_fit_std_err_ohm", r.stdErrOhm())
            .put("basis", r.basis());
        o.putObject("conductivity").put("s_per_cm", m.sigmaSPerCm()).put("std_err_s_per_cm", m.sigmaStdErr())
            .put("thickness_mm", thicknessMm).put("diameter_mm", diameterMm);
        Robustness rob = report.robustness();
        if (rob == null) {
          continue;
        }
        var robust = o.putObject("equally_good_fits").put("count", rob.fits())
            .put("bulk_spread", SampleAnalysis.relativeSpread(rob.bulk()))
            .put("total_spread", SampleAnalysis.relativeSpread(rob.total()))
            .put("sigma_total_s_per_cm", rob.sigmaTotal()).put("bulk_disagrees", rob.disagree());
        rob.bulk().forEach(robust.putArray("bulk_ohm")::add);
        rob.total().forEach(robust.putArray("total_ohm")::add);
      }
      return root.toString();
    }
  }
}
