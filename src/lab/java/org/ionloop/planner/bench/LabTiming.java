package org.ionloop.planner.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * Decision time in the lab's typical state: N results, d = 8 (five precursor fractions on a
 * bounded simplex and three process settings), two objectives, q = 4 with 4 experiments still
 * running. As in a campaign, each timed decision follows one new result and warm-starts from the
 * previous fit.
 *
 * <p>The orchestrator is a long-running process, so the steady state is what a lab waits for:
 * the first decisions in a fresh JVM run partly interpreted while the JIT compiles the planner
 * on the same two cores. Those warm-up decisions are timed and reported separately.
 */
public final class LabTiming {
  private LabTiming() {}

  public static DesignSpace space() {
    List<DesignSpace.Range> fractions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fractions.add(new DesignSpace.Range("p" + i, "mol fraction", 0.02, 0.6));
    }
    return new DesignSpace(fractions, List.of(new DesignSpace.Range("anneal_c", "°C", 300, 650),
        new DesignSpace.Range("dwell_h", "h", 1, 12),
        new DesignSpace.Range("mill_rpm", "rpm", 200, 600)));
  }

  /** Smooth, conflicting objectives with measurement noise. */
  static double[] objectives(double[] x, SplittableRandom rng) {
    double t = (x[5] - 300) / 350;
    double f1 = 2 * x[0] + Math.sin(6 * x[1]) - 3 * (t - 0.6) * (t - 0.6) + 0.3 * Math.log(x[6]);
    double f2 = -x[0] + 1.5 * x[2] + x[3] * x[4] - 0.5 * t + 0.001 * x[7];
    return new double[] {f1 + 0.05 * rng.nextGaussian(), f2 + 0.05 * rng.nextGaussian()};
  }

  /** Seconds per decision: the warm-up decisions of a fresh JVM, then the timed ones. */
  public record Timing(double[] warmUpSeconds, double[] seconds) {}

  /**
   * @param warmUp  decisions made first and reported apart (JIT compilation)
   * @param repeats decisions timed after them
   */
  public static Timing run(int n, int warmUp, int repeats, long seed) {
    DesignSpace space = space();
    SplittableRandom rng = new SplittableRandom(seed);
    List<BatchSelector.Observation> observed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = space.sample(rng);
      observed.add(new BatchSelector.Observation(x, objectives(x, rng)));
    }
    List<Candidate> pending = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pending.add(new Candidate("running-" + i, space.sample(rng)));
    }
    BatchSelector selector = new BatchSelector(space, null, 2, BatchSelector.Settings.defaults());
    selector.select(observed, List.of(), pending, 4, rng); // the campaign's previous decision
    double[] seconds = new double[warmUp + repeats];
    for (int r = 0; r < seconds.length; r++) {
      double[] x = space.sample(rng);
      observed.add(new BatchSelector.Observation(x, objectives(x, rng)));
      observed.remove(0); // keep N results
      long t0 = System.nanoTime();
      selector.select(observed, List.of(), pending, 4, rng);
      seconds[r] = (System.nanoTime() - t0) / 1e9;
    }
    return new Timing(java.util.Arrays.copyOf(seconds, warmUp),
        java.util.Arrays.copyOfRange(seconds, warmUp, seconds.length));
  }
}
