package org.ionloop.planner.acquisition;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ionloop.planner.pareto.Pareto;

/**
 * Expected hypervolume improvement of one point for two maximised objectives with independent
 * Gaussian posteriors, estimated by Monte Carlo with common random numbers (Emmerich et al.,
 * IEEE TEC 10, 421, 2006; Daulton et al., NeurIPS 2020 for the MC form):
 * <pre>  EHVI(x) = E[ HV(F ∪ {y}) − HV(F) ],  y ~ N(μ(x), diag σ²(x))  </pre>
 * F is the current front, which the planner augments with pending experiments at their
 * posterior means so that a batch does not pile onto the same region.
 */
public final class MonteCarloEhvi {
  private final double[][] normals;

  /**
   * @param samples number of Monte-Carlo draws; the same draws are reused for every candidate
   */
  public MonteCarloEhvi(int samples, RandomGenerator rng) {
    normals = new double[samples][2];
    for (double[] z : normals) {
      z[0] = rng.nextGaussian();
      z[1] = rng.nextGaussian();
    }
  }

  /**
   * @param mean     posterior means {obj0, obj1}. Not modified.
   * @param variance posterior variances. Not modified.
   * @param front    current front (maximisation). Not modified.
   * @param ref      reference point, worse than every interesting point
   */
  public double value(double[] mean, double[] variance, List<double[]> front, double[] ref) {
    double base = Pareto.hypervolume2d(front, ref);
    List<double[]> augmented = new ArrayList<>(front.size() + 1);
    augmented.addAll(front);
    augmented.add(null);
    double sd0 = Math.sqrt(variance[0]);
    double sd1 = Math.sqrt(variance[1]);
    double sum = 0;
    for (double[] z : normals) {
      augmented.set(augmented.size() - 1, new double[] {mean[0] + sd0 * z[0], mean[1] + sd1 * z[1]});
      sum += Pareto.hypervolume2d(augmented, ref) - base;
    }
    return sum / normals.length;
  }
}
