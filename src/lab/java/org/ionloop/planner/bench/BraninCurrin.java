package org.ionloop.planner.bench;

import java.util.List;
import org.ionloop.planner.space.DesignSpace;

/**
 * Branin–Currin (Belakaria et al., NeurIPS 2019), as in BoTorch's test problems and its qNEHVI
 * tutorial: d = 2 on [0, 1]², both objectives minimised (negated here), reference point
 * (18, 6), maximum hypervolume 59.36011874867746, observation noise SD 15.19 and 0.63.
 */
public final class BraninCurrin implements TestProblem {
  private final boolean noisy;

  public BraninCurrin(boolean noisy) {
    this.noisy = noisy;
  }

  @Override
  public String name() {
    return noisy ? "BraninCurrin-noisy" : "BraninCurrin";
  }

  @Override
  public DesignSpace space() {
    return new DesignSpace(List.of(), List.of(new DesignSpace.Range("x0", "", 0, 1),
        new DesignSpace.Range("x1", "", 0, 1)));
  }

  static double branin(double u, double v) {
    double x0 = 15 * u - 5;
    double x1 = 15 * v;
    double t = x1 - 5.1 / (4 * Math.PI * Math.PI) * x0 * x0 + 5 / Math.PI * x0 - 6;
    return t * t + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x0) + 10;
  }

  static double currin(double u, double v) {
    double factor = v == 0 ? 1 : 1 - Math.exp(-1 / (2 * v));
    return factor * (2300 * u * u * u + 1900 * u * u + 2092 * u + 60)
        / (100 * u * u * u + 500 * u * u + 4 * u + 20);
  }

  @Override
  public double[] evaluate(double[] x) {
    return new double[] {-branin(x[0], x[1]), -currin(x[0], x[1])};
  }

  @Override
  public double[] noiseSd() {
    return noisy ? new double[] {15.19, 0.63} : new double[] {0, 0};
  }

  @Override
  public double[] reference() {
    return new double[] {-18, -6};
  }

  @Override
  public double maxHypervolume() {
    return 59.36011874867746;
  }

  @Override
  public int initialPoints() {
    return 6;
  }
}
