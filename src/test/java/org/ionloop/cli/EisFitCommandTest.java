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
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
    double sigma = Conductivity.sigmaSPerCm(ReferencePellets.SULFIDE.truthOhm(), 1, 10);
    assertEquals(sigma, json.path("conductivity").path("s_per_cm").asDouble(), 0.02 * sigma, out);
    assertTrue(json.path("kramers_kronig").path("valid").asBoolean(), out);
    assertTrue(json.path("fit").path("parameters").has("R0"), out);
    assertEquals("delimited table", json.path("format").asText(), out);
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
    var robust = json.path("equally_good_fits");
    assertTrue(robust.path("count").asInt() >= 1, robust.toString());
    assertEquals(expected, robust.path("sigma_total_s_per_cm").asDouble(), 0.03 * expected, robust.toString());
    assertTrue(robust.path("total_spread").asDouble() < 0.05, "the total is pinned down: " + robust);
    assertEquals(robust.path("bulk_spread").asDouble() > 0.2, robust.path("bulk_disagrees").asBoolean());
  }
}
