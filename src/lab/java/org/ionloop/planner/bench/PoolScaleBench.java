package org.ionloop.planner.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * How a pool decision's time and memory grow with the observations N and the open rows M: a
 * synthetic pool (the 6-dimensional Hartmann function on random rows, so nothing is special
 * about it), N observed rows chosen at random, and q = 1 decisions over the rest, as a running
 * campaign takes them — each decision after one more result, the GP refitted from the last one's
 * hyper-parameters (the first, cold fit at each N is run but not timed).
 */
public final class PoolScaleBench {
  /**
   * Wall seconds per decision (p50, p90), the heap's peak use over the level's decisions (MiB),
   * and what the decisions found: the mean true value of the rows they chose and its regret
   * against the pool's best open row (so a cheaper decision can be checked for a worse choice).
   */
  public record Level(int observed, int open, double p50, double p90, double coldSeconds, double heapMib,
      double meanChosen, double bestOpen) {}

  private PoolScaleBench() {}

  /**
   * @param screenKeep rows a large pool is screened to before the exact acquisition
   *     ({@link BatchSelector.Settings#screenKeep}; 0: none)
   */
  public static List<Level> run(int rows, int[] observations, int decisions, long seed, int screenKeep,
      Consumer<String> progress) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<DesignSpace.Range> ranges = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      ranges.add(new DesignSpace.Range("x" + k, "", 0, 1));
    }
    DesignSpace space = new DesignSpace(List.of(), ranges);
    List<Candidate> pool = new ArrayList<>();
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      double[] x = new double[6];
      for (int k = 0; k < 6; k++) {
        x[k] = rng.nextDouble();
      }
      pool.add(new Candidate("r" + i, x));
      y[i] = hartmann6(x);
    }
    List<Level> out = new ArrayList<>();
    for (int n : observations) {
      int[] order = shuffle(rows, rng);
      BatchSelector selector = new BatchSelector(space, null, 1, BatchSelector.Settings.defaults().withInitialPoints(0)
          .withScreenKeep(screenKeep));
      List<BatchSelector.Observation> observed = new ArrayList<>();
      boolean[] taken = new boolean[rows];
      for (int k = 0; k < n; k++) {
        observed.add(new BatchSelector.Observation(pool.get(order[k]).x(), new double[] {y[order[k]]}));
        taken[order[k]] = true;
      }
      double[] wall = new double[decisions];
      double cold = 0;
      double chosenSum = 0;
      double bestOpen = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < rows; i++) {
        if (!taken[i]) {
          bestOpen = Math.max(bestOpen, y[i]);
        }
      }
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
      for (int d = -1; d < decisions; d++) {
        List<Candidate> open = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
          if (!taken[i]) {
            open.add(pool.get(i));
          }
        }
        long t0 = System.nanoTime();
        var chosen = selector.select(observed, open, List.of(), 1, rng.split()).get(0).candidate();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (d < 0) {
          cold = seconds;
        } else {
          wall[d] = seconds;
        }
        int row = Integer.parseInt(chosen.id().substring(1));
        if (d >= 0) {
          chosenSum += y[row];
        }
        taken[row] = true;
        observed.add(new BatchSelector.Observation(chosen.x(), new double[] {y[row]}));
      }
      long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(m -> m.getType() == java.lang.management.MemoryType.HEAP).mapToLong(m -> m.getPeakUsage().getUsed()).sum();
      Arrays.sort(wall);
      Level level = new Level(n, rows - n, wall[decisions / 2], wall[Math.min(decisions - 1, (int) Math.ceil(0.9 * decisions) - 1)],
          cold, peak / 1048576.0, chosenSum / decisions, bestOpen);
      out.add(level);
      if (progress != null) {
        progress.accept(String.format("N = %d: p50 %.3f s, p90 %.3f s (cold %.2f s), chosen rows' mean value %.4f"
            + " (best open row %.4f)", n, level.p50(), level.p90(), cold, level.meanChosen(), bestOpen));
      }
    }
    return out;
  }

  /** 0 … n − 1 in a random order (Fisher–Yates). */
  static int[] shuffle(int n, SplittableRandom rng) {
    int[] a = java.util.stream.IntStream.range(0, n).toArray();
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** The 6-dimensional Hartmann function, negated to be maximised (maximum 3.32237). */
  static double hartmann6(double[] x) {
    double[] alpha = {1.0, 1.2, 3.0, 3.2};
    double[][] a = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    double[][] p = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      double inner = 0;
      for (int j = 0; j < 6; j++) {
        inner += a[i][j] * Math.pow(x[j] - p[i][j] * 1e-4, 2);
      }
      sum += alpha[i] * Math.exp(-inner);
    }
    return sum;
  }
}
