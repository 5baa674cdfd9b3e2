package org.ionloop.planner.space;

import java.util.Map;
import java.util.Optional;

/**
 * A precursor the robots can dispense, with its molar mass (g/mol, IUPAC 2021 standard atomic
 * weights) and the moles of Li and halide it brings per formula unit.
 */
public record Precursor(String name, double molarMassGPerMol, double liPerUnit) {

  private static final Map<String, Precursor> CATALOG = Map.of(
      "Li2S", new Precursor("Li2S", 45.95, 2),
      "P2S5", new Precursor("P2S5", 222.27, 0),
      "LiCl", new Precursor("LiCl", 42.39, 1),
      "LiBr", new Precursor("LiBr", 86.845, 1),
      "LiI", new Precursor("LiI", 133.85, 1));

  /** The precursor with this exact name, if ionloop knows it. */
  public static Optional<Precursor> byName(String name) {
    return Optional.ofNullable(CATALOG.get(name));
  }

  /** Names ionloop knows, sorted, for error messages. */
  public static String knownNames() {
    return String.join(", ", new java.util.TreeSet<>(CATALOG.keySet()));
  }
}
