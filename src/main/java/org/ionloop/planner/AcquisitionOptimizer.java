package org.ionloop.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.ionloop.planner.space.DesignSpace;

/**
 * Maximises an acquisition function either over a finite set of candidates (the proposer's
 * samples, a pool) or over the continuous, constrained design space. The continuous search
 * follows BoTorch's recipe: evaluate many random feasible points ("raw samples"), start local
 * searches from the best few, and keep the best local optimum. The local search is a projected
 * gradient ascent: finite-difference gradients in unit-cube coordinates, steps projected back
 * onto the feasible set by {@link DesignSpace#project}, so every point it returns satisfies the
 * constraints.
 */
public final class AcquisitionOptimizer {

  /** Effort of the continuous search. */
  public record Settings(int rawSamples, int restarts, int localIterations) {
    /** Fits the lab's 250 ms decision budget at N = 200, d = 8. */
    public static final Settings DEFAULT = new Settings(384, 4, 12);
    /** For cheap, low-dimensional problems where optimiser precision pays (benchmarks). */
    public static final Settings THOROUGH = new Settings(4096, 16, 60);
  }

  /**
   * The chosen point (natural units), its acquisition value and, for a finite set, its index.
   *
   * @param tieBroken several candidates shared the best value (typically all zero: no Monte-Carlo
   *     sample improved on the incumbent anywhere) and the tie-break chose among them
   */
  public record Optimum(double[] x, double value, int index, boolean tieBroken) {
    public Optimum(double[] x, double value, int index) {
      this(x, value, index, false);
    }
  }

  private static final double FD_STEP = 1e-4;
  /** Points closer than this (unit cube) to one already taken are the same experiment. */
  static final double SAME_POINT = 1e-6;

  private final Settings settings;

  public AcquisitionOptimizer(Settings settings) {
    this.settings = settings;
  }

  /**
   * Best candidate of a finite set, skipping excluded ones.
   *
   * @param acquisition value at a point of the space's unit cube
   * @return the optimum, or null when every candidate is excluded
   */
  public Optimum overSet(DesignSpace space, List<double[]> candidates, boolean[] excluded,
      ToDoubleFunction<double[]> acquisition) {
    return overSet(space, candidates, excluded, acquisition, null);
  }

  /**
   * As {@link #overSet(DesignSpace, List, boolean[], ToDoubleFunction)}; where several candidates
   * share the best value, {@code tieBreak} (natural units, larger is better) chooses among them.
   * Without one, a plateau — a Monte-Carlo improvement that is exactly zero on every candidate
   * once no sample beats the incumbent — would be resolved by the pool's row order, turning the
   * search into a scan of the file (the P3HT stall: 60 picks in row order after the first target).
   */
  public Optimum overSet(DesignSpace space, List<double[]> candidates, boolean[] excluded,
      ToDoubleFunction<double[]> acquisition, ToDoubleFunction<double[]> tieBreak) {
    double[] values = IntStream.range(0, candidates.size()).parallel()
        .mapToDouble(i -> excluded[i] ? Double.NEGATIVE_INFINITY
            : acquisition.applyAsDouble(space.toUnitCube(candidates.get(i))))
        .toArray();
    int best = -1;
    int tied = 0;
    for (int i = 0; i < values.length; i++) {
      if (excluded[i]) {
        continue;
      }
      if (best < 0 || values[i] > values[best]) {
        best = i;
        tied = 1;
      } else if (values[i] == values[best]) {
        tied++;
      }
    }
    if (best < 0) {
      return null;
    }
    if (tied == 1 || tieBreak == null) {
      return new Optimum(candidates.get(best).clone(), values[best], best);
    }
    double top = values[best];
    int[] ties = IntStream.range(0, values.length).filter(i -> !excluded[i] && values[i] == top).toArray();
    double[] second = java.util.Arrays.stream(ties).parallel()
        .mapToDouble(i -> tieBreak.applyAsDouble(candidates.get(i))).toArray();
    int pick = 0;
    for (int t = 1; t < ties.length; t++) {
      if (second[t] > second[pick]) {
        pick = t;
      }
    }
    return new Optimum(candidates.get(ties[pick]).clone(), top, ties[pick], true);
  }

