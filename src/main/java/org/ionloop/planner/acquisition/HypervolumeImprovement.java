package org.ionloop.planner.acquisition;

import org.ionloop.planner.pareto.NondominatedBoxes;

/**
 * The qNEHVI utility (Daulton, Balandat &amp; Bakshy, NeurIPS 2021): in each posterior sample the
 * baseline (measured, running and already-chosen points) has its own Pareto front, so the front
 * itself is uncertain; a candidate's value is its hypervolume improvement over that sample's
 * front, averaged over samples. Noisy measurements therefore never make a lucky draw look like
 * a settled front. Each sample's front is decomposed into boxes once, here, and reused for every
 * candidate the optimiser tries.
 */
public final class HypervolumeImprovement implements SampleImprovement {
  private final NondominatedBoxes[] boxes;

  public HypervolumeImprovement(JointPosterior posterior, double[] reference) {
    this(posterior, java.util.List.of(), reference);
  }

  /**
   * @param known objective vectors known exactly (recorded values of measured points), part of
   *              every sample's front beside the posterior's baseline samples
   */
  public HypervolumeImprovement(JointPosterior posterior, java.util.List<double[]> known,
      double[] reference) {
    boxes = new NondominatedBoxes[posterior.samples()];
    for (int s = 0; s < boxes.length; s++) {
      java.util.List<double[]> front = known.isEmpty() ? posterior.baselineSamples(s)
          : new java.util.ArrayList<>(known);
      if (!known.isEmpty()) {
        front.addAll(posterior.baselineSamples(s));
      }
      boxes[s] = NondominatedBoxes.of(front, reference);
    }
  }

  @Override
  public double improvement(int sample, double[] y) {
    return boxes[sample].improvement(y);
  }

  @Override
  public String method() {
    return "qNEHVI";
  }
}
