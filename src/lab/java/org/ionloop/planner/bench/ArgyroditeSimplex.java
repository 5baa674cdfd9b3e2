package org.ionloop.planner.bench;

import java.util.List;
import java.util.Map;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.planner.space.LinearConstraint;
import org.ionloop.sim.MaterialModel;

/**
 * The lab's own kind of problem: four precursor fractions on a bounded simplex with a halide cap
 * (LiCl + LiBr ≤ 0.5) plus the anneal temperature, objectives log10 σ25 (max) and Ea (min) from
 * the virtual lab's ground truth ({@link MaterialModel}), with the measurement noise a real
 * pellet shows (0.08 in log10 σ, 0.01 eV). The maximum hypervolume is not known in closed form.
 */
public final class ArgyroditeSimplex implements TestProblem {
  private static final String[] PRECURSORS = {"Li2S", "P2S5", "LiCl", "LiBr"};
  private final MaterialModel model = new MaterialModel();

  @Override
  public String name() {
    return "ArgyroditeSimplex";
  }

  @Override
  public DesignSpace space() {
    return new DesignSpace(List.of(new DesignSpace.Range("Li2S", "mol fraction", 0.30, 0.80),
        new DesignSpace.Range("P2S5", "mol fraction", 0.05, 0.30),
        new DesignSpace.Range("LiCl", "mol fraction", 0, 0.45),
        new DesignSpace.Range("LiBr", "mol fraction", 0, 0.45)),
        List.of(new DesignSpace.Range("anneal_c", "°C", 300, 650)),
        List.of(new LinearConstraint("LiCl + LiBr ≤ 0.5", new double[] {0, 0, 1, 1, 0}, 0.5)),
        List.of());
  }

  @Override
  public double[] evaluate(double[] x) {
    Map<String, Double> f = new java.util.LinkedHashMap<>();
    for (int i = 0; i < PRECURSORS.length; i++) {
      f.put(PRECURSORS[i], x[i]);
    }
    MaterialModel.Truth t = model.truth(f, x[4]);
    return new double[] {t.log10Sigma25(), -t.eaEv()};
  }

  @Override
  public double[] noiseSd() {
    return new double[] {0.08, 0.01};
  }

  @Override
  public double[] reference() {
    return new double[] {-6, -0.65};
  }

  @Override
  public double maxHypervolume() {
    return Double.NaN;
  }

  @Override
  public int initialPoints() {
    return 6;
  }
}
