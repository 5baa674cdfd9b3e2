package org.ionloop.analysis.eis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads impedance spectra from the files instruments and other tools write:
 * <ul>
 *   <li>BioLogic EC-Lab text export ({@code .mpt}): "Nb header lines : N", tab-separated columns
 *       {@code freq/Hz}, {@code Re(Z)/Ohm}, {@code -Im(Z)/Ohm};</li>
 *   <li>Gamry {@code .DTA}: the {@code ZCURVE TABLE} block, columns {@code Freq}, {@code Zreal},
 *       {@code Zimag};</li>
 *   <li>ZView {@code .z}: rows after {@code End Comments}, comma-separated: Freq, Ampl, Bias, Time,
 *       Z', Z'', …;</li>
 *   <li>CSV ({@code .csv}, {@code .txt}): frequency (Hz), Z' (Ω), Z'' (Ω), optional header,
 *       separated by comma, semicolon or tab.</li>
 * </ul>
 * Z'' is returned with its sign (negative for capacitive). Errors name the file and line.
 */
public final class SpectrumFiles {
  /** The most points one spectrum may have (a sweep has tens to a few thousand). */
  public static final int MAX_POINTS = 100_000;
  /** The largest spectrum file read. */
  static final long MAX_BYTES = 64L << 20;

  private SpectrumFiles() {}

  /**
   * @param temperatureC the cell temperature to record (files rarely carry it)
   */
  public static Spectrum read(Path file, double temperatureC) {
    List<String> lines;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new SpectrumFormatException(file, 0, String.format("the file has %,d bytes; spectrum files"
            + " are limited to %,d bytes", size, MAX_BYTES));
      }
      lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new SpectrumFormatException(file, 0, "cannot read: " + e.getMessage());
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Builder b = new Builder(file, temperatureC);
    if (name.endsWith(".mpt")) {
      readMpt(lines, b);
    } else if (name.endsWith(".dta")) {
      readDta(lines, b);
    } else if (name.endsWith(".z")) {
      readZView(lines, b);
    } else if (name.endsWith(".csv") || name.endsWith(".txt")) {
      readCsv(lines, b);
    } else {
      throw new SpectrumFormatException(file, 0, "unknown format (expected .mpt, .DTA, .z, .csv or .txt)");
    }
    return b.build();
  }

  private static void readMpt(List<String> lines, Builder b) {
    int header = 1;
    for (int i = 0; i < Math.min(lines.size(), 10); i++) {
      String l = lines.get(i);
      if (l.toLowerCase(Locale.ROOT).startsWith("nb header lines")) {
        header = parseInt(b, i + 1, l.substring(l.indexOf(':') + 1).trim(), "Nb header lines");
      }
    }
    if (header < 1 || header > lines.size()) {
      throw new SpectrumFormatException(b.file, 2, "header line count " + header + " does not fit the file");
    }
    String[] cols = lines.get(header - 1).split("\t");
    int f = column(b, header, cols, "freq/Hz");
    int re = column(b, header, cols, "Re(Z)/Ohm");
    int im = findColumn(cols, "-Im(Z)/Ohm");
    boolean negated = im >= 0;
    if (!negated) {
      im = column(b, header, cols, "Im(Z)/Ohm");
    }
    for (int i = header; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] v = lines.get(i).split("\t");
      b.add(i + 1, v, f, re, im, negated);
    }
  }

  private static void readDta(List<String> lines, Builder b) {
    int table = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("ZCURVE")) {
        table = i;
        break;
      }
    }
    if (table < 0 || table + 2 >= lines.size()) {
      throw new SpectrumFormatException(b.file, 0, "no ZCURVE TABLE block");
    }
    String[] cols = lines.get(table + 1).split("\t");
    int f = column(b, table + 2, cols, "Freq");
    int re = column(b, table + 2, cols, "Zreal");
    int im = column(b, table + 2, cols, "Zimag");
    for (int i = table + 3; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.startsWith("\t")) {
        break; // the table ends where the indentation ends
      }
      b.add(i + 1, l.split("\t"), f, re, im, false);
    }
  }

  private static void readZView(List<String> lines, Builder b) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equalsIgnoreCase("End Comments")) {
        start = i + 1;
        break;
      }
    }
    if (start < 0) {
      throw new SpectrumFormatException(b.file, 0, "no 'End Comments' line before the data");
    }
    for (int i = start; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        b.add(i + 1, lines.get(i).trim().split("\\s*,\\s*|\\s+"), 0, 4, 5, false);
      }
    }
  }

  private static void readCsv(List<String> lines, Builder b) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] v = l.split("\\s*[,;\\t]\\s*");
      if (b.count() == 0 && !looksNumeric(v[0])) {
        continue; // header
      }
      b.add(i + 1, v, 0, 1, 2, false);
    }
  }

  private static boolean looksNumeric(String s) {
    try {
      Double.parseDouble(s.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static int findColumn(String[] cols, String name) {
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static int column(Builder b, int line, String[] cols, String name) {
    int i = findColumn(cols, name);
    if (i < 0) {
      throw new SpectrumFormatException(b.file, line, "no column '" + name + "' in the header");
    }
    return i;
  }

  private static int parseInt(Builder b, int line, String s, String what) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new SpectrumFormatException(b.file, line, what + " is not a number: '" + s + "'");
    }
  }

  /** Collects points, checking each. */
  private static final class Builder {
    final Path file;
    final double temperatureC;
    final List<double[]> points = new ArrayList<>();

    Builder(Path file, double temperatureC) {
      this.file = file;
      this.temperatureC = temperatureC;
    }

    int count() {
      return points.size();
    }

    void add(int line, String[] v, int f, int re, int im, boolean negateIm) {
      int need = Math.max(f, Math.max(re, im)) + 1;
      if (v.length < need) {
        throw new SpectrumFormatException(file, line, "expected at least " + need + " columns, found "
            + v.length);
      }
      double freq = number(line, v[f], "frequency");
      double zr = number(line, v[re], "Z'");
      double zi = number(line, v[im], "Z''");
      if (!(freq > 0)) {
        throw new SpectrumFormatException(file, line, "frequency must be > 0, got " + v[f].trim());
      }
      if (points.size() == MAX_POINTS) {
        throw new SpectrumFormatException(file, line, "more than " + MAX_POINTS
            + " data points; a spectrum has at most that many");
      }
      points.add(new double[] {freq, zr, negateIm ? -zi : zi});
    }

    double number(int line, String s, String what) {
      String t = s.trim();
      if (t.indexOf(',') >= 0 && t.indexOf('.') < 0) {
        t = t.replace(',', '.'); // decimal comma from some locales
      }
      try {
        double v = Double.parseDouble(t);
        if (!Double.isFinite(v)) {
          throw new NumberFormatException();
        }
        return v;
      } catch (NumberFormatException e) {
        throw new SpectrumFormatException(file, line, what + " is not a number: '" + s.trim() + "'");
      }
    }

    Spectrum build() {
      if (points.size() < 3) {
        throw new SpectrumFormatException(file, 0, "found " + points.size() + " data points, need at least 3");
      }
      int n = points.size();
      double[] f = new double[n];
      double[] re = new double[n];
      double[] im = new double[n];
      for (int i = 0; i < n; i++) {
        f[i] = points.get(i)[0];
        re[i] = points.get(i)[1];
        im[i] = points.get(i)[2];
      }
      return new Spectrum(temperatureC, f, re, im);
    }
  }
}
