package org.ionloop.planner;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.random.RandomGenerator;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.CandidatePool;

/**
 * A campaign over a finite pool (a CSV of candidates with descriptors): "measuring" a candidate
 * means looking up its recorded values, so a planner can be judged on, or replayed against, data
 * a lab already has. Batches are chosen by the same {@link BatchSelector} as a live campaign,
 * over the pool's unmeasured rows; the first few are drawn at random.
 */
public final class PoolCampaign {

  /** One measured row: when, which, what it gave and why it was chosen. */
  public record Step(int experiment, int row, Candidate candidate, double[] objectives,
      String method, double acquisitionValue) {}

  /**
   * One planner decision (a batch): its wall time and the process's CPU time over it (the
   * surrogate fit and acquisition run on several threads), and how many rows were still open.
   */
  public record Decision(long wallNanos, long cpuNanos, int observed, int open) {}

  /**
   * A pool's rows are judged by their recorded values (the targets of a replay are the rows
   * recorded best), so that is what the planner seeks unless the settings say otherwise.
   */
  public static final BatchSelector.Goal GOAL = BatchSelector.Goal.RECORDED_VALUE;

  /**
   * A pool's values are not warped before the fit unless asked ({@link BatchSelector.OutputWarp}).
   * The Yeo–Johnson warp found the targets sooner on both development pools (OER 3496, P3HT) and
   * on the three held-out OER plates, but later on the measured solid electrolytes (Liverpool with
   * composition descriptors, 10 seeds: first target 66.8 against 46.4), which are what ionloop's
   * labs make; so it is an option, not the default.
   */
  public static final BatchSelector.OutputWarp WARP = BatchSelector.OutputWarp.NONE;

  /** The planner settings a pool campaign uses unless told otherwise: the pool's goal and warp. */
  public static BatchSelector.Settings defaultSettings() {
    return BatchSelector.Settings.defaults().withGoal(GOAL).withOutputWarp(WARP);
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private final CandidatePool pool;
  private final double[] orientation;
  private final BatchSelector selector;
  private final int randomStart;
  private final List<Decision> decisions = new ArrayList<>();

  /**
   * @param orientation +1 to maximise, −1 to minimise, per pool objective
   * @param randomStart rows drawn at random before the surrogates choose
   */
  public PoolCampaign(CandidatePool pool, double[] orientation, BatchSelector.Settings settings,
      int randomStart) {
    this.pool = pool;
    this.orientation = orientation.clone();
    this.selector = new BatchSelector(pool.space(), null, orientation.length,
        settings.withInitialPoints(0));
    this.randomStart = randomStart;
  }

  /**
   * Runs batches of q until the budget is spent, the pool is exhausted or {@code stop} says so.
   *
   * @param stop called after every measured row with (row, experiments so far)
   */
  public List<Step> run(int budget, int q, RandomGenerator rng, BiPredicate<Step, Integer> stop) {
    decisions.clear();
    List<Candidate> rows = pool.candidates();
    // By identity, not id: a pool may repeat an id, and the selector returns our own objects.
    Map<Candidate, Integer> rowOf = new IdentityHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      rowOf.put(rows.get(i), i);
    }
    boolean[] measured = new boolean[rows.size()];
    List<BatchSelector.Observation> observed = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    int limit = Math.min(budget, rows.size());
    while (steps.size() < limit) {
      List<BatchSelector.Selection> batch;
      if (steps.size() < randomStart) {
        batch = new ArrayList<>();
        while (batch.size() < Math.min(q, randomStart - steps.size())) {
          int i = rng.nextInt(rows.size());
          if (!measured[i] && batch.stream().noneMatch(s -> s.candidate() == rows.get(i))) {
            batch.add(new BatchSelector.Selection(rows.get(i), Double.NaN, "random", null, null,
                null));
          }
        }
      } else {
        List<Candidate> open = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          if (!measured[i]) {
            open.add(rows.get(i));
          }
        }
        long wall = System.nanoTime();
        long cpu = OS.getProcessCpuTime();
        batch = selector.select(observed, open, List.of(), Math.min(q, limit - steps.size()), rng);
        decisions.add(new Decision(System.nanoTime() - wall, OS.getProcessCpuTime() - cpu, observed.size(),
            open.size()));
        if (batch.isEmpty()) {
          break;
        }
      }
      for (BatchSelector.Selection s : batch) {
        int row = rowOf.get(s.candidate());
        measured[row] = true;
        double[] y = pool.measure(row);
        double[] oriented = new double[y.length];
        for (int k = 0; k < y.length; k++) {
          oriented[k] = orientation[k] * y[k];
        }
        observed.add(new BatchSelector.Observation(s.candidate().x(), oriented));
        Step step = new Step(steps.size() + 1, row, s.candidate(), y, s.method(),
            s.acquisitionValue());
        steps.add(step);
        if (stop.test(step, steps.size())) {
          return steps;
        }
      }
    }
    return steps;
  }

  /** The planner's decisions in the last {@link #run}, in order (the random starters are none). */
  public List<Decision> decisions() {
    return List.copyOf(decisions);
  }
}
