package org.ionloop.planner.acquisition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.pareto.Pareto;

/**
 * Keeps only the measured points that could be on the Pareto front: those that are
 * non-dominated in at least one joint posterior sample over the measured points (BoTorch's
 * {@code prune_inferior_points}, with its 2048 samples). The noisy acquisition's cost grows with
 * the baseline, and a point dominated in every sample cannot change any sampled front.
 *
 * <p>Sampling all N points jointly costs O(N²) per sample, most of it spent on points that are
 * plainly behind the front. So a point is first dropped when its {@link #BOUND_SDS}-σ upper
 * bound is beaten in every objective by another point's lower bound: it can then only be
 * non-dominated when one of 2M marginals lands beyond 5σ on the wrong side, which for M = 2
 * happens in about one of 870,000 samples — about 0.2 % of the time in a 2048-sample run, where
 * BoTorch would keep it if it happened. Only the points that survive are sampled jointly.
 */
public final class BaselinePruning {
  /** Width of the marginal bounds, in posterior standard deviations. */
  static final double BOUND_SDS = 5;

  private BaselinePruning() {}

  /**
   * @param observed  measured points in the unit cube
   * @param maxPoints cap; the most often non-dominated points are kept first
   * @return indices into {@code observed}
   */
  public static List<Integer> keep(GaussianProcess[] models, double[][] observed, int samples,
      int maxPoints, RandomGenerator rng) {
    if (observed.length <= 1) {
      return IntStream.range(0, observed.length).boxed().toList();
    }
    int[] plausible = plausible(models, observed);
    double[][] candidates = new double[plausible.length][];
    for (int i = 0; i < plausible.length; i++) {
      candidates[i] = observed[plausible[i]];
    }
    JointPosterior joint = new JointPosterior(models, candidates, samples, rng);
    int[] count = new int[candidates.length];
    for (int s = 0; s < samples; s++) {
      for (int i : Pareto.nonDominated(joint.baselineSamples(s))) {
        count[i]++;
      }
    }
    return IntStream.range(0, candidates.length).filter(i -> count[i] > 0).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> -count[i])).limit(maxPoints)
        .map(i -> plausible[i]).toList();
  }

  /**
   * Indices of the points whose upper bound (mean + {@link #BOUND_SDS} σ, every objective) is
   * not strictly dominated by some point's lower bound.
   */
  static int[] plausible(GaussianProcess[] models, double[][] observed) {
    int n = observed.length;
    int m = models.length;
    double[][] lower = new double[n][m];
    double[][] upper = new double[n][m];
    IntStream.range(0, n).parallel().forEach(i -> {
      for (int k = 0; k < m; k++) {
        double[] p = models[k].predict(observed[i]);
        double sd = Math.sqrt(p[1]);
        lower[i][k] = p[0] - BOUND_SDS * sd;
        upper[i][k] = p[0] + BOUND_SDS * sd;
      }
    });
    // Only the non-dominated lower bounds can beat an upper bound that any lower bound beats.
    List<double[]> beaters = new ArrayList<>();
    for (int i : Pareto.nonDominated(java.util.Arrays.asList(lower))) {
      beaters.add(lower[i]);
    }
    return IntStream.range(0, n).filter(i -> beaters.stream().noneMatch(b -> beats(b, upper[i])))
        .toArray();
  }

  private static boolean beats(double[] lowerBound, double[] upperBound) {
    for (int k = 0; k < lowerBound.length; k++) {
      if (lowerBound[k] <= upperBound[k]) {
        return false;
      }
    }
    return true;
  }
}
