package org.ionloop.planner.space;

import java.util.Optional;
import org.ionloop.chemistry.ChemicalFormula;
import org.ionloop.chemistry.FormulaException;

/**
 * A precursor the robots can dispense, named by its chemical formula: its molar mass (g/mol) and
 * element counts come from the formula and the IUPAC standard atomic weights, so any compound a
 * lab stocks is a precursor without code. Properties a lab knows (price, purity, density) are
 * optional.
 *
 * @param name            the formula as the campaign writes it (also the dispensing key)
 * @param formula         the parsed formula
 * @param pricePerG       price per gram in the lab's currency, or null
 * @param purity          mass fraction of the compound in what is dispensed (0–1], or null
 * @param densityGPerCm3  density, or null
 */
public record Precursor(String name, ChemicalFormula formula, Double pricePerG, Double purity,
    Double densityGPerCm3) {

  /**
   * The precursor with this formula, checked for charge neutrality with its elements' common
   * oxidation states.
   *
   * @throws FormulaException when the formula cannot be read (with the position)
   * @throws IllegalArgumentException when it cannot be charge-neutral
   */
  public static Precursor of(String formula) {
    return of(formula, true);
  }

  /** As {@link #of(String)}; {@code chargeCheck} false for a mixed-valence compound (Fe3O4). */
  public static Precursor of(String formula, boolean chargeCheck) {
    ChemicalFormula parsed = ChemicalFormula.parse(formula);
    if (chargeCheck && parsed.neutralAssignment().isEmpty()) {
      throw new IllegalArgumentException("'" + formula + "' cannot be charge-neutral with its elements' common"
          + " oxidation states (" + parsed.oxidationStatesSaid() + "); check the formula, or set"
          + " charge_check: false for a mixed-valence compound");
    }
    return new Precursor(formula, parsed, null, null, null);
  }

  /** Formulas read so far (the proposer asks for the same few for every sample it checks). */
  private static final java.util.concurrent.ConcurrentMap<String, Optional<Precursor>> READ =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The precursor with this formula, if it is one (a formula that reads and can be neutral). */
  public static Optional<Precursor> byName(String formula) {
    return READ.computeIfAbsent(formula, f -> {
      try {
        return Optional.of(of(f));
      } catch (IllegalArgumentException notAPrecursor) {
        return Optional.empty();
      }
    });
  }

  /** The same precursor with the lab's properties. */
  public Precursor with(Double pricePerG, Double purity, Double densityGPerCm3) {
    return new Precursor(name, formula, pricePerG, purity, densityGPerCm3);
  }

  public double molarMassGPerMol() {
    return formula.molarMassGPerMol();
  }

  /** Lithium atoms per formula unit. */
  public double liPerUnit() {
    return formula.count("Li");
  }
}
