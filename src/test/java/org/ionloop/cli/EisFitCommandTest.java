package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ionloop.analysis.eis.Conductivity;
import org.ionloop.analysis.eis.ReferencePellets;
import org.ionloop.analysis.eis.Spectrum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EisFitCommandTest {
  @TempDir
  Path dir;

  /** A reference sulfide pellet's spectrum as CSV, in the test's folder. */
  private Path pelletCsv() throws Exception {
    Spectrum s = ReferencePellets.spectrum(ReferencePellets.SULFIDE, 0.005, new SplittableRandom(8));
    StringBuilder sb = new StringBuilder("freq,zre,zim\n");
    for (int i = 0; i < s.size(); i++) {
      sb.append(String.format(Locale.ROOT, "%.8e,%.8e,%.8e%n", s.frequencyHz()[i], s.zReOhm()[i], s.zImOhm()[i]));
    }
    Path file = dir.resolve("pellet.csv");
    Files.writeString(file, sb);
    return file;
  }

  /** Runs eis fit on {@code file} (1 mm × 10 mm) with {@code extra}; stdout, and the exit code in {@code code}. */
  private static String fit(Path file, int[] code, String... extra) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("eis", "fit", file.toString(),
        "--thickness-mm", "1", "--diameter-mm", "10"));
    args.addAll(java.util.List.of(extra));
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      code[0] = Main.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(old);
    }
    return out.toString();
  }

  @Test
  void fitsAFilePrintsSigmaAndWritesAPlot() throws Exception {
    int[] code = new int[1];
    String text = fit(pelletCsv(), code);
    assertEquals(0, code[0], text);
    double sigma = Conductivity.sigmaSPerCm(ReferencePellets.SULFIDE.truthOhm(), 1, 10);
    assertTrue(text.contains("Kramers–Kronig"), text);
    assertTrue(text.contains("high-frequency intercept"), text);
    String line = text.lines().filter(l -> l.startsWith("σ = ")).findFirst().orElseThrow();
    double printed = Double.parseDouble(line.substring(4, line.indexOf(' ', 4)));
    assertEquals(sigma, printed, 0.02 * sigma, line);
    Path png = dir.resolve("pellet.csv.fit.png");
    assertTrue(Files.size(png) > 10_000, "plot written");
  }

  @Test
  void jsonIsOneObjectAScriptCanRead() throws Exception {
    int[] code = new int[1];
    String out = fit(pelletCsv(), code, "--json");
    assertEquals(0, code[0], out);
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
    assertEquals("delimited table", root.path("format").asText(), out);
    assertEquals(1, root.path("spectra_in_file").asInt(), out);
    var json = root.path("spectra").path(0);
    double sigma = Conductivity.sigmaSPerCm(ReferencePellets.SULFIDE.truthOhm(), 1, 10);
    assertEquals(sigma, json.path("conductivity").path("s_per_cm").asDouble(), 0.02 * sigma, out);
    assertTrue(json.path("kramers_kronig").path("valid").asBoolean(), out);
    assertTrue(json.path("fit").path("parameters").has("R0"), out);
    assertTrue(!Files.exists(dir.resolve("pellet.csv.fit.png")), "no plot unless asked for");
  }

  /** A spectrum of {@code circuit} with {@code p}, 7 MHz to 0.1 Hz, as CSV in the test's folder. */
  private Path csvOf(String name, String circuit, double[] p) throws Exception {
    Spectrum s = ReferencePellets.spectrum(org.ionloop.analysis.eis.Circuit.parse(circuit), p, 7e6, 0.1, 10, 0.003,
        new SplittableRandom(4));
    StringBuilder sb = new StringBuilder("freq,zre,zim\n");
    for (int i = 0; i < s.size(); i++) {
      sb.append(String.format(Locale.ROOT, "%.8e,%.8e,%.8e%n", s.frequencyHz()[i], s.zReOhm()[i], s.zImOhm()[i]));
    }
    Path file = dir.resolve(name);
    Files.writeString(file, sb);
    return file;
  }

  @Test
  void bulkAndTotalResistanceAreBothReportedWithTheirSpreadOverEquallyGoodFits() throws Exception {
    // Leads, a bulk arc at 1.5 MHz (84 pF), a grain boundary at ≈ 20 kHz, gold electrodes.
    double rBulk = 1 / (2 * Math.PI * 1.5e6 * 84e-12);
    Path file = csvOf("cold.csv", "Rs-p(Rb,Cb)-p(Rgb,CPEgb)-CPEel",
        new double[] {60, rBulk, 84e-12, 1500, 5e-9, 0.95, 2e-6 * Math.PI * 0.25, 0.85});
    int[] code = new int[1];
    String text = fit(file, code);
    assertEquals(0, code[0], text);
    assertTrue(text.contains("equally good fits (ΔAIC ≤ 2)"), text);
    String line = text.lines().filter(l -> l.startsWith("σ from the total resistance = ")).findFirst().orElseThrow();
    double sigmaTotal = Double.parseDouble(line.substring("σ from the total resistance = ".length(), line.indexOf(" S/cm")));
    double expected = Conductivity.sigmaSPerCm(rBulk + 1500, 1, 10);
    assertEquals(expected, sigmaTotal, 0.03 * expected, text);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fit(file, code, "--json"));
    var robust = json.path("spectra").path(0).path("equally_good_fits");
    assertTrue(robust.path("count").asInt() >= 1, robust.toString());
    assertEquals(expected, robust.path("sigma_total_s_per_cm").asDouble(), 0.03 * expected, robust.toString());
    assertTrue(robust.path("total_spread").asDouble() < 0.05, "the total is pinned down: " + robust);
    assertEquals(robust.path("bulk_spread").asDouble() > 0.2, robust.path("bulk_disagrees").asBoolean());
    // The resistance's standard error is at least half the range the equally good fits span.
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (var v : robust.path("bulk_ohm")) {
      lo = Math.min(lo, v.asDouble());
      hi = Math.max(hi, v.asDouble());
    }
    var resistance = json.path("spectra").path(0).path("resistance");
    assertTrue(resistance.path("std_err_ohm").asDouble() >= (hi - lo) / 2 - 1e-9, resistance + " " + robust);
    assertTrue(resistance.path("std_err_ohm").asDouble() >= resistance.path("best_fit_std_err_ohm").asDouble());
  }

  @Test
  void everySpectrumOfAFileIsFittedAndOneCanBeChosen() throws Exception {
    // Two EC-Lab loops of the same pellet, the second at 60 °C, with their cycle numbers.
    Spectrum s = ReferencePellets.spectrum(ReferencePellets.SULFIDE, 0.005, new SplittableRandom(8));
    StringBuilder sb = new StringBuilder("EC-Lab ASCII FILE\nNb header lines : 3\n"
        + "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\tcycle number\tTemperature/°C\n");
    for (int loop = 1; loop <= 2; loop++) {
      for (int i = 0; i < s.size(); i++) {
        sb.append(String.format(Locale.ROOT, "%.8e\t%.8e\t%.8e\t%d\t%d%n", s.frequencyHz()[i], s.zReOhm()[i] / loop,
            -s.zImOhm()[i] / loop, loop, loop == 1 ? 25 : 60));
      }
    }
    Path file = dir.resolve("loops.mpt");
    Files.writeString(file, sb);
    int[] code = new int[1];
    String text = fit(file, code);
    assertEquals(0, code[0], text);
    assertTrue(text.contains("spectrum 1 of 2") && text.contains("spectrum 2 of 2, " + s.size() + " points"), text);
    assertTrue(text.contains("60.0 °C (from the file)"), text);
    assertTrue(Files.size(dir.resolve("loops.mpt.spectrum1.fit.png")) > 10_000, "a plot per spectrum");
    assertTrue(Files.size(dir.resolve("loops.mpt.spectrum2.fit.png")) > 10_000, "a plot per spectrum");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fit(file, code, "--json"));
    assertEquals(2, json.path("spectra").size(), json.toString());
    double sigma1 = json.path("spectra").path(0).path("conductivity").path("s_per_cm").asDouble();
    double sigma2 = json.path("spectra").path(1).path("conductivity").path("s_per_cm").asDouble();
    assertEquals(2 * sigma1, sigma2, 0.03 * sigma2, "the second loop has half the impedance: " + json);
    assertEquals(60.0, json.path("spectra").path(1).path("temperature_c").asDouble(), 1e-9);
    var second = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fit(file, code, "--json", "--spectrum", "2"));
    assertEquals(1, second.path("spectra").size(), second.toString());
    assertEquals(2, second.path("spectra").path(0).path("index").asInt(), second.toString());
    assertEquals(sigma2, second.path("spectra").path(0).path("conductivity").path("s_per_cm").asDouble(), 1e-12);
  }
}
