package org.ionloop.proposer.forward;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measured ionic conductivities as {@code models/training/prepare_real_data.py} writes them
 * ({@code sse-real.csv}: split, sources, family, formula, temperature_c, log10_sigma, censored, n,
 * then one column per element with its fraction per atom). '#' lines are the attribution.
 */
public final class MeasuredConductivities {
  /**
   * One measurement.
   *
   * @param censored the value is only a bound ("below the instrument's range"), not a measurement
   */
  public record Row(String split, String family, String formula, double temperatureC, double log10Sigma,
      boolean censored, Map<String, Double> fractions) {}

  private MeasuredConductivities() {}

  /** @throws IllegalArgumentException naming the file and line of a malformed row */
  public static List<Row> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + ": no header");
    }
    List<String> header = List.of(lines.get(0).split(","));
    int firstElement = header.indexOf("n") + 1;
    for (String required : List.of("split", "family", "formula", "temperature_c", "log10_sigma", "censored", "n")) {
      if (!header.contains(required)) {
        throw new IllegalArgumentException(file + ": no column '" + required + "' (columns: " + header + ")");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] c = lines.get(i).split(",", -1);
      if (c.length != header.size()) {
        throw new IllegalArgumentException(file + ": data row " + i + " has " + c.length + " cells, the header "
            + header.size());
      }
      Map<String, Double> fractions = new LinkedHashMap<>();
      for (int k = firstElement; k < c.length; k++) {
        double v = Double.parseDouble(c[k]);
        if (v > 0) {
          fractions.put(header.get(k), v);
        }
      }
      rows.add(new Row(c[header.indexOf("split")], c[header.indexOf("family")], c[header.indexOf("formula")],
          Double.parseDouble(c[header.indexOf("temperature_c")]), Double.parseDouble(c[header.indexOf("log10_sigma")]),
          c[header.indexOf("censored")].equals("1"), fractions));
    }
    return rows;
  }
}
