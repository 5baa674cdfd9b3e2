package org.ionloop.analysis.eis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads impedance spectra from the files instruments and other tools write, recognised by their
 * content, not their extension:
 * <ul>
 *   <li>BioLogic EC-Lab / BT-Lab text export ("EC-Lab ASCII FILE", whatever the file is called):
 *       "Nb header lines : N", then a tab-separated table whose columns are found by name;</li>
 *   <li>Gamry Framework {@code .DTA}: a {@code ZCURVE TABLE} block, columns {@code Freq},
 *       {@code Zreal}, {@code Zimag};</li>
 *   <li>ZView / ZPlot {@code .z}: rows after {@code End Comments}: Freq, Ampl, Bias, Time, Z', Z'';</li>
 *   <li>any delimited table (comma, semicolon, tab or spaces; quoted cells; a UTF-8 byte-order
 *       mark; decimal commas where the delimiter is not a comma) whose header names the columns:
 *       frequency, and Z' with Z'' (or −Z''), or |Z| with the phase in degrees, in any order and
 *       among any other columns (time, current, …).</li>
 * </ul>
 * Nothing is read by position except what a format fixes (ZView) or a header-less table of
 * exactly frequency, Z', Z'' whose Z'' has the capacitive sign. Rows at f = 0 (a linked DC
 * technique) are skipped and said so; a file that holds several sweeps is refused unless one is
 * chosen. Z'' is returned with its sign (negative for capacitive). Errors name the file and line.
 */
public final class SpectrumFiles {
  /** The most points one spectrum may have (a sweep has tens to a few thousand). */
  public static final int MAX_POINTS = 100_000;
  /** The largest spectrum file read. */
  static final long MAX_BYTES = 64L << 20;

  /**
   * A spectrum read from a file: which format it was recognised as, which sweep of how many, and
   * anything the reader did that a scientist should know (rows skipped).
   */
  public record Read(Spectrum spectrum, String format, int sweep, int sweeps, List<String> notes) {}

  private SpectrumFiles() {}

  /**
   * @param temperatureC the cell temperature to record (files rarely carry it)
   * @throws SpectrumFormatException when the file cannot be read right, with the reason
   */
  public static Spectrum read(Path file, double temperatureC) {
    return read(file, temperatureC, 0).spectrum();
  }

  /**
   * @param sweep which sweep of a file that holds several (1, 2, …); 0 to refuse such a file
   */
  public static Read read(Path file, double temperatureC, int sweep) {
    List<String> lines = lines(file);
    Builder b = new Builder(file, temperatureC);
    String format;
    if (!lines.isEmpty() && (lines.get(0).startsWith("EC-Lab ASCII FILE") || lines.get(0).startsWith("BT-Lab ASCII FILE"))) {
      format = "EC-Lab text export";
      readEcLab(lines, b);
    } else if (lines.stream().limit(200).anyMatch(l -> l.startsWith("ZCURVE\tTABLE") || l.startsWith("ZCURVE "))) {
      format = "Gamry DTA";
      readDta(lines, b, sweep);
    } else if (lines.stream().limit(200).anyMatch(l -> l.trim().equalsIgnoreCase("End Comments"))) {
      format = "ZView/ZPlot";
      readZView(lines, b);
    } else {
      format = "delimited table";
      readTable(lines, 0, b);
    }
    return b.build(format, sweep);
  }

