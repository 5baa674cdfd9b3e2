package org.ionloop.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.PoolCampaign;
import org.ionloop.planner.space.CandidatePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop campaign pool FILE.csv}: a campaign whose "measurements" are look-ups in a
 * candidate pool, e.g. to replay a planner against data a lab already has.
 */
@Command(name = "pool", mixinStandardHelpOptions = true, description = "Run a campaign over a "
    + "candidate pool (CSV); measuring a row means looking up its recorded values.")
final class PoolCampaignCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Pool CSV: id, descriptor columns, objective columns.")
  Path file;

  @Option(names = "--objective", required = true, split = ",", description = "Objective column(s), at most 3.")
  List<String> objectives;

  @Option(names = "--minimize", split = ",", defaultValue = "", description = "Objective columns where smaller is better.")
  List<String> minimize;

  @Option(names = "--exclude", split = ",", defaultValue = "", description = "Columns that are not descriptors.")
  List<String> exclude;

  @Option(names = "--descriptors", split = ",", description = "The descriptor columns (every other column is ignored).")
  List<String> descriptors;

  @Option(names = "--representation", defaultValue = "columns", description = "'columns' (the descriptor columns"
      + " as they are) or 'composition' (they are element amounts; rows are described by Magpie-style statistics of"
      + " their elements' properties) (default ${DEFAULT-VALUE}).")
  String representation;

  @Option(names = "--budget", defaultValue = "60", description = "Experiments (default ${DEFAULT-VALUE}).")
  int budget;

  @Option(names = "--q", defaultValue = "4", description = "Batch size (default ${DEFAULT-VALUE}).")
  int q;

  @Option(names = "--acquisition", defaultValue = "QNEHVI", description = "QNEHVI or QPAREGO (default ${DEFAULT-VALUE}).")
  BatchSelector.Method method;

  @Option(names = "--value", defaultValue = "recorded", description = "What is sought: 'recorded' (the rows whose"
      + " recorded values are best; default) or 'property' (the smooth property behind them, seeing through the"
      + " scatter between rows as a lab campaign does).")
  String value;

  @Option(names = "--output-warp", defaultValue = "none", description = "How each objective's values are"
      + " transformed before the fit: 'none' (default) or 'yeo-johnson' (a power transform fitted at every decision: sooner on skewed single-chemistry plates, later on the measured electrolytes).")
  String outputWarp;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (objectives.size() > 3) {
      System.err.println("at most 3 objectives, got " + objectives);
      return 2;
    }
    CandidatePool pool;
    BatchSelector.Goal goal;
    BatchSelector.OutputWarp warp;
    try {
      goal = BatchSelector.Goal.ofOption(value);
      warp = BatchSelector.OutputWarp.ofOption(outputWarp);
      pool = CandidatePool.read(file, objectives, Set.copyOf(exclude.stream()
          .filter(s -> !s.isBlank()).toList()), descriptors == null ? List.of() : descriptors);
      if (representation.equals("composition")) {
        pool = pool.asCompositionDescriptors();
      } else if (!representation.equals("columns")) {
        throw new IllegalArgumentException("--representation must be 'columns' or 'composition', got '"
            + representation + "'");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    double[] orientation = objectives.stream().mapToDouble(o -> minimize.contains(o) ? -1 : 1)
        .toArray();
    System.out.printf("pool campaign on %s: %d candidates, descriptors %s, objectives %s, "
        + "budget %d, q = %d, %s, seeking the best %s, output warp %s%n", file, pool.size(), pool.descriptors(),
        objectives, budget, q, method, goal == BatchSelector.Goal.RECORDED_VALUE ? "recorded values" : "property",
        outputWarp);
    PoolCampaign campaign = new PoolCampaign(pool, orientation,
        PoolCampaign.defaultSettings().withMethod(method).withGoal(goal).withOutputWarp(warp), 5);
    double[] best = new double[objectives.size()];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    var steps = campaign.run(budget, q, new SplittableRandom(seed), (step, done) -> {
      StringBuilder improved = new StringBuilder();
      for (int k = 0; k < best.length; k++) {
        double v = orientation[k] * step.objectives()[k];
        if (v > best[k]) {
          best[k] = v;
          improved.append(" new best ").append(objectives.get(k));
        }
      }
      System.out.printf("[%3d/%d] %-12s %-8s acq %-10.4g %s%s%n", done, budget,
          step.candidate().id(), step.method(), step.acquisitionValue(),
          Arrays.toString(step.objectives()), improved);
      return false;
    });
    System.out.printf("measured %d rows; best %s%n", steps.size(), describeBest(best,
        orientation));
    return 0;
  }

  private String describeBest(double[] best, double[] orientation) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < best.length; k++) {
      sb.append(k > 0 ? ", " : "").append(objectives.get(k)).append(' ')
          .append(String.format("%.4g", orientation[k] * best[k]));
    }
    return sb.toString();
  }
}
