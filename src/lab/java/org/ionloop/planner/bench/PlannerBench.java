package org.ionloop.planner.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.hipparchus.random.SobolSequenceGenerator;
import org.ionloop.planner.AcquisitionOptimizer;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.pareto.Hypervolume;
import org.ionloop.planner.space.DesignSpace;

/**
 * Runs closed-loop optimisation on a {@link TestProblem}: an initial Sobol design, then batches
 * of q chosen by the planner (or by continuing the Sobol sequence, the baseline), with noisy
 * observations fed back and the hypervolume of the <i>noise-free</i> values of everything
 * evaluated recorded after each batch, as in BoTorch's qNEHVI tutorial.
 */
public final class PlannerBench {

  /**
   * What a run compares. QNEHVI learns each objective's noise, as a campaign does by default;
   * QNEHVI_KNOWN_NOISE is told the problem's noise SD, as BoTorch's qNEHVI tutorial tells its
   * fixed-noise GPs (noisy problems only).
   */
  public enum Strategy {
    QNEHVI, QNEHVI_KNOWN_NOISE, QPAREGO, SOBOL;

    /** Whether the strategy applies to the problem. */
    public boolean appliesTo(TestProblem problem) {
      return this != QNEHVI_KNOWN_NOISE
          || Arrays.stream(problem.noiseSd()).allMatch(sd -> sd > 0);
    }
  }

  /** One run: hypervolume after the initial design and after each batch; decision times. */
  public record Trace(double[] hypervolume, double[] decisionSeconds) {}

  private PlannerBench() {}

  public static Trace run(TestProblem problem, Strategy strategy, long seed, int batches, int q,
      Consumer<String> progress) {
    DesignSpace space = problem.space();
    int d = space.dimension();
    SplittableRandom rng = new SplittableRandom(seed);
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(d);
    double[] shift = new double[d];
    for (int k = 0; k < d; k++) {
      shift[k] = rng.nextDouble(); // Cranley–Patterson rotation: a different design per seed
    }
    List<double[]> truth = new ArrayList<>();
    List<BatchSelector.Observation> observed = new ArrayList<>();
    SplittableRandom noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Runnable addSobol = () -> {
      double[] u = sobol.nextVector();
      double[] x = new double[d];
      for (int k = 0; k < d; k++) {
        DesignSpace.Range r = space.ranges().get(k);
        x[k] = r.min() + (r.max() - r.min()) * ((u[k] + shift[k]) % 1.0);
      }
      double[] feasible = space.isFeasible(x) ? x : space.project(x);
      record(problem, feasible, truth, observed, noise);
    };
    for (int i = 0; i < problem.initialPoints(); i++) {
      addSobol.run();
    }
    double[] hv = new double[batches + 1];
    double[] seconds = new double[strategy == Strategy.SOBOL ? 0 : batches];
    hv[0] = Hypervolume.of(truth, problem.reference());
    BatchSelector selector = strategy == Strategy.SOBOL ? null
        : new BatchSelector(space, problem.reference(), problem.reference().length,
            BatchSelector.Settings.defaults().withInitialPoints(problem.initialPoints())
                .withMethod(strategy == Strategy.QPAREGO ? BatchSelector.Method.QPAREGO
                    : BatchSelector.Method.QNEHVI)
                .withNoiseSd(strategy == Strategy.QNEHVI_KNOWN_NOISE ? problem.noiseSd() : null)
                // a precise acquisition optimum pays in low dimension, where it is also cheap
                .withOptimizer(d <= 3 ? AcquisitionOptimizer.Settings.THOROUGH
                    : AcquisitionOptimizer.Settings.DEFAULT));
    for (int b = 0; b < batches; b++) {
      if (selector == null) {
        for (int i = 0; i < q; i++) {
          addSobol.run();
        }
      } else {
        long t0 = System.nanoTime();
        var chosen = selector.select(observed, List.of(), List.of(), q, rng);
        seconds[b] = (System.nanoTime() - t0) / 1e9;
        for (var s : chosen) {
          record(problem, s.candidate().x(), truth, observed, noise);
        }
      }
      hv[b + 1] = Hypervolume.of(truth, problem.reference());
      if (progress != null) {
        progress.accept(String.format("%s %s seed %d batch %d/%d: HV %.4f", problem.name(),
            strategy, seed, b + 1, batches, hv[b + 1]));
      }
    }
    return new Trace(hv, seconds);
  }

  private static void record(TestProblem problem, double[] x, List<double[]> truth,
      List<BatchSelector.Observation> observed, SplittableRandom noise) {
    double[] f = problem.evaluate(x);
    double[] sd = problem.noiseSd();
    double[] y = new double[f.length];
    for (int k = 0; k < f.length; k++) {
      y[k] = f[k] + sd[k] * noise.nextGaussian();
    }
    truth.add(f);
    observed.add(new BatchSelector.Observation(x, y));
  }

  /** The q-quantile (0 ≤ q ≤ 1) by linear interpolation. */
  public static double quantile(double[] values, double q) {
    double[] v = values.clone();
    Arrays.sort(v);
    if (v.length == 0) {
      return Double.NaN;
    }
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  }
}
