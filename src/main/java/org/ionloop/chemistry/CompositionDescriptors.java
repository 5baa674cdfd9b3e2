package org.ionloop.chemistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A composition described as a materials scientist would, from its elements' properties rather
 * than by which elements it has: for each property of Magpie's table
 * ({@code chemistry/magpie-element-properties.csv}: Z, Mendeleev number, weight, melting point,
 * column, row, covalent radius, Pauling electronegativity, valence electrons, unfilled orbitals,
 * ground-state volume) its fraction-weighted mean, mean absolute deviation, minimum, maximum and
 * range over the elements present (Ward et al., npj Comput. Mater. 2, 16028 (2016)). Two
 * compositions of different families with similar chemistry then lie close together, which raw
 * element fractions of fifty-odd elements never do.
 */
public final class CompositionDescriptors {
  /** The statistics taken of each property, in the order of {@link #names()}. */
  public static final List<String> STATISTICS = List.of("mean", "avg_dev", "min", "max", "range");

  private static final String RESOURCE = "chemistry/magpie-element-properties.csv";
  private static final List<String> PROPERTIES;
  private static final Map<String, double[]> TABLE = new HashMap<>();

  static {
    List<String[]> rows = Elements.rows(RESOURCE);
    PROPERTIES = header();
    for (String[] row : rows) {
      double[] v = new double[PROPERTIES.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = k + 1 < row.length && !row[k + 1].isBlank() ? Double.parseDouble(row[k + 1]) : Double.NaN;
      }
      TABLE.put(row[0], v);
    }
  }

  private CompositionDescriptors() {}

  /** The property names: the header of the table after {@code symbol}. */
  private static List<String> header() {
    var in = CompositionDescriptors.class.getClassLoader().getResourceAsStream(RESOURCE);
    try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("#")) {
          List<String> names = List.of(line.split(","));
          return names.subList(1, names.size());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(RESOURCE, e);
    }
    throw new IllegalStateException(RESOURCE + " has no header");
  }

  /** The descriptor names, {@code property_statistic} (electronegativity_mean, …). */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (String p : PROPERTIES) {
      for (String s : STATISTICS) {
        out.add(p + "_" + s);
      }
    }
    return out;
  }

  /**
   * @param fractions amount of each element (any positive scale; normalised here), by symbol
   * @throws IllegalArgumentException for an element the table lacks, or a property it has no
   *     value of (Magpie knows no electronegativity for He, Ne, Ar), naming both
   */
  public static double[] of(Map<String, Double> fractions) {
    double total = fractions.values().stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).sum();
    if (!(total > 0)) {
      throw new IllegalArgumentException("a composition needs at least one element with a positive amount");
    }
    double[] out = new double[PROPERTIES.size() * STATISTICS.size()];
    for (int k = 0; k < PROPERTIES.size(); k++) {
      double mean = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (Map.Entry<String, Double> e : fractions.entrySet()) {
        if (e.getValue() > 0) {
          double p = value(e.getKey(), k);
          mean += e.getValue() / total * p;
          min = Math.min(min, p);
          max = Math.max(max, p);
        }
      }
      double deviation = 0;
      for (Map.Entry<String, Double> e : fractions.entrySet()) {
        if (e.getValue() > 0) {
          deviation += e.getValue() / total * Math.abs(value(e.getKey(), k) - mean);
        }
      }
      int at = k * STATISTICS.size();
      out[at] = mean;
      out[at + 1] = deviation;
      out[at + 2] = min;
      out[at + 3] = max;
      out[at + 4] = max - min;
    }
    return out;
  }

  /** Whether the table lists this element (every property known or not). */
  public static boolean knows(String symbol) {
    return TABLE.containsKey(symbol);
  }

  private static double value(String symbol, int property) {
    double[] v = TABLE.get(symbol);
    if (v == null) {
      throw new IllegalArgumentException("no element '" + symbol + "' in " + RESOURCE);
    }
    if (Double.isNaN(v[property])) {
      throw new IllegalArgumentException("Magpie's table has no " + PROPERTIES.get(property) + " for " + symbol
          + ": a composition containing it cannot be described");
    }
    return v[property];
  }
}
