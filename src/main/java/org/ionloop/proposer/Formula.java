package org.ionloop.proposer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.planner.space.Precursor;

/**
 * The formula a mixture of precursors makes, and its net charge: each element takes the oxidation
 * state under which its precursor is neutral (from the precursor's formula and the elements'
 * common states, see {@link org.ionloop.chemistry.ChemicalFormula#neutralAssignment}). Mixtures of
 * neutral precursors are neutral; the check guards the invariant against a precursor or a sampler
 * that breaks it (a mixed-valence precursor has no assignment, and its mixtures are not called
 * neutral).
 */
public final class Formula {
  private final Map<String, Double> atoms;
  private final Map<String, Integer> states;
  private final boolean assigned;

  private Formula(Map<String, Double> atoms, Map<String, Integer> states, boolean assigned) {
    this.atoms = atoms;
    this.states = states;
    this.assigned = assigned;
  }

  /** The formula of {@code fractions} (precursor formula → mole fraction). */
  public static Formula of(Map<String, Double> fractions) {
    Map<String, Double> atoms = new LinkedHashMap<>();
    Map<String, Integer> states = new LinkedHashMap<>();
    boolean assigned = true;
    for (var f : fractions.entrySet()) {
      Precursor p = Precursor.byName(f.getKey()).orElseThrow(
          () -> new IllegalArgumentException("no formula for precursor '" + f.getKey() + "'"));
      p.formula().elements().forEach((element, n) -> atoms.merge(element, n * f.getValue(), Double::sum));
      var neutral = p.formula().neutralAssignment();
      if (neutral.isEmpty()) {
        assigned = false;
      } else {
        neutral.get().forEach(states::putIfAbsent);
      }
    }
    return new Formula(atoms, states, assigned);
  }

  /** Sum of oxidation state × amount; 0 for a charge-neutral formula, NaN when states are unknown. */
  public double netCharge() {
    if (!assigned) {
      return Double.NaN;
    }
    double q = 0;
    for (var e : atoms.entrySet()) {
      q += states.get(e.getKey()) * e.getValue();
    }
    return q;
  }

  public boolean isNeutral() {
    return Math.abs(netCharge()) < 1e-9;
  }

  /** Per phosphorus atom where there is phosphorus (e.g. Li5.50PS4.50Cl1.50). */
  @Override
  public String toString() {
    double p = atoms.getOrDefault("P", 0.0);
    double scale = p > 1e-9 ? 1 / p : 1;
    // Cations, then anions, each by oxidation state and atomic number: Li5.50PS4.50Cl1.50,
    // Li7La3Zr2O12, whatever order the precursors came in.
    List<String> order = new ArrayList<>(atoms.keySet());
    order.sort(java.util.Comparator.<String>comparingInt(e -> states.getOrDefault(e, 0) < 0 ? 1 : 0)
        .thenComparingInt(e -> states.getOrDefault(e, 0))
        .thenComparingInt(e -> org.ionloop.chemistry.Elements.bySymbol(e).orElseThrow().z()));
    StringBuilder b = new StringBuilder();
    for (String e : order) {
      double n = atoms.get(e) * scale;
      if (n > 1e-6) {
        b.append(e);
        if (Math.abs(n - 1) > 1e-6) {
          b.append(String.format(java.util.Locale.ROOT, "%.2f", n));
        }
      }
    }
    return b.toString();
  }
}