  /**
   * Best point of the continuous space that is not (within {@link #SAME_POINT}) one of
   * {@code takenUnit}.
   *
   * @param acquisition value at a point of the space's unit cube
   * @param seeds       extra feasible starting points (e.g. the current front), natural units
   * @param takenUnit   points already measured, running or chosen, in the unit cube
   * @return the optimum (natural units), or null when no feasible point could be found
   */
  public Optimum overSpace(DesignSpace space, ToDoubleFunction<double[]> acquisition,
      List<double[]> seeds, List<double[]> takenUnit, RandomGenerator rng) {
    List<double[]> raw = new ArrayList<>();
    for (double[] s : seeds) {
      if (space.isFeasible(s)) {
        raw.add(s.clone());
      }
    }
    for (int i = 0; i < settings.rawSamples(); i++) {
      double[] x = space.sample(rng);
      if (x != null) {
        raw.add(x);
      }
    }
    if (raw.isEmpty()) {
      return null;
    }
    ToDoubleFunction<double[]> guarded = x -> {
      double[] u = space.toUnitCube(x);
      return isTaken(u, takenUnit) ? Double.NEGATIVE_INFINITY : acquisition.applyAsDouble(u);
    };
    double[] values = raw.parallelStream().mapToDouble(guarded).toArray();
    List<Integer> order = IntStream.range(0, raw.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -values[i])).toList();
    List<Optimum> local = IntStream.range(0, Math.min(settings.restarts(), order.size()))
        .parallel()
        .mapToObj(r -> climb(space, guarded, raw.get(order.get(r)), values[order.get(r)]))
        .toList();
    Optimum best = null;
    for (Optimum o : local) {
      if (o.value() > Double.NEGATIVE_INFINITY && (best == null || o.value() > best.value())) {
        best = o;
      }
    }
    return best;
  }

  /** Projected gradient ascent from a feasible start. */
  private Optimum climb(DesignSpace space, ToDoubleFunction<double[]> acquisition, double[] start,
      double startValue) {
    List<DesignSpace.Range> ranges = space.ranges();
    int d = ranges.size();
    double[] x = start.clone();
    double fx = startValue;
    double step = 0.05;
    // A start that is itself a taken point has no value to climb from; fx only ever increases.
    int iterations = fx == Double.NEGATIVE_INFINITY ? 0 : settings.localIterations();
    for (int iter = 0; iter < iterations && step > 1e-4; iter++) {
      double[] gradient = new double[d];
      double norm = 0;
      for (int i = 0; i < d; i++) {
        DesignSpace.Range r = ranges.get(i);
        double span = r.max() - r.min();
        if (r.discrete() || span <= 0) {
          continue;
        }
        double[] probe = x.clone();
        probe[i] += FD_STEP * span;
        double fp = acquisition.applyAsDouble(probe);
        gradient[i] = Double.isFinite(fp) ? (fp - fx) / FD_STEP : 0;
        norm = Math.max(norm, Math.abs(gradient[i]));
      }
      if (norm == 0) {
        break;
      }
      boolean improved = false;
      for (int trial = 0; trial < 4 && !improved; trial++) {
        double[] next = x.clone();
        for (int i = 0; i < d; i++) {
          DesignSpace.Range r = ranges.get(i);
          next[i] += step * gradient[i] / norm * (r.max() - r.min());
        }
        next = space.project(next);
        if (!space.isFeasible(next)) {
          step *= 0.3;
          continue;
        }
        double fn = acquisition.applyAsDouble(next);
        if (fn > fx) {
          x = next;
          fx = fn;
          improved = true;
          step = Math.min(0.2, step * 1.5);
        } else {
          step *= 0.3;
        }
      }
    }
    return new Optimum(x, fx, -1);
  }

  /** Whether unit-cube point u is (within {@link #SAME_POINT}) one of {@code takenUnit}. */
  static boolean isTaken(double[] u, List<double[]> takenUnit) {
    return minDistance(u, takenUnit) < SAME_POINT;
  }

  /** Euclidean distance from u to the nearest of {@code others}; +∞ when there are none. */
  static double minDistance(double[] u, List<double[]> others) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] o : others) {
      double d2 = 0;
      for (int k = 0; k < u.length; k++) {
        d2 += (u[k] - o[k]) * (u[k] - o[k]);
      }
      best = Math.min(best, d2);
    }
    return Math.sqrt(best);
  }
}
