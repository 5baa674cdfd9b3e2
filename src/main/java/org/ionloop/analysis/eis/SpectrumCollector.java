package org.ionloop.analysis.eis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a file's rows, skips those no fit can use (f = 0 from a linked DC step, a negative
 * frequency, a NaN or infinite value, an empty cell) and counts them, and cuts the rows into
 * spectra: at each new table (Gamry's {@code ZCURVE}, VersaStudio's segments), where the cycle
 * column changes (EC-Lab loops), and where the frequency jumps back against the sweep's direction.
 */
final class SpectrumCollector {
  private final Path file;
  private final double temperatureC;
  private final List<Row> rows = new ArrayList<>();
  private final Skipped atZero = new Skipped("at f = 0 skipped (a DC step, e.g. a linked technique)");
  private final Skipped negative = new Skipped("with a negative frequency skipped");
  private final Skipped notFinite = new Skipped("with an empty, NaN or infinite value skipped");
  private int table;

  /** One usable row; {@code cycle} and {@code temperatureC} are NaN when the file has no such column. */
  private record Row(int line, int table, double cycle, double f, double re, double im, double temperatureC) {}

  /** Rows skipped for one reason: how many, and the first one's line. */
  private static final class Skipped {
    final String why;
    int count;
    int firstLine;

    Skipped(String why) {
      this.why = why;
    }

    void add(int line) {
      if (count++ == 0) {
        firstLine = line;
      }
    }

    String note() {
      return count + " row(s) " + why + ", the first on line " + firstLine;
    }
  }

  SpectrumCollector(Path file, double temperatureC) {
    this.file = file;
    this.temperatureC = temperatureC;
  }

  Path file() {
    return file;
  }

  /** Rows from here on belong to a new table (a new spectrum). */
  void newTable() {
    if (!rows.isEmpty() && rows.get(rows.size() - 1).table == table) {
      table++;
    }
  }

  /**
   * Adds one data row's cells, read through {@code c}.
   *
   * @param decimalComma the file writes decimal commas
   */
  void add(int line, String[] cells, ImpedanceColumns c, boolean decimalComma) {
    if (cells.length < c.width()) {
      throw new SpectrumFormatException(file, line, "expected at least " + c.width() + " columns, found " + cells.length);
    }
    double f = number(line, cells[c.f()], "frequency", decimalComma) * c.fScale();
    double re;
    double im;
    if (c.re() >= 0) {
      re = number(line, cells[c.re()], "Z'", decimalComma) * c.reScale();
      im = number(line, cells[c.im()], "Z''", decimalComma) * c.imScale();
    } else {
      double m = number(line, cells[c.mod()], "|Z|", decimalComma) * c.modScale();
      double p = number(line, cells[c.phase()], "phase", decimalComma) * c.phaseScale();
      re = m * Math.cos(p);
      im = m * Math.sin(p);
    }
    double cycle = c.cycle() >= 0 ? number(line, cells[c.cycle()], "cycle number", decimalComma) : Double.NaN;
    double t = Double.NaN;
    if (c.temperature() >= 0) {
      t = number(line, cells[c.temperature()], "temperature", decimalComma);
      t = c.temperatureKelvin() ? t - 273.15 : t;
    }
    if (!Double.isFinite(f) || !Double.isFinite(re) || !Double.isFinite(im)) {
      notFinite.add(line);
    } else if (f == 0) {
      atZero.add(line);
    } else if (f < 0) {
      negative.add(line);
    } else {
      if (rows.size() == SpectrumFiles.MAX_POINTS) {
        throw new SpectrumFormatException(file, line, "more than " + SpectrumFiles.MAX_POINTS
            + " data points; a spectrum file has at most that many");
      }
      rows.add(new Row(line, table, cycle, f, re, im, t));
    }
  }

  /** A cell's number; NaN for an empty, NaN or infinite cell (the row is then skipped), an error for text. */
  private double number(int line, String cell, String what, boolean decimalComma) {
    String s = cell.trim();
    if (s.isEmpty() || isNotANumberWord(s)) {
      return Double.NaN;
    }
    Double v = SpectrumFiles.parse(s, decimalComma);
    if (v == null) {
      throw new SpectrumFormatException(file, line, what + " is not a number: '" + s + "'");
    }
    return v;
  }

