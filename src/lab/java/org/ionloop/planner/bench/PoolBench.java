package org.ionloop.planner.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.PoolCampaign;
import org.ionloop.planner.space.CandidatePool;

/**
 * How much sooner the planner finds a pool's best candidates than random picking: for each
 * seed, a pool campaign runs until every one of the top K rows (by the objective) has been
 * measured, and the experiment numbers at which the first, the ⌈K/2⌉-th and the K-th were found
 * are recorded. Drawing without replacement, the j-th of K targets among N appears on average at
 * draw j(N + 1)/(K + 1); the ratio is the acceleration factor.
 */
public final class PoolBench {

  /**
   * Experiment numbers per seed at which the first, half and all targets were found (budget + 1
   * where not found), and the planner's mean wall time per decision in seconds.
   */
  public record Result(int poolSize, int targets, double[] first, double[] half, double[] all,
      double secondsPerDecision, double[] decisionWallSeconds, double[] decisionCpuSeconds) {
    public double randomExpectation(int j) {
      return j * (poolSize + 1.0) / (targets + 1.0);
    }

    public int halfIndex() {
      return (targets + 1) / 2;
    }
  }

  private PoolBench() {}

  /**
   * @param topFraction e.g. 0.01 for the top 1 %
   * @param maximize    whether larger objective values are better
   * @param budget      experiments per seed at most; a target not found by then counts as
   *                    found at experiment budget + 1 (so the mean is a lower bound) and is
   *                    reported
   */
  public static Result run(CandidatePool pool, boolean maximize, double topFraction, int seeds,
      int q, int randomStart, int budget, Consumer<String> progress) {
    return run(pool, maximize, topFraction, 0, seeds, q, randomStart, budget,
        BatchSelector.Settings.defaults().mcSamples(), progress);
  }

  /** As below, with the pool's own goal: the best recorded values. */
  public static Result run(CandidatePool pool, boolean maximize, double topFraction, long firstSeed, int seeds,
      int q, int randomStart, int budget, int mcSamples, Consumer<String> progress) {
    return run(pool, maximize, topFraction, firstSeed, seeds, q, randomStart, budget,
        PoolCampaign.defaultSettings().withMcSamples(mcSamples), progress);
  }

  /**
   * As above, with seeds {@code firstSeed … firstSeed + seeds − 1} and the planner's settings
   * (a pool campaign's are {@link PoolCampaign#defaultSettings}: 128 Monte-Carlo samples, the
   * recorded values the targets are chosen by, no output warp).
   */
  public static Result run(CandidatePool pool, boolean maximize, double topFraction, long firstSeed, int seeds,
      int q, int randomStart, int budget, BatchSelector.Settings planner, Consumer<String> progress) {
    int n = pool.size();
    int k = Math.max(1, (int) Math.round(topFraction * n));
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = (maximize ? 1 : -1) * pool.measure(i)[0];
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double threshold = sorted[n - k];
    boolean[] target = new boolean[n];
    int targets = 0;
    for (int i = 0; i < n; i++) {
      target[i] = values[i] >= threshold;
      targets += target[i] ? 1 : 0;
    }
    int totalTargets = targets;
    int halfway = (totalTargets + 1) / 2;
    double[] first = new double[seeds];
    double[] half = new double[seeds];
    double[] all = new double[seeds];
    Arrays.fill(first, budget + 1);
    Arrays.fill(half, budget + 1);
    Arrays.fill(all, budget + 1);
    long decisionNanos = 0;
    long decisions = 0;
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    for (int s = 0; s < seeds; s++) {
      int seed = s;
      int[] found = {0};
      PoolCampaign campaign = new PoolCampaign(pool, new double[] {maximize ? 1 : -1},
          planner, randomStart);
      long t0 = System.nanoTime();
      int[] measured = {0};
      campaign.run(budget, q, new SplittableRandom(1000 + firstSeed + s), (step, done) -> {
        measured[0] = done;
        if (progress != null && done % 50 == 0) {
          progress.accept(String.format("  seed %d: %d experiments, %d/%d targets found", seed,
              done, found[0], totalTargets));
        }
        if (target[step.row()]) {
          found[0]++;
          if (found[0] == 1) {
            first[seed] = done;
          }
          if (found[0] == halfway) {
            half[seed] = done;
          }
          if (found[0] == totalTargets) {
            all[seed] = done;
            return true;
          }
        }
        return false;
      });
      decisionNanos += System.nanoTime() - t0;
      for (PoolCampaign.Decision d : campaign.decisions()) {
        wall.add(d.wallNanos() / 1e9);
        cpu.add(d.cpuNanos() / 1e9);
      }
      decisions += Math.max(0, (measured[0] - randomStart + q - 1) / q); // the random starters take no decision
      if (progress != null) {
        progress.accept(String.format("pool seed %d/%d: first %.0f, half %.0f, all %.0f "
            + "experiments", s + 1, seeds, first[seed], half[seed], all[seed]));
      }
    }
    return new Result(n, totalTargets, first, half, all, decisions == 0 ? Double.NaN : decisionNanos / 1e9 / decisions,
        wall.stream().mapToDouble(Double::doubleValue).toArray(), cpu.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Cross-validated error of the planner's surrogate on the pool: MAE and RMSE in objective units. */
  public record CrossValidation(int folds, double mae, double rmse, double baselineMae) {}

  /**
   * How well the planner's GP (the same fit, on the pool's unit-cube descriptors) predicts the
   * objective of rows it has not seen: {@code folds}-fold cross-validation over a seeded shuffle.
   * {@code baselineMae} is predicting every held-out row by the training rows' mean, the error a
   * surrogate must beat to be of any use.
   */
  public static CrossValidation crossValidate(CandidatePool pool, int folds, long seed) {
    int n = pool.size();
    SplittableRandom rng = new SplittableRandom(seed);
    int[] order = PoolScaleBench.shuffle(n, rng);
    double absolute = 0;
    double squared = 0;
    double baseline = 0;
    for (int f = 0; f < folds; f++) {
      List<double[]> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Integer> held = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        if (k % folds == f) {
          held.add(order[k]);
        } else {
          xs.add(pool.space().toUnitCube(pool.candidates().get(order[k]).x()));
          ys.add(pool.measure(order[k])[0]);
        }
      }
      double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
      double mean = Arrays.stream(y).average().orElse(0);
      org.ionloop.planner.gp.GaussianProcess gp = org.ionloop.planner.gp.GaussianProcess.fit(
          xs.toArray(double[][]::new), y, null, org.ionloop.planner.gp.GaussianProcess.FitSettings.THOROUGH,
          rng.split());
      for (int row : held) {
        double truth = pool.measure(row)[0];
        double predicted = gp.predict(pool.space().toUnitCube(pool.candidates().get(row).x()))[0];
        absolute += Math.abs(predicted - truth);
        squared += (predicted - truth) * (predicted - truth);
        baseline += Math.abs(mean - truth);
      }
    }
    return new CrossValidation(folds, absolute / n, Math.sqrt(squared / n), baseline / n);
  }
}
