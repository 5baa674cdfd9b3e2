package org.ionloop.chemistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ionloop.planner.space.Precursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Formulas as labs write them, weighed with the IUPAC 2021 standard atomic weights. Expected
 * molar masses are sums of the abridged weights done by hand (and, for the common reagents,
 * agree with suppliers' catalogues to 0.01 g/mol).
 */
class ChemicalFormulaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Li2S, 45.94",                 // 2 × 6.94 + 32.06
      "P2S5, 222.248",               // 2 × 30.974 + 5 × 32.06
      "LiCl, 42.39",
      "YCl3, 195.256",               // 88.906 + 3 × 35.45
      "ZrCl4, 233.024",
      "Li2CO3, 73.888",              // 13.88 + 12.011 + 47.997
      "La2O3, 325.817",              // 277.82 + 47.997
      "Ta2O5, 441.895",              // 361.9 + 79.995
      "Li7La3Zr2O12, 839.746",       // 48.58 + 416.73 + 182.448 + 191.988 (LLZO)
      "Li6PS5Cl, 268.364",           // 41.64 + 30.974 + 160.3 + 35.45 (argyrodite)
      "Li0.33La0.56TiO3, 175.944",   // LLTO: 2.2902 + 77.7896 + 47.867 + 47.997
      "'La(NO3)3·6H2O', 433.010",    // 138.91 + 3 × 62.004 + 6 × 18.015
      "'[Co(NH3)6]Cl3', 267.470",    // nested brackets
      "'CuSO4*5H2O', 249.677"})      // '*' as the hydrate dot
  void molarMassesFromTheStandardAtomicWeights(String formula, double grams) {
    assertEquals(grams, ChemicalFormula.parse(formula).molarMassGPerMol(), 0.01, formula);
  }

  @Test
  void elementCountsIncludeGroupsAndHydrates() {
    var f = ChemicalFormula.parse("La(NO3)3·6H2O");
    assertEquals(Map.of("La", 1.0, "N", 3.0, "O", 15.0, "H", 12.0), f.elements());
    assertEquals(Map.of("Co", 1.0, "N", 6.0, "H", 18.0, "Cl", 3.0), ChemicalFormula.parse("[Co(NH3)6]Cl3").elements());
    assertEquals(0.33, ChemicalFormula.parse("Li0.33La0.56TiO3").count("Li"), 1e-12);
    assertEquals(20.0, ChemicalFormula.parse("Na2SO4·10H2O").count("H"), 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "LiXx|3|'Xx' is not an element",
      "li2S|1|cannot start an element symbol",
      "CO2x|4|cannot start an element symbol",
      "Li2(SO4|8|is not closed",
      "Li2S)|5|closes no bracket",
      "Li2()|4|empty brackets",
      "Li0S|3|a count must be a positive number",
      "Li2 S|4|unexpected ' '",
      "Li2S·|6|an element is missing",
      "Tc2O7|1|'Tc' is not an element with a standard atomic weight",
      "Li1.2.3S|3|is not a number"})
  void aFormulaThatCannotBeReadSaysWhereAndWhy(String formula, int position, String problem) {
    FormulaException e = assertThrows(FormulaException.class, () -> ChemicalFormula.parse(formula));
    assertEquals(position, e.position(), e.getMessage());
    assertTrue(e.getMessage().contains(problem) && e.getMessage().startsWith("'" + formula + "' at position " + position),
        e.getMessage());
  }

  @Test
  void precursorsMustBeAbleToBeChargeNeutral() {
    for (String ok : new String[] {"Li2S", "P2S5", "LiCl", "LiBr", "LiI", "YCl3", "InCl3", "ZrCl4", "Li2CO3",
        "La2O3", "ZrO2", "Ta2O5", "LiNO3", "La(NO3)3·6H2O", "Li3PO4", "Li2SO4", "Li6PS5Cl"}) {
      assertTrue(Precursor.byName(ok).isPresent(), ok);
    }
    var typo = assertThrows(IllegalArgumentException.class, () -> Precursor.of("LiCl2"));
    assertTrue(typo.getMessage().contains("cannot be charge-neutral") && typo.getMessage().contains("Li +1"),
        typo.getMessage());
    // Magnetite mixes Fe(II) and Fe(III): no single state per element makes it neutral.
    assertThrows(IllegalArgumentException.class, () -> Precursor.of("Fe3O4"));
    assertEquals(231.53, Precursor.of("Fe3O4", false).molarMassGPerMol(), 0.01);
  }

  @Test
  void theTablesAreData() {
    assertEquals(84, Elements.count(), "elements with an IUPAC 2021 standard atomic weight");
    assertEquals(6.94, Elements.bySymbol("Li").orElseThrow().weight());
    assertEquals(java.util.List.of(3), Elements.bySymbol("Y").orElseThrow().oxidationStates());
  }
}
