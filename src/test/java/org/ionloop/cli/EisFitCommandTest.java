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
}