  /** The file's lines: UTF-8 when it is valid UTF-8 (a byte-order mark dropped), else Latin-1 (Windows exports). */
  private static List<String> lines(Path file) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new SpectrumFormatException(file, 0, String.format("the file has %,d bytes; spectrum files"
            + " are limited to %,d bytes", size, MAX_BYTES));
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SpectrumFormatException(file, 0, "cannot read: " + e.getMessage());
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return text.lines().toList();
  }

  private static void readEcLab(List<String> lines, Builder b) {
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
    readTable(lines, header - 1, b);
  }

  private static void readDta(List<String> lines, Builder b, int sweep) {
    List<Integer> tables = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("ZCURVE")) {
        tables.add(i);
      }
    }
    // Several ZCURVE tables are several sweeps (Gamry's repeated EIS): one is read, when chosen.
    b.sweepsFound(tables.stream().map(t -> t + 1).toList());
    int table = tables.get(sweep > 0 && sweep <= tables.size() ? sweep - 1 : 0);
    if (table + 2 >= lines.size()) {
      throw new SpectrumFormatException(b.file, table + 1, "the ZCURVE TABLE block has no header");
    }
    Columns c = Columns.of(b, table + 2, split(lines.get(table + 1).trim(), "\t"));
    for (int i = table + 3; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      // The table ends at the first row that is not data (a blank line or the next block), with
      // or without Gamry's leading tab.
      if (l.isEmpty() || !Character.isDigit(l.charAt(0)) && l.charAt(0) != '-') {
        break;
      }
      c.add(b, i + 1, split(l, "\t"));
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
    // ZView's format fixes the columns: Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range.
    Columns c = new Columns(0, 4, 5, -1, -1, false);
    for (int i = start; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        c.add(b, i + 1, lines.get(i).trim().split("\\s*,\\s*|\\s+"));
      }
    }
  }

  /** A delimited table from line {@code from}: a header naming the columns, or exactly f, Z', Z''. */
  private static void readTable(List<String> lines, int from, Builder b) {
    int first = from;
    while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).trim().startsWith("#"))) {
      first++;
    }
    if (first == lines.size()) {
      throw new SpectrumFormatException(b.file, 0, "found 0 data points, need at least 3");
    }
    String delimiter = delimiter(lines.get(first));
    String[] head = split(lines.get(first).trim(), delimiter);
    Columns c;
    int data;
    if (allNumeric(head, delimiter)) {
      if (head.length != 3) {
        throw new SpectrumFormatException(b.file, first + 1, "no header, and " + head.length + " columns: without"
            + " names ionloop cannot tell which is which (add a header row: frequency, Z', Z'')");
      }
      c = new Columns(0, 1, 2, -1, -1, false);
      b.hasHeader = false;
      data = first;
    } else {
      c = Columns.of(b, first + 1, head);
      data = first + 1;
    }
    for (int i = data; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      c.add(b, i + 1, split(l, delimiter));
    }
  }

  /** The delimiter a table row uses: tab, semicolon, comma, or runs of spaces. */
  private static String delimiter(String row) {
    if (row.indexOf('\t') >= 0) {
      return "\t";
    }
    if (row.indexOf(';') >= 0) {
      return ";";
    }
    if (row.indexOf(',') >= 0) {
      return ",";
    }
    return " ";
  }

  /** Splits a row on the delimiter, honouring double-quoted cells. */
  private static String[] split(String row, String delimiter) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < row.length(); i++) {
      char ch = row.charAt(i);
      if (ch == '"') {
        if (quoted && i + 1 < row.length() && row.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (!quoted && (delimiter.equals(" ") ? Character.isWhitespace(ch) : delimiter.indexOf(ch) == 0)) {
        if (!delimiter.equals(" ") || cell.length() > 0) {
          cells.add(cell.toString().trim());
        }
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    if (!delimiter.equals(" ") || cell.length() > 0) {
      cells.add(cell.toString().trim());
    }
    return cells.toArray(String[]::new);
  }

  private static boolean allNumeric(String[] cells, String delimiter) {
    for (String c : cells) {
      if (parse(c, !delimiter.equals(",")) == null) {
        return false;
      }
    }
    return cells.length > 0;
  }

  /** A number, with a decimal comma where the delimiter allows one; null if it is none. */
  private static Double parse(String s, boolean decimalCommaAllowed) {
    String t = s.trim();
    if (decimalCommaAllowed && t.indexOf(',') >= 0 && t.indexOf('.') < 0) {
      t = t.replace(',', '.');
    }
    try {
      double v = Double.parseDouble(t);
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int parseInt(Builder b, int line, String s, String what) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new SpectrumFormatException(b.file, line, what + " is not a number: '" + s + "'");
    }
  }

  /**
   * Where frequency, Z' and Z'' (or |Z| and phase) are in a row, found by their names.
   *
   * @param negateIm the Z'' column holds −Z''
   */
  private record Columns(int f, int re, int im, int mod, int phase, boolean negateIm) {
    private static final Pattern UNIT = Pattern.compile("\\(.*?\\)|\\[.*?]|/.*$|_(hz|ohm|ohms|deg|degrees?)$");

    static Columns of(Builder b, int line, String[] header) {
      int f = -1;
      int re = -1;
      int im = -1;
      int mod = -1;
      int phase = -1;
      boolean negate = false;
      for (int i = 0; i < header.length; i++) {
        String raw = header[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
        boolean minus = raw.startsWith("-");
        String n = UNIT.matcher(minus ? raw.substring(1) : raw).replaceAll("");
        switch (n) {
          case "f", "freq", "frequency", "frequencies" -> f = first(f, i);
          case "z''", "z\"", "zim", "z_im", "zimag", "z_imag", "im", "imag", "zi", "im(z)", "imz", "zimaginary" -> {
            im = first(im, i);
            negate = minus;
          }
          case "z'", "zre", "z_re", "zreal", "z_real", "re", "real", "zr", "rez" -> re = first(re, i);
          case "|z|", "zmod", "z_mod", "mod", "modulus", "|z", "magnitude" -> mod = first(mod, i);
          case "phase", "phz", "zphz", "z_phz", "phi", "theta", "angle", "phase(z)" -> phase = first(phase, i);
          default -> { }
        }
      }
      String columns = String.join(", ", header);
      if (f < 0) {
        throw new SpectrumFormatException(b.file, line, "no frequency column in the header (columns: " + columns + ")");
      }
      if (re >= 0 && im >= 0) {
        return new Columns(f, re, im, -1, -1, negate);
      }
      if (mod >= 0 && phase >= 0) {
        return new Columns(f, -1, -1, mod, phase, false);
      }
      throw new SpectrumFormatException(b.file, line, (re < 0 && mod < 0 ? "no column for Z'" : "no column for Z''")
          + " (Z' and Z'' or −Z'', or |Z| and phase) in the header (columns: " + columns + ")");
    }

    private static int first(int found, int i) {
      return found >= 0 ? found : i;
    }

    void add(Builder b, int line, String[] v) {
      int need = Math.max(f, Math.max(Math.max(re, im), Math.max(mod, phase))) + 1;
      if (v.length < need) {
        throw new SpectrumFormatException(b.file, line, "expected at least " + need + " columns, found " + v.length);
      }
      double freq = b.number(line, v[f], "frequency");
      if (freq == 0) {
        b.skippedAtZero(line);
        return;
      }
      if (re >= 0) {
        b.add(line, freq, b.number(line, v[re], "Z'"), b.number(line, v[im], "Z''") * (negateIm ? -1 : 1), v[f]);
      } else {
        double m = b.number(line, v[mod], "|Z|");
        double p = Math.toRadians(b.number(line, v[phase], "phase"));
        b.add(line, freq, m * Math.cos(p), m * Math.sin(p), v[f]);
      }
    }
  }

  /** Collects points, checking each, and sees whether they are one sweep. */
  private static final class Builder {
    final Path file;
    final double temperatureC;
    final List<double[]> points = new ArrayList<>();
    final List<Integer> lineOf = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    int skippedAtZero;
    int firstSkipped;
    /** Where the file's tables start, when its format has one per sweep (Gamry); else empty. */
    List<Integer> tableLines = List.of();
    /** False for a header-less table read by position, whose Z'' sign is then checked. */
    boolean hasHeader = true;

    Builder(Path file, double temperatureC) {
      this.file = file;
      this.temperatureC = temperatureC;
    }

    void sweepsFound(List<Integer> lines) {
      tableLines = lines;
    }

    void skippedAtZero(int line) {
      if (skippedAtZero++ == 0) {
        firstSkipped = line;
      }
    }

    void add(int line, double freq, double zr, double zi, String rawF) {
      if (!(freq > 0)) {
        throw new SpectrumFormatException(file, line, "frequency must be > 0, got " + rawF.trim());
      }
      if (points.size() == MAX_POINTS) {
        throw new SpectrumFormatException(file, line, "more than " + MAX_POINTS
            + " data points; a spectrum has at most that many");
      }
      points.add(new double[] {freq, zr, zi});
      lineOf.add(line);
    }

    double number(int line, String s, String what) {
      Double v = parse(s, true);
      if (v == null) {
        throw new SpectrumFormatException(file, line, what + " is not a number: '" + s.trim() + "'");
      }
      return v;
    }

    /** Where a new sweep starts: the frequency jumps back against the sweep's direction. */
    List<Integer> sweepStarts() {
      List<Integer> starts = new ArrayList<>(List.of(0));
      if (points.size() < 3) {
        return starts;
      }
      boolean falling = points.get(1)[0] < points.get(0)[0];
      for (int i = 1; i < points.size(); i++) {
        double ratio = points.get(i)[0] / points.get(i - 1)[0];
        if (falling ? ratio > 3 : ratio < 1.0 / 3) {
          starts.add(i);
        }
      }
      return starts;
    }

    Read build(String format, int sweep) {
      int tables = tableLines.size();
      if (tables > 1 && sweep == 0) {
        throw new SpectrumFormatException(file, tableLines.get(1), format + " with " + tables + " sweeps (tables at lines "
            + tableLines + "): choose one (eis fit --sweep N), ionloop fits one sweep at a time");
      }
      if (tables > 1 && sweep > tables) {
        throw new SpectrumFormatException(file, 0, "sweep " + sweep + " asked for, the file has " + tables);
      }
      List<double[]> chosen = points;
      int sweeps = tables;
      int which = tables > 1 ? sweep : 1;
      if (tableLines.isEmpty()) { // one table: its sweeps are where the frequency jumps back
        List<Integer> starts = sweepStarts();
        sweeps = starts.size();
        if (sweeps > 1 && sweep == 0) {
          throw new SpectrumFormatException(file, lineOf.get(starts.get(1)), format + " with " + sweeps
              + " sweeps (starting on lines " + starts.stream().map(lineOf::get).toList() + "): choose one"
              + " (eis fit --sweep N), ionloop fits one sweep at a time");
        }
        if (sweep > sweeps) {
          throw new SpectrumFormatException(file, 0, "sweep " + sweep + " asked for, the file has " + sweeps);
        }
        which = Math.max(1, sweep);
        int from = starts.get(which - 1);
        int to = which < sweeps ? starts.get(which) : points.size();
        chosen = points.subList(from, to);
      }
      if (skippedAtZero > 0) {
        notes.add(skippedAtZero + " row(s) at f = 0 skipped (a DC step, e.g. a linked technique), the first on line "
            + firstSkipped);
      }
      if (chosen.size() < 3) {
        throw new SpectrumFormatException(file, 0, "found " + chosen.size() + " data points, need at least 3");
      }
      int n = chosen.size();
      double[] f = new double[n];
      double[] re = new double[n];
      double[] im = new double[n];
      int positive = 0;
      for (int i = 0; i < n; i++) {
        f[i] = chosen.get(i)[0];
        re[i] = chosen.get(i)[1];
        im[i] = chosen.get(i)[2];
        positive += im[i] > 0 ? 1 : 0;
      }
      if (format.equals("delimited table") && !hasHeader && positive > n / 2) {
        throw new SpectrumFormatException(file, lineOf.get(0), "no header, and Z'' (the third column) is positive in "
            + positive + " of " + n + " rows: is it −Z''? Add a header row (frequency, Z', -Z'') so it is read right");
      }
      return new Read(new Spectrum(temperatureC, f, re, im), format, which, sweeps, List.copyOf(notes));
    }
  }
}
