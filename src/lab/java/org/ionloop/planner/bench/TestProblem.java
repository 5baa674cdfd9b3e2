package org.ionloop.planner.bench;

import org.ionloop.planner.space.DesignSpace;

/**
 * A multiobjective benchmark problem in maximisation form, with its reference point and, where
 * known, the largest attainable hypervolume.
 */
public interface TestProblem {
  String name();

  DesignSpace space();

  /** Noise-free objective values at x (natural units), oriented for maximisation. */
  double[] evaluate(double[] x);

  /** Observation noise standard deviation per objective (0 for noise-free problems). */
  double[] noiseSd();

  double[] reference();

  /** Maximum hypervolume, or NaN when unknown. */
  double maxHypervolume();

  /** Number of initial quasi-random points. */
  int initialPoints();
}
