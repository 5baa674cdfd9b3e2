package org.ionloop.analysis.eis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads impedance spectra from the files instruments and other tools write, recognised by their
 * content, never by their extension:
 * <ul>
 *   <li>BioLogic EC-Lab / BT-Lab text export ("EC-Lab ASCII FILE", whatever the file is called):
 *       "Nb header lines : N", then a tab-separated table whose columns are found by name; its
 *       loops ({@code cycle number}) are separate spectra;</li>
 *   <li>Gamry Framework {@code .DTA}: each {@code ZCURVE} table is a spectrum (Freq, Zreal, Zimag,
 *       with the units row under the names);</li>
 *   <li>ZView / ZPlot {@code .z} ("End Comments") and ZPlotW / Z60W data files (a quoted
 *       {@code Freq(Hz) … Z'(a) Z''(b)} header): the format's fixed columns;</li>
 *   <li>Princeton Applied Research VersaStudio {@code .par}: each {@code <Segment>} is a spectrum,
 *       its {@code Definition=} line names the columns;</li>
 *   <li>any delimited table, with or without a preamble of instrument settings (CH Instruments,
 *       Parstat, Autolab NOVA, RelaxIS, PowerSuite, spreadsheets): comma, semicolon, tab or spaces,
 *       quoted or not, decimal commas decided once per file; the header above the first run of
 *       numeric rows names the columns (see {@link ImpedanceColumns}).</li>
 * </ul>
 * Text may be UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1252. Nothing is read
 * by position except what a format fixes (ZView) or a header-less table of exactly frequency, Z',
 * Z'' whose Z'' has the capacitive sign. Rows no fit can use (f = 0, f &lt; 0, NaN, infinity, an
 * empty cell) are skipped and counted in the notes; a cell of text is an error. Z'' is returned
 * with its sign (negative for capacitive). Every error names the file and, where there is one, the line.
 */
public final class SpectrumFiles {
  /** The most points one file may have (a sweep has tens to a few thousand). */
  public static final int MAX_POINTS = 100_000;
  /** The largest spectrum file read. */
  static final long MAX_BYTES = 64L << 20;

  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  /**
   * One spectrum read from a file.
   *
   * @param format         what the file was recognised as
   * @param index          which spectrum of the file (1, 2, …)
   * @param count          how many spectra the file holds
   * @param firstLine      the line of its first data row
   * @param lastLine       the line of its last data row
   * @param temperatureFromFile the spectrum's temperature is the mean of the file's temperature
   *     column over its rows, not the one given
   * @param notes          what the reader did that a scientist should know (rows skipped, encoding)
   */
  public record Read(Spectrum spectrum, String format, int index, int count, int firstLine, int lastLine,
      boolean temperatureFromFile, List<String> notes) {}

  private SpectrumFiles() {}

  /**
   * The file's only spectrum.
   *
   * @param temperatureC the cell temperature to record where the file has none
   * @throws SpectrumFormatException when the file cannot be read right, or holds several spectra
   */
  public static Spectrum read(Path file, double temperatureC) {
    return read(file, temperatureC, 0).spectrum();
  }

  /**
   * @param index which spectrum of a file that holds several (1, 2, …); 0 for a file's only one (a
   *     file with several is then refused, naming where each starts)
   */
  public static Read read(Path file, double temperatureC, int index) {
    List<Read> all = readAll(file, temperatureC);
    if (index == 0 && all.size() > 1) {
      throw new SpectrumFormatException(file, all.get(1).firstLine(), all.get(0).format() + " with " + all.size()
          + " spectra (starting on lines " + all.stream().map(Read::firstLine).toList() + "): choose one"
          + " (--spectrum N), or fit them all");
    }
    if (index > all.size()) {
      throw new SpectrumFormatException(file, 0, "spectrum " + index + " asked for, the file has " + all.size());
    }
    return all.get(Math.max(1, index) - 1);
  }

  /** Every spectrum in the file, in file order. */
  public static List<Read> readAll(Path file, double temperatureC) {
    SpectrumText text = SpectrumText.of(file);
    List<String> lines = text.lines();
    SpectrumCollector rows = new SpectrumCollector(file, temperatureC);
    String format;
    boolean positional = false;
    String first = lines.isEmpty() ? "" : lines.get(0).trim();
    if (first.startsWith("EC-Lab ASCII FILE") || first.startsWith("BT-Lab ASCII FILE")) {
      format = "EC-Lab text export";
      readTable(lines, ecLabHeader(lines, rows), rows, false);
    } else if (first.equals("EXPLAIN") || lines.stream().anyMatch(l -> l.startsWith("ZCURVE"))) {
      format = "Gamry DTA";
      readGamry(lines, rows);
    } else if (first.startsWith("<Application>") && lines.stream().anyMatch(l -> l.startsWith("Definition="))) {
      format = "VersaStudio .par";
      readVersaStudio(lines, rows);
    } else if (zviewDataStart(lines) >= 0) {
      format = "ZView/ZPlot";
      readZView(lines, zviewDataStart(lines), rows);
    } else {
      format = lines.stream().limit(10).anyMatch(l -> l.startsWith("Instrument Model:") && l.contains("CHI"))
          ? "CH Instruments text" : "delimited table";
      positional = readTable(lines, -1, rows, true);
    }
    return rows.build(format, text.encoding(), positional);
  }

  /** The EC-Lab header's last line (the column names), 0-based, from "Nb header lines : N". */
  private static int ecLabHeader(List<String> lines, SpectrumCollector rows) {
    int header = 1;
    for (int i = 0; i < Math.min(lines.size(), 10); i++) {
      String l = lines.get(i);
      if (l.toLowerCase(Locale.ROOT).startsWith("nb header lines")) {
        String n = l.substring(l.indexOf(':') + 1).trim();
        try {
          header = Integer.parseInt(n);
        } catch (NumberFormatException e) {
          throw new SpectrumFormatException(rows.file(), i + 1, "Nb header lines is not a number: '" + n + "'");
        }
      }
    }
    if (header < 1 || header > lines.size()) {
      throw new SpectrumFormatException(rows.file(), 2, "header line count " + header + " does not fit the file");
    }
    return header - 1;
  }

  private static void readGamry(List<String> lines, SpectrumCollector rows) {
    boolean any = false;
    for (int t = 0; t < lines.size(); t++) {
      if (!lines.get(t).startsWith("ZCURVE")) {
        continue;
      }
      any = true;
      if (t + 2 >= lines.size()) {
        throw new SpectrumFormatException(rows.file(), t + 1, "the ZCURVE TABLE block has no header");
      }
      ImpedanceColumns c = ImpedanceColumns.of(rows.file(), t + 2, split(lines.get(t + 1).trim(), "\t"),
          split(lines.get(t + 2).trim(), "\t"));
      rows.newTable();
      int i = t + 3;
      for (; i < lines.size(); i++) {
        String l = lines.get(i).trim();
        // The table ends at the first row that is not data (a blank line or the next block), with
        // or without Gamry's leading tab.
        if (l.isEmpty() || !Character.isDigit(l.charAt(0)) && l.charAt(0) != '-') {
          break;
        }
        rows.add(i + 1, split(l, "\t"), c, false);
      }
      t = i - 1;
    }
    if (!any) {
      throw new SpectrumFormatException(rows.file(), 0, "a Gamry file without a ZCURVE table: not an impedance"
          + " measurement (EIS), or aborted before its first point");
    }
  }

  private static void readVersaStudio(List<String> lines, SpectrumCollector rows) {
    ImpedanceColumns c = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.startsWith("<Segment")) {
        rows.newTable();
        c = null;
      } else if (l.startsWith("</Segment")) {
        c = null;
      } else if (l.startsWith("Definition=")) {
        c = ImpedanceColumns.of(rows.file(), i + 1, split(l.substring("Definition=".length()), ","), null);
      } else if (c != null && !l.isEmpty()) {
        rows.add(i + 1, split(l, ","), c, false);
      }
    }
  }

  /**
   * Where ZView's data rows start (0-based), or −1 when this is no ZView file: after "End
   * Comments" (ZPlot2 ASCII), or after a quoted header line naming {@code Z'(a)} and {@code Z''(b)}
   * (ZPlotW and Z60W data files).
   */
  private static int zviewDataStart(List<String> lines) {
    for (int i = 0; i < Math.min(lines.size(), 400); i++) {
      String l = lines.get(i).trim();
      if (l.equalsIgnoreCase("End Comments") || l.contains("Z'(a)") && l.contains("Z''(b)") && l.startsWith("\"")) {
        return i + 1;
      }
    }
    return -1;
  }

  private static void readZView(List<String> lines, int start, SpectrumCollector rows) {
    for (int i = start; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (!l.isEmpty()) {
        rows.add(i + 1, l.split("\\s*,\\s*|\\s+"), ImpedanceColumns.ZVIEW, false);
      }
    }
  }

  /**
   * A delimited table: its header is line {@code header} (0-based), or, for −1, the line above the
   * first run of numeric rows (none when the table starts the file).
   *
   * @return the table had no header and was read by position
   */
  private static boolean readTable(List<String> lines, int header, SpectrumCollector rows, boolean search) {
    int data = search ? firstDataRow(lines) : header + 1;
    if (data < 0 || data >= lines.size()) {
      throw new SpectrumFormatException(rows.file(), 0, "found no table of numbers (at least 3 rows of"
          + " frequency and impedance) in the file");
    }
    String delimiter = search ? delimiterOf(lines.get(data)) : delimiterOf(lines.get(header));
    if (search) {
      header = data - 1;
      while (header >= 0 && (lines.get(header).isBlank() || lines.get(header).trim().startsWith("#"))) {
        header--;
      }
    }
    boolean decimalComma = decimalComma(lines, data, delimiter);
    ImpedanceColumns c;
    boolean positional = header < 0;
    if (positional) {
      int width = split(lines.get(data).trim(), delimiter).length;
      if (width != 3) {
        throw new SpectrumFormatException(rows.file(), data + 1, "no header, and " + width + " columns: without"
            + " names ionloop cannot tell which is which (add a header row: frequency, Z', Z'')");
      }
      c = ImpedanceColumns.POSITIONAL;
    } else {
      c = ImpedanceColumns.of(rows.file(), header + 1, split(lines.get(header).trim(), delimiter), null);
    }
    int width = positional ? 3 : filled(split(lines.get(header).trim(), delimiter));
    for (int i = data; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] cells = split(l, delimiter);
      // A row wider than its header has a delimiter where none belongs (a decimal comma in a
      // comma-separated file): its cells cannot be matched to the names.
      if (filled(cells) > width) {
        throw new SpectrumFormatException(rows.file(), i + 1, "this row has " + filled(cells) + " cells where the "
            + (positional ? "table's first row has 3" : "header (line " + (header + 1) + ") names " + width)
            + ": a decimal comma in a comma-separated file? Quote such cells or use another separator");
      }
      rows.add(i + 1, cells, c, decimalComma);
    }
    return positional;
  }

  /**
   * Where the table's data start, 0-based (−1 for nowhere): the first of two numeric rows in a row
   * with as many cells (a preamble's lone numeric line, such as a point count, is passed over),
   * else the first numeric row.
   */
  private static int firstDataRow(List<String> lines) {
    int firstNumeric = -1;
    for (int i = 0; i < lines.size(); i++) {
      int cells = numericCells(lines.get(i));
      if (cells == 0) {
        continue;
      }
      firstNumeric = firstNumeric < 0 ? i : firstNumeric;
      int next = i + 1;
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      if (next < lines.size() && numericCells(lines.get(next)) == cells) {
        return i;
      }
    }
    return firstNumeric;
  }

  /** How many cells a row has, not counting empty ones at its end (a trailing delimiter). */
  private static int filled(String[] cells) {
    int n = cells.length;
    while (n > 0 && cells[n - 1].isEmpty()) {
      n--;
    }
    return n;
  }

  /** How many cells a row of two or more numbers has (under the delimiter it uses); 0 for another row. */
  private static int numericCells(String line) {
    String l = line.trim();
    if (l.isEmpty()) {
      return 0;
    }
    String[] cells = split(l, delimiterOf(l));
    if (cells.length < 2) {
      return 0;
    }
    int numbers = 0;
    for (String c : cells) {
      if (c.isEmpty()) {
        continue;
      }
      if (parse(c, true) == null && !SpectrumCollector.isNotANumberWord(c.trim())) {
        return 0;
      }
      numbers++;
    }
    return numbers >= 2 ? cells.length : 0;
  }

  /**
   * Whether the file writes decimal commas: its first data rows hold a cell with a comma and none
   * with a point, and the comma is not what separates cells (unless cells are quoted).
   */
  private static boolean decimalComma(List<String> lines, int data, String delimiter) {
    boolean comma = false;
    for (int i = data; i < Math.min(lines.size(), data + 20); i++) {
      for (String c : split(lines.get(i).trim(), delimiter)) {
        if (c.indexOf('.') >= 0 && NUMBER.matcher(c).matches()) {
          return false;
        }
        comma |= c.indexOf(',') >= 0;
      }
    }
    return comma;
  }

  /** The delimiter a row uses: tab, semicolon, comma (outside quotes), or runs of spaces. */
  private static String delimiterOf(String row) {
    if (row.indexOf('\t') >= 0) {
      return "\t";
    }
    if (row.indexOf(';') >= 0) {
      return ";";
    }
    boolean quoted = false;
    for (int i = 0; i < row.length(); i++) {
      char ch = row.charAt(i);
      if (ch == '"' && (quoted || i == 0 || row.charAt(i - 1) == ',' || row.charAt(i - 1) == ' ')) {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        return ",";
      }
    }
    return " ";
  }

  /** Splits a row on the delimiter, honouring double-quoted cells. */
  static String[] split(String row, String delimiter) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean spaces = delimiter.equals(" ");
    for (int i = 0; i < row.length(); i++) {
      char ch = row.charAt(i);
      // A quote opens a quoted cell only at the cell's start: CH Instruments' Z"/ohm is a name.
      if (ch == '"' && (quoted || cell.toString().isBlank())) {
        if (quoted && i + 1 < row.length() && row.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (!quoted && (spaces ? Character.isWhitespace(ch) : delimiter.indexOf(ch) == 0)) {
        if (!spaces || cell.length() > 0) {
          cells.add(cell.toString().trim());
        }
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    if (!spaces || cell.length() > 0) {
      cells.add(cell.toString().trim());
    }
    return cells.toArray(String[]::new);
  }

  /**
   * A number written as instruments write them (no hex, no Java suffixes); with a decimal comma
   * where the file uses them; infinite for an overflow such as 1e999; null if it is no number.
   */
  static Double parse(String s, boolean decimalComma) {
    String t = s.trim();
    if (decimalComma && t.indexOf(',') >= 0 && t.indexOf('.') < 0) {
      t = t.replace(',', '.');
    }
    if (!NUMBER.matcher(t).matches()) {
      return null;
    }
    return Double.parseDouble(t);
  }
}
