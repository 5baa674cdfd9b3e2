package org.ionloop.proposer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The formula a mixture of precursors makes, and its net charge with the usual oxidation states
 * (Li +1, P +5, S −2, halides −1). Mixtures of neutral precursors are neutral; the check guards
 * the invariant against a precursor table or a sampler that breaks it.
 */
public final class Formula {
  private static final Map<String, Map<String, Integer>> ATOMS = Map.of(
      "Li2S", Map.of("Li", 2, "S", 1),
      "P2S5", Map.of("P", 2, "S", 5),
      "LiCl", Map.of("Li", 1, "Cl", 1),
      "LiBr", Map.of("Li", 1, "Br", 1),
      "LiI", Map.of("Li", 1, "I", 1));
  private static final Map<String, Integer> OXIDATION = Map.of("Li", 1, "P", 5, "S", -2, "Cl", -1,
      "Br", -1, "I", -1);
  private static final List<String> ORDER = List.of("Li", "P", "S", "Cl", "Br", "I");

  private final Map<String, Double> atoms;

  private Formula(Map<String, Double> atoms) {
    this.atoms = atoms;
  }

  /** The formula of {@code fractions} (precursor → mole fraction). */
  public static Formula of(Map<String, Double> fractions) {
    Map<String, Double> atoms = new LinkedHashMap<>();
    fractions.forEach((precursor, x) -> {
      Map<String, Integer> a = ATOMS.get(precursor);
      if (a == null) {
        throw new IllegalArgumentException("no formula for precursor '" + precursor + "'");
      }
      a.forEach((element, n) -> atoms.merge(element, n * x, Double::sum));
    });
    return new Formula(atoms);
  }

  /** Sum of oxidation state × amount; 0 for a charge-neutral formula. */
  public double netCharge() {
    double q = 0;
    for (var e : atoms.entrySet()) {
      q += OXIDATION.get(e.getKey()) * e.getValue();
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
    StringBuilder b = new StringBuilder();
    for (String e : ORDER) {
      double n = atoms.getOrDefault(e, 0.0) * scale;
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
