package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed spectrum files, each from a good sweep by one edit. Text in a cell, a short row, too
 * few or too many points, binary junk, an empty file, a header naming no impedance: {@code eis
 * fit} must exit 2 with one line naming the file (and the line where there is one), no stack
 * trace, no plot. A row no fit can use (NaN, an infinity, an empty cell, f below zero) is skipped,
 * said so with its line, and the rest is fitted; two sweeps in one table are two spectra.
 */
class MalformedSpectraFuzzTest {
  @TempDir
  Path dir;

  /** A clean sweep of an R-(R||C) cell, 1 MHz to 1 Hz, as "f,Z',Z''" rows. */
  static List<String> goodRows() {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double f = Math.pow(10, 6 - i * 6.0 / 39);
      double w = 2 * Math.PI * f;
      double r = 1000;
      double c = 1e-9;
      double den = 1 + Math.pow(w * r * c, 2);
      rows.add(String.format(java.util.Locale.ROOT, "%.6g,%.6g,%.6g", f, 50 + r / den, -w * r * r * c / den));
    }
    return rows;
  }

  static Map<String, byte[]> corpus() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    List<String> good = goodRows();
    String[] cellJunk = {"abc", "--1", "0x1F", "1.5f", "1,2.3"};
    SplittableRandom rnd = new SplittableRandom(16);
    for (int k = 0; k < cellJunk.length; k++) {
      for (int col = 0; col < 3; col++) {
        int row = rnd.nextInt(good.size());
        List<String> rows = new ArrayList<>(good);
        String[] cells = rows.get(row).split(",");
        cells[col] = cellJunk[k];
        rows.set(row, String.join(",", cells));
        out.put("cell " + col + " of row " + (row + 1) + " is '" + cellJunk[k] + "'", text(rows));
      }
    }
    for (int cut = 1; cut <= 2; cut++) {
      List<String> rows = new ArrayList<>(good);
      int row = rnd.nextInt(good.size());
      String[] cells = rows.get(row).split(",");
      rows.set(row, String.join(",", java.util.Arrays.copyOf(cells, 3 - cut)));
      out.put("row " + (row + 1) + " with " + (3 - cut) + " columns", text(rows));
    }
    // Read silently wrong before: columns taken by position, a flipped sign, two sweeps merged.
    List<String> flipped = new ArrayList<>();
    for (String r : good) {
      String[] c = r.split(",");
      flipped.add(c[0] + "," + c[1] + "," + (-Double.parseDouble(c[2])));
    }
    out.put("no header and -Z'' in the third column", text(flipped));
    List<String> named = new ArrayList<>(List.of("time_s,current_a,voltage_v"));
    named.addAll(good);
    out.put("a header naming no impedance columns", text(named));
    out.put("empty file", new byte[0]);
    out.put("only blank lines", "\n\n\n".getBytes(StandardCharsets.UTF_8));
    out.put("two points", text(good.subList(0, 2)));
    out.put("one point", text(good.subList(0, 1)));
    List<String> huge = new ArrayList<>();
    for (int i = 0; i < 100_001; i++) {
      huge.add(good.get(i % good.size()));
    }
    out.put("100 001 points", text(huge));
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    out.put("binary junk", junk);
    out.put("a YAML file", "version: 1\nname: not a spectrum\n".getBytes(StandardCharsets.UTF_8));
    out.put("words only", "frequency impedance phase\nlow high middle\nmore words here\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 12; i++) {
      // A row of random printable characters at a random place.
      List<String> rows = new ArrayList<>(good);
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < 12; j++) {
        b.append((char) (33 + rnd.nextInt(94)));
      }
      String row = b.toString().replace(",", ";");
      rows.add(rnd.nextInt(rows.size()), row + "," + row + "," + row);
      out.put("garbage row #" + i, text(rows));
    }
    return out;
  }

  /** Files with rows a fit cannot use, each to be read without them, with the row's line said. */
  static Map<String, byte[]> skippable() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    List<String> good = goodRows();
    SplittableRandom rnd = new SplittableRandom(17);
    for (String junk : new String[] {"NaN", "Infinity", "-Infinity", "", "1e999", "nan", "-inf"}) {
      for (int col = 0; col < 3; col++) {
        int row = rnd.nextInt(good.size());
        List<String> rows = new ArrayList<>(good);
        String[] cells = rows.get(row).split(",");
        cells[col] = junk;
        rows.set(row, String.join(",", cells));
        out.put("line " + (row + 1) + ": cell " + col + " is '" + junk + "'", text(rows));
      }
    }
    for (String f : new String[] {"-1", "-1e6", "-0.5"}) {
      List<String> rows = new ArrayList<>(good);
      int row = rnd.nextInt(good.size());
      rows.set(row, f + rows.get(row).substring(rows.get(row).indexOf(',')));
      out.put("line " + (row + 1) + ": frequency " + f, text(rows));
    }
    return out;
  }

  private static byte[] text(List<String> rows) {
    return (String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyMalformedSpectrumIsOneClearErrorWithExitCode2() throws Exception {
    Path good = dir.resolve("good.csv");
    Files.write(good, text(goodRows()));
    assertEquals(0, run(good, new ByteArrayOutputStream()), "the unmutated sweep fits");

    Map<String, byte[]> corpus = corpus();
    System.out.printf("malformed spectra: %d%n", corpus.size());
    assertTrue(corpus.size() >= 35, "corpus of " + corpus.size());
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, byte[]> c : corpus.entrySet()) {
      Path bad = dir.resolve("bad-" + n++ + ".csv");
      Files.write(bad, c.getValue());
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      long t0 = System.nanoTime();
      int code = run(bad, err);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String message = err.toString().strip();
      String why = code != 2 ? "exit " + code
          : message.lines().count() != 1 ? "not one line"
          : !message.startsWith("error: " + bad) ? "does not name the file"
          : message.contains("Exception") || message.contains("\tat ") ? "stack trace"
          : Files.exists(dir.resolve(bad.getFileName() + ".fit.png")) ? "wrote a plot"
          : ms > 10_000 ? "took " + ms + " ms" : null;
      if (why != null) {
        failures.add(c.getKey() + ": " + why + ": " + message);
      }
    }
    assertEquals(List.of(), failures, failures.size() + " of " + corpus.size() + " malformed spectra");
  }

  @Test
  void aRowNoFitCanUseIsSkippedWithItsLineAndTheRestIsFitted() throws Exception {
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, byte[]> c : skippable().entrySet()) {
      Path file = dir.resolve("skip-" + n++ + ".csv");
      Files.write(file, c.getValue());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = run(file, new ByteArrayOutputStream(), out);
      String line = c.getKey().substring(0, c.getKey().indexOf(':'));
      String text = out.toString();
      String why = code != 0 ? "exit " + code
          : !text.contains("note: 1 row(s) with") || !text.contains("skipped, the first on " + line) ? "no note"
          : !text.contains(", 39 points") ? "not the other 39 points"
          : !text.contains("σ = ") ? "no σ" : null;
      if (why != null) {
        failures.add(c.getKey() + ": " + why + ": " + text);
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void twoSweepsInOneTableAreTwoSpectraEachFitted() throws Exception {
    List<String> twice = new ArrayList<>(List.of("freq,zre,zim"));
    twice.addAll(goodRows());
    twice.addAll(goodRows());
    Path file = dir.resolve("twice.csv");
    Files.write(file, text(twice));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, run(file, new ByteArrayOutputStream(), out));
    String text = out.toString();
    assertTrue(text.contains("spectrum 1 of 2, 40 points (lines 2–41)") && text.contains("spectrum 2 of 2, 40 points"
        + " (lines 42–81)"), text);
    assertEquals(2, text.lines().filter(l -> l.startsWith("σ = ")).count(), text);
  }

  private static int run(Path file, ByteArrayOutputStream err) {
    return run(file, err, new ByteArrayOutputStream());
  }

  private static int run(Path file, ByteArrayOutputStream err, ByteArrayOutputStream out) {
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    try {
      System.setErr(new PrintStream(err, true));
      System.setOut(new PrintStream(out, true));
      return Main.execute("eis", "fit", file.toString(), "--thickness-mm", "1", "--diameter-mm", "10",
          "--plot", file + ".fit.png");
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
  }
}
