package org.ionloop.planner.acquisition;

/**
 * A Monte-Carlo acquisition value: the mean over joint posterior samples of a per-sample
 * improvement (qNEHVI's hypervolume improvement or qParEGO's Chebyshev improvement).
 */
public final class MonteCarloAcquisition {
  private final JointPosterior posterior;
  private final SampleImprovement utility;

  public MonteCarloAcquisition(JointPosterior posterior, SampleImprovement utility) {
    this.posterior = posterior;
    this.utility = utility;
  }

  /** Acquisition value at a point of the unit cube. */
  public double value(double[] u) {
    double[][] y = posterior.sample(u);
    double sum = 0;
    for (int s = 0; s < y.length; s++) {
      sum += utility.improvement(s, y[s]);
    }
    return sum / y.length;
  }

  public String method() {
    return utility.method();
  }
}
