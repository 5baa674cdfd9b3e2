package org.ionloop.planner.acquisition;

/**
 * How much a candidate's sampled objective vector improves on posterior sample s of the
 * baseline. Averaging it over samples gives a noisy, batch-aware expected improvement.
 */
public interface SampleImprovement {
  /**
   * @param sample index of the joint posterior sample the baseline was drawn in
   * @param y      the candidate's objective values in that sample (maximisation)
   */
  double improvement(int sample, double[] y);

  /** Short name recorded with every decision, e.g. "qNEHVI". */
  String method();
}
