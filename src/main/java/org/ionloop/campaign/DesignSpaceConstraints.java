package org.ionloop.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.planner.space.FixedSum;
import org.ionloop.planner.space.LinearConstraint;
import org.ionloop.spec.SpecNode;

/**
 * Parses {@code design_space.constraints} of a campaign file:
 * <pre>
 *   constraints:
 *     - {sum: [LiCl, LiBr], max: 0.5}              # Σ ≤ 0.5
 *     - {terms: {Li2S: 1, P2S5: -2}, min: 0}       # Li2S − 2·P2S5 ≥ 0
 *     - {sum: [LiCl, LiBr], equals: 0.25}          # fixed-sum subset
 * </pre>
 * and checks that the constraints together still admit a point.
 */
final class DesignSpaceConstraints {
  private DesignSpaceConstraints() {}

  static DesignSpace parse(SpecNode designSpace, List<DesignSpace.Range> precursors,
      List<DesignSpace.Range> process) {
    DesignSpace plain = new DesignSpace(precursors, process);
    List<LinearConstraint> inequalities = new ArrayList<>();
    List<FixedSum> fixedSums = new ArrayList<>();
    for (SpecNode c : designSpace.list("constraints")) {
      c.allowOnly("sum", "terms", "min", "max", "equals");
      double[] coefficients = new double[plain.dimension()];
      StringBuilder label = new StringBuilder();
      if (c.has("sum") == c.has("terms")) {
        throw c.error("give either 'sum: [names]' or 'terms: {name: coefficient}'");
      }
      if (c.has("sum")) {
        for (SpecNode name : c.list("sum")) {
          int i = index(plain, name, name.raw().asText());
          coefficients[i] = 1;
          label.append(label.length() > 0 ? " + " : "").append(name.raw().asText());
        }
      } else {
        for (Map.Entry<String, SpecNode> e : c.entries("terms").entrySet()) {
          int i = index(plain, e.getValue(), e.getKey());
          coefficients[i] = e.getValue().asDouble();
          label.append(label.length() > 0 ? " + " : "").append(coefficients[i]).append("·")
              .append(e.getKey());
        }
      }
      boolean any = false;
      if (c.has("equals")) {
        if (!c.has("sum") || c.has("min") || c.has("max")) {
          throw c.required("equals").error("'equals' goes with 'sum' alone (a fixed-sum subset)");
        }
        int[] idx = java.util.stream.IntStream.range(0, coefficients.length)
            .filter(i -> coefficients[i] != 0).toArray();
        fixedSums.add(new FixedSum(label + " = " + c.requiredDouble("equals"), idx,
            c.requiredDouble("equals")));
        any = true;
      }
      if (c.has("max")) {
        double max = c.requiredDouble("max");
        inequalities.add(new LinearConstraint(label + " ≤ " + max, coefficients, max));
        any = true;
      }
      if (c.has("min")) {
        double min = c.requiredDouble("min");
        double[] negated = java.util.Arrays.stream(coefficients).map(v -> -v).toArray();
        inequalities.add(new LinearConstraint(label + " ≥ " + min, negated, -min));
        any = true;
      }
      if (!any) {
        throw c.error("needs 'min', 'max' or 'equals'");
      }
    }
    DesignSpace space;
    try {
      space = new DesignSpace(precursors, process, inequalities, fixedSums);
    } catch (IllegalArgumentException e) {
      throw designSpace.required("constraints").error(e.getMessage());
    }
    if (!inequalities.isEmpty() || !fixedSums.isEmpty()) {
      if (space.sample(new SplittableRandom(1)) == null) {
        throw designSpace.required("constraints").error(
            "the bounds and constraints together admit no composition");
      }
    }
    return space;
  }

  private static int index(DesignSpace space, SpecNode where, String name) {
    int i = space.indexOf(name);
    if (i < 0) {
      throw where.error("'" + name + "' is not a precursor or process setting of this design "
          + "space (known: " + space.names() + ")");
    }
    return i;
  }
}
