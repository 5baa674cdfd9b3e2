package org.ionloop.planner.acquisition;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.pareto.Hypervolume;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.planner.space.DesignSpace;

/**
 * The planner's surrogates as a score the proposer can climb while it samples: the hypervolume a
 * design would add to the measured front if each objective came out at its optimistic value
 * μ + β·σ (an upper confidence bound), plus a small term in the standardised optimistic values so
 * that designs far inside the dominated region still point somewhere. Cheap (one GP prediction per
 * objective and one small hypervolume) and deterministic, so the sampler can take finite
 * differences of it. Immutable: one snapshot per decision, safe to share between threads.
 */
public final class OptimisticImprovement implements ToDoubleFunction<double[]> {
  /** Weight of the standardised optimistic values next to the hypervolume improvement. */
  private static final double TIE_BREAK = 1e-3;

  private final GaussianProcess[] models;
  private final DesignSpace space;
  private final double[] reference;
  private final List<double[]> front;
  private final double frontVolume;
  private final double[] scale;
  private final double beta;
  /** Whether the spread is of a recorded value (latent plus noise) rather than the latent function. */
  private final boolean recordedValues;

  /**
   * @param models    one GP per objective, fitted on unit-cube inputs, objectives maximised
   * @param observed  measured objective vectors (maximised)
   * @param reference hypervolume reference point
   * @param beta      optimism: standard deviations added to the mean
   */
  public OptimisticImprovement(GaussianProcess[] models, DesignSpace space, List<double[]> observed,
      double[] reference, double beta) {
    this(models, space, observed, reference, beta, false);
  }

  /** @param recordedValues σ is that of a recorded value: the latent sd and the noise together */
  public OptimisticImprovement(GaussianProcess[] models, DesignSpace space, List<double[]> observed,
      double[] reference, double beta, boolean recordedValues) {
    this.recordedValues = recordedValues;
    this.models = models.clone();
    this.space = space;
    this.reference = reference.clone();
    this.beta = beta;
    List<double[]> f = new ArrayList<>();
    for (int i : Pareto.nonDominated(observed)) {
      f.add(observed.get(i).clone());
    }
    this.front = List.copyOf(f);
    this.frontVolume = Hypervolume.of(front, reference);
    this.scale = new double[reference.length];
    for (int k = 0; k < scale.length; k++) {
      double hi = reference[k];
      for (double[] y : observed) {
        hi = Math.max(hi, y[k]);
      }
      scale[k] = Math.max(1e-9, hi - reference[k]);
    }
  }

  /** Score of a design in natural units (it may lie slightly outside the bounds). */
  @Override
  public double applyAsDouble(double[] design) {
    double[] u = space.toUnitCube(design);
    double[] optimistic = new double[models.length];
    double standardised = 0;
    for (int k = 0; k < models.length; k++) {
      double[] p = models[k].predict(u);
      double noise = recordedValues ? models[k].noiseSd() : 0;
      optimistic[k] = p[0] + beta * Math.sqrt(Math.max(0, p[1]) + noise * noise);
      standardised += (optimistic[k] - reference[k]) / scale[k];
    }
    List<double[]> with = new ArrayList<>(front);
    with.add(optimistic);
    return Hypervolume.of(with, reference) - frontVolume + TIE_BREAK * standardised;
  }
}