  /** A cell that stands for no value (NaN, an infinity, n/a): its row is skipped, and still a data row. */
  static boolean isNotANumberWord(String s) {
    String t = s.toLowerCase(java.util.Locale.ROOT).replace("+", "").replace("-", "");
    return t.equals("nan") || t.equals("inf") || t.equals("infinity") || t.equals("#n/a") || t.equals("n/a")
        || t.equals("∞");
  }

  /**
   * The spectra, in file order.
   *
   * @param positional the rows were read by position (a header-less table): Z'' must then have the
   *     capacitive sign, or the file is refused as possibly −Z''
   */
  List<SpectrumFiles.Read> build(String format, String encoding, boolean positional) {
    List<String> notes = new ArrayList<>();
    if (!encoding.startsWith("UTF-8")) {
      notes.add("read as " + encoding);
    }
    for (Skipped s : List.of(atZero, negative, notFinite)) {
      if (s.count > 0) {
        notes.add(s.note());
      }
    }
    if (positional) {
      long positive = rows.stream().filter(r -> r.im > 0).count();
      if (positive > rows.size() / 2) {
        throw new SpectrumFormatException(file, rows.get(0).line, "no header, and Z'' (the third column) is positive in "
            + positive + " of " + rows.size() + " rows: is it −Z''? Add a header row (frequency, Z', -Z'') so it is read right");
      }
    }
    List<List<Row>> spectra = cut();
    List<List<Row>> kept = new ArrayList<>();
    for (List<Row> s : spectra) {
      if (s.size() >= 3) {
        kept.add(s);
      } else if (spectra.size() > 1) {
        notes.add("a sweep of " + s.size() + " point(s) on lines " + s.get(0).line + "–" + s.get(s.size() - 1).line
            + " is too short to fit and was left out");
      }
    }
    if (kept.isEmpty()) {
      throw new SpectrumFormatException(file, 0, "found " + rows.size() + " usable data point(s), need at least 3"
          + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    }
    List<SpectrumFiles.Read> out = new ArrayList<>();
    for (int k = 0; k < kept.size(); k++) {
      out.add(toRead(kept.get(k), format, k + 1, kept.size(), notes));
    }
    return out;
  }

  private SpectrumFiles.Read toRead(List<Row> s, String format, int index, int count, List<String> fileNotes) {
    int n = s.size();
    double[] f = new double[n];
    double[] re = new double[n];
    double[] im = new double[n];
    double tSum = 0;
    double tMin = Double.POSITIVE_INFINITY;
    double tMax = Double.NEGATIVE_INFINITY;
    int tCount = 0;
    for (int i = 0; i < n; i++) {
      Row r = s.get(i);
      f[i] = r.f;
      re[i] = r.re;
      im[i] = r.im;
      if (Double.isFinite(r.temperatureC)) {
        tSum += r.temperatureC;
        tCount++;
        tMin = Math.min(tMin, r.temperatureC);
        tMax = Math.max(tMax, r.temperatureC);
      }
    }
    List<String> notes = new ArrayList<>(fileNotes);
    boolean fromFile = tCount > 0;
    double t = fromFile ? tSum / tCount : temperatureC;
    if (fromFile && tMax - tMin > 2) {
      notes.add(String.format(java.util.Locale.ROOT, "the temperature drifted from %.1f to %.1f °C during this sweep",
          tMin, tMax));
    }
    return new SpectrumFiles.Read(new Spectrum(t, f, re, im), format, index, count, s.get(0).line,
        s.get(n - 1).line, fromFile, List.copyOf(notes));
  }

  /** The rows cut where a table starts, the cycle changes or the frequency jumps back. */
  private List<List<Row>> cut() {
    List<List<Row>> out = new ArrayList<>();
    List<Row> current = new ArrayList<>();
    Boolean falling = null;
    for (Row r : rows) {
      if (!current.isEmpty()) {
        Row last = current.get(current.size() - 1);
        double ratio = r.f / last.f;
        boolean jumpsBack = falling != null && (falling ? ratio > 3 : ratio < 1.0 / 3);
        boolean newCycle = !Double.isNaN(r.cycle) && r.cycle != last.cycle;
        if (r.table != last.table || newCycle || jumpsBack) {
          out.add(current);
          current = new ArrayList<>();
          falling = null;
        } else if (falling == null && ratio != 1) {
          falling = ratio < 1;
        }
      }
      current.add(r);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
