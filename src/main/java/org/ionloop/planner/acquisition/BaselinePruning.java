package org.ionloop.planner.acquisition;

import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.pareto.Pareto;

/**
 * Keeps only the measured points that could be on the Pareto front: those that are
 * non-dominated in at least one joint posterior sample over all measured points (BoTorch's
 * {@code prune_inferior_points}). The noisy acquisition's cost grows with the baseline, and a
 * point dominated in every sample cannot change any sampled front.
 */
public final class BaselinePruning {
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
    JointPosterior joint = new JointPosterior(models, observed, samples, rng);
    int[] count = new int[observed.length];
    for (int s = 0; s < samples; s++) {
      for (int i : Pareto.nonDominated(joint.baselineSamples(s))) {
        count[i]++;
      }
    }
    return IntStream.range(0, observed.length).filter(i -> count[i] > 0).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> -count[i])).limit(maxPoints).toList();
  }
}
