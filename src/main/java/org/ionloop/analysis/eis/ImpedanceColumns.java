package org.ionloop.analysis.eis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cells of a row hold frequency and impedance, found by the header's names and units, never
 * by position: {@code freq/Hz}, {@code Frequency (kHz)}, {@code Re(Z)/Ohm}, {@code Z' (Ω)},
 * {@code Zreal}, {@code -Im(Z)/Ohm}, {@code -Z'' (kΩ)}, {@code Zimag}, {@code |Z|} with
 * {@code Phase/deg} or {@code -Phase (°)}, and the optional cycle and temperature columns that
 * split and label the spectra. A unit that is not understood is refused, not assumed (Ω·cm is a
 * specific impedance, not Ω), and so is a role two columns claim.
 *
 * @param scale the factor from each role's unit to Hz, Ω and radians
 */
record ImpedanceColumns(int f, int re, int im, int mod, int phase, int cycle, int temperature,
    double fScale, double reScale, double imScale, double modScale, double phaseScale, boolean temperatureKelvin) {

  /** ZView / ZPlot's fixed layout: Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range. */
  static final ImpedanceColumns ZVIEW = new ImpedanceColumns(0, 4, 5, -1, -1, -1, -1, 1, 1, 1, 1, 1, false);
  /** A header-less table of exactly frequency, Z', Z''. */
  static final ImpedanceColumns POSITIONAL = new ImpedanceColumns(0, 1, 2, -1, -1, -1, -1, 1, 1, 1, 1, 1, false);

  private enum Role { F, RE, IM, MOD, PHASE, CYCLE, TEMPERATURE }

  private static final Map<String, Role> NAMES = names();

  private static Map<String, Role> names() {
    Map<String, Role> m = new java.util.HashMap<>();
    for (String n : List.of("f", "freq", "freq.", "frequency", "frequencies")) {
      m.put(n, Role.F);
    }
    for (String n : List.of("z'", "zre", "z_re", "zreal", "z_real", "re", "real", "zr", "rez", "re(z)", "realz",
        "z'(ω)")) {
      m.put(n, Role.RE);
    }
    for (String n : List.of("z''", "z\"", "zim", "z_im", "zimag", "zimg", "z_imag", "im", "imag", "zi", "im(z)",
        "imz", "zimaginary", "imagz", "z''(ω)")) {
      m.put(n, Role.IM);
    }
    // "Impedance" beside a phase column is the modulus (vendor exports: Impedance (ohm), Phase (degrees)).
    for (String n : List.of("|z|", "z", "zmod", "z_mod", "mod", "modulus", "magnitude", "|z", "impedance",
        "|impedance|")) {
      m.put(n, Role.MOD);
    }
    for (String n : List.of("phase", "phz", "zphz", "z_phz", "phi", "theta", "angle", "phase(z)")) {
      m.put(n, Role.PHASE);
    }
    for (String n : List.of("cyclenumber", "cycle", "cycleno", "loop", "zcycle", "sweep")) {
      m.put(n, Role.CYCLE);
    }
    for (String n : List.of("temperature", "temp", "t(cell)", "celltemperature")) {
      m.put(n, Role.TEMPERATURE);
    }
    return Map.copyOf(m);
  }

  /** A unit after a slash, or in a trailing bracket pair. */
  private static final Pattern SLASH_UNIT = Pattern.compile("^(.+?)/([^/()]+)$");
  private static final Pattern BRACKET_UNIT = Pattern.compile("^(.*?)\\s*[(\\[]([^()\\[\\]]*)[)\\]]$");
  /** Underscore suffixes that are units (frequency_hz, z_re_ohm). */
  private static final Pattern UNDERSCORE_UNIT = Pattern.compile("^(.+?)_(hz|khz|ohm|ohms|kohm|deg|degrees|rad|c|k)$",
      Pattern.CASE_INSENSITIVE);

  /**
   * The columns a header names.
   *
   * @param units a separate row of units (Gamry's second header row), or null
   */
  static ImpedanceColumns of(Path file, int line, String[] header, String[] units) {
    int[] at = {-1, -1, -1, -1, -1, -1, -1};
    String[] unitOf = new String[at.length];
    boolean[] minus = new boolean[at.length];
    for (int i = 0; i < header.length; i++) {
      String cell = header[i].trim();
      boolean negative = cell.startsWith("-") || cell.startsWith("−");
      String[] nameAndUnit = split(negative ? cell.substring(1).trim() : cell);
      Role role = NAMES.get(nameAndUnit[0].toLowerCase(Locale.ROOT).replace(" ", ""));
      if (role == null) {
        continue;
      }
      int r = role.ordinal();
      if (at[r] >= 0) {
        throw new SpectrumFormatException(file, line, "two columns could be " + describe(role) + ": '"
            + header[at[r]].trim() + "' and '" + cell + "'; ionloop does not guess which (rename one)");
      }
      at[r] = i;
      unitOf[r] = nameAndUnit[1].isEmpty() && units != null && i < units.length ? units[i].trim() : nameAndUnit[1];
      minus[r] = negative;
    }
    String columns = String.join(", ", header).trim();
    int f = at[Role.F.ordinal()];
    if (f < 0) {
      throw new SpectrumFormatException(file, line, "no frequency column in the header (columns: " + columns + ")");
    }
    // Only the units of the columns used are checked: a file's unused phase column may carry a
    // mangled degree sign without making its Z' and Z'' any less right.
    double fScale = frequencyScale(file, line, header[f].trim(), unitOf[0]);
    int cycle = at[Role.CYCLE.ordinal()];
    int t = at[Role.TEMPERATURE.ordinal()];
    boolean kelvin = t >= 0 && isKelvin(file, line, header[t].trim(), unitOf[Role.TEMPERATURE.ordinal()]);
    int re = at[Role.RE.ordinal()];
    int im = at[Role.IM.ordinal()];
    int mod = at[Role.MOD.ordinal()];
    int phase = at[Role.PHASE.ordinal()];
    if (re >= 0 && im >= 0) {
      double reScale = impedanceScale(file, line, header[re].trim(), unitOf[Role.RE.ordinal()]);
      double imScale = impedanceScale(file, line, header[im].trim(), unitOf[Role.IM.ordinal()]);
      return new ImpedanceColumns(f, re, im, -1, -1, cycle, t, fScale, reScale,
          minus[Role.IM.ordinal()] ? -imScale : imScale, 1, 1, kelvin);
    }
    if (mod >= 0 && phase >= 0) {
      double phaseScale = phaseScale(file, line, header[phase].trim(), unitOf[Role.PHASE.ordinal()]);
      return new ImpedanceColumns(f, -1, -1, mod, phase, cycle, t, fScale, 1, 1,
          impedanceScale(file, line, header[mod].trim(), unitOf[Role.MOD.ordinal()]),
          minus[Role.PHASE.ordinal()] ? -phaseScale : phaseScale, kelvin);
    }
    throw new SpectrumFormatException(file, line, (re < 0 && mod < 0 ? "no column for Z'" : "no column for Z''")
        + " (Z' and Z'' or −Z'', or |Z| and phase) in the header (columns: " + columns + ")");
  }

  /** {name, unit}: "Re(Z)/Ohm" → {Re(Z), Ohm}; "Z'(a)" → {Z', ""} (ZView's labels are no units). */
  private static String[] split(String cell) {
    Matcher slash = SLASH_UNIT.matcher(cell);
    if (slash.matches()) {
      return new String[] {slash.group(1).trim(), slash.group(2).trim()};
    }
    Matcher bracket = BRACKET_UNIT.matcher(cell);
    if (bracket.matches() && !bracket.group(1).isEmpty()) {
      String inside = bracket.group(2).trim();
      // Re(Z), Im(Z), Phase(Z) name the quantity, and ZView's (a), (b) label it: neither is a unit.
      if (inside.equalsIgnoreCase("z") || inside.equalsIgnoreCase("a") || inside.equalsIgnoreCase("b")) {
        String name = bracket.group(1).trim();
        return new String[] {inside.equalsIgnoreCase("z") ? name + "(z)" : name, ""};
      }
      return new String[] {bracket.group(1).trim(), inside};
    }
    Matcher underscore = UNDERSCORE_UNIT.matcher(cell);
    if (underscore.matches()) {
      return new String[] {underscore.group(1), underscore.group(2)};
    }
    return new String[] {cell, ""};
  }

  private static double frequencyScale(Path file, int line, String column, String unit) {
    switch (unit) {
      case "", "Hz", "hz", "HZ", "1/s", "s-1" -> {
        return 1;
      }
      case "kHz", "khz", "KHz", "KHZ" -> {
        return 1e3;
      }
      case "MHz" -> {
        return 1e6;
      }
      case "mHz" -> {
        return 1e-3;
      }
      default -> throw unknownUnit(file, line, column, unit, "Hz, kHz, MHz or mHz (case matters: mHz is milli-,"
          + " MHz mega-)");
    }
  }

  private static double impedanceScale(Path file, int line, String column, String unit) {
    String u = unit.replace("Ω", "Ohm").replace("ohms", "ohm").replace("Ohms", "Ohm").replace("OHM", "Ohm");
    if (u.toLowerCase(Locale.ROOT).contains("cm")) {
      throw new SpectrumFormatException(file, line, "column '" + column + "' is in " + unit + ": a specific"
          + " impedance (normalised by the cell's geometry); ionloop needs the measured impedance in Ω");
    }
    switch (u) {
      case "", "ohm", "Ohm" -> {
        return 1;
      }
      case "kohm", "kOhm", "KOhm", "Kohm" -> {
        return 1e3;
      }
      case "MOhm", "Mohm" -> {
        return 1e6;
      }
      case "mOhm", "mohm" -> {
        return 1e-3;
      }
      default -> throw unknownUnit(file, line, column, unit, "Ω, kΩ, MΩ or mΩ");
    }
  }

  private static double phaseScale(Path file, int line, String column, String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "", "deg", "degree", "degrees", "°", "º" -> {
        return Math.PI / 180;
      }
      case "rad", "radian", "radians" -> {
        return 1;
      }
      default -> throw unknownUnit(file, line, column, unit, "degrees or radians");
    }
  }

  private static boolean isKelvin(Path file, int line, String column, String unit) {
    switch (unit.replace("°", "").replace("º", "").trim()) {
      case "", "C", "c", "degC" -> {
        return false;
      }
      case "K" -> {
        return true;
      }
      default -> throw unknownUnit(file, line, column, unit, "°C or K");
    }
  }

  private static SpectrumFormatException unknownUnit(Path file, int line, String column, String unit, String known) {
    return new SpectrumFormatException(file, line, "column '" + column + "' has the unit '" + unit + "', which ionloop"
        + " does not know for this quantity (it reads " + known + ")");
  }

  private static String describe(Role role) {
    return switch (role) {
      case F -> "the frequency";
      case RE -> "Z'";
      case IM -> "Z''";
      case MOD -> "|Z|";
      case PHASE -> "the phase";
      case CYCLE -> "the cycle number";
      case TEMPERATURE -> "the temperature";
    };
  }

  /** How many cells a row must have to hold every column used. */
  int width() {
    int w = Math.max(f, Math.max(Math.max(re, im), Math.max(mod, phase)));
    return Math.max(w, Math.max(cycle, temperature)) + 1;
  }

  /** The indices of the cells whose values matter, for the reader's checks. */
  List<Integer> used() {
    List<Integer> u = new ArrayList<>(List.of(f));
    if (re >= 0) {
      u.addAll(List.of(re, im));
    } else {
      u.addAll(List.of(mod, phase));
    }
    return u;
  }
}
