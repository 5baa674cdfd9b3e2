package org.ionloop.chemistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The elements ionloop can weigh, as data: IUPAC 2021 standard atomic weights
 * ({@code chemistry/iupac-2021-standard-atomic-weights.csv}) and the common oxidation states a
 * precursor is checked against ({@code chemistry/common-oxidation-states.csv}). Both files name
 * their source; nothing here is a hand-kept map per compound.
 */
public final class Elements {
  /** An element: symbol, atomic number, standard atomic weight (g/mol), common oxidation states. */
  public record Element(String symbol, int z, String name, double weight, List<Integer> oxidationStates) {}

  private static final Map<String, Element> BY_SYMBOL = load();

  private Elements() {}

  /** The element with this symbol (case as written: "Co" is cobalt, "CO" is not a symbol). */
  public static Optional<Element> bySymbol(String symbol) {
    return Optional.ofNullable(BY_SYMBOL.get(symbol));
  }

  public static int count() {
    return BY_SYMBOL.size();
  }

  private static Map<String, Element> load() {
    Map<String, List<Integer>> states = new LinkedHashMap<>();
    for (String[] row : rows("chemistry/common-oxidation-states.csv")) {
      List<Integer> s = new ArrayList<>();
      for (String v : row[1].trim().split("\\s+")) {
        s.add(Integer.parseInt(v));
      }
      states.put(row[0], List.copyOf(s));
    }
    Map<String, Element> out = new LinkedHashMap<>();
    for (String[] row : rows("chemistry/iupac-2021-standard-atomic-weights.csv")) {
      out.put(row[0], new Element(row[0], Integer.parseInt(row[1]), row[2], Double.parseDouble(row[3]),
          states.getOrDefault(row[0], List.of(0))));
    }
    return Collections.unmodifiableMap(out);
  }

  /** The data rows of a CSV resource: comment lines (#) and the header skipped. */
  static List<String[]> rows(String resource) {
    var in = Elements.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing resource " + resource);
    }
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      boolean header = true;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        rows.add(line.split(","));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
    return rows;
  }
}
