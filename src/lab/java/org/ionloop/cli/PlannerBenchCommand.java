package org.ionloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.PoolCampaign;
import org.ionloop.planner.bench.ArgyroditeSimplex;
import org.ionloop.planner.bench.BraninCurrin;
import org.ionloop.planner.bench.Dtlz2;
import org.ionloop.planner.bench.LabTiming;
import org.ionloop.planner.bench.MedianInterval;
import org.ionloop.planner.bench.PlannerBench;
import org.ionloop.planner.bench.PoolBench;
import org.ionloop.planner.bench.TestProblem;
import org.ionloop.planner.space.CandidatePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ionloop bench planner}: hypervolume per batch on standard problems for qNEHVI, qParEGO
 * and Sobol, decision times, the lab-sized timing case, and — with {@code --pool} — how much
 * sooner a pool's best rows are found than by random picking.
 */
@Command(name = "planner", mixinStandardHelpOptions = true, description = "Planner quality and "
    + "speed: BraninCurrin (noisy), DTLZ2 (M = 2 and 3), a simplex problem, the lab timing case; "
    + "or, with --pool, acceleration on a candidate pool.")
final class PlannerBenchCommand implements Callable<Integer> {
  @Option(names = "--seeds", defaultValue = "10", description = "Seeds per problem (default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--first-seed", defaultValue = "0", description = "First seed; runs use "
      + "seeds first … first + seeds − 1. Check a change tuned on seeds 0–39 on fresh ones "
      + "(default ${DEFAULT-VALUE}).")
  long firstSeed;

  @Option(names = "--batches", defaultValue = "20", description = "Batches after the initial design (default ${DEFAULT-VALUE}).")
  int batches;

  @Option(names = "--q", defaultValue = "4", description = "Batch size (default ${DEFAULT-VALUE}).")
  int q;

  @Option(names = "--problems", split = ",", defaultValue = "BraninCurrin-noisy,DTLZ2-d6-M2,DTLZ2-d4-M3,ArgyroditeSimplex",
      description = "Problems (default ${DEFAULT-VALUE}).")
  List<String> problems;

  @Option(names = "--strategies", split = ",", defaultValue = "QNEHVI,QNEHVI_KNOWN_NOISE,QPAREGO,SOBOL",
      description = "Strategies (default ${DEFAULT-VALUE}; QNEHVI_KNOWN_NOISE runs on noisy problems only).")
  List<PlannerBench.Strategy> strategies;

  @Option(names = "--lab-n", defaultValue = "200", description = "Results in the lab timing case (default ${DEFAULT-VALUE}; 0 skips it).")
  int labN;

  @Option(names = "--lab-repeats", defaultValue = "20", description = "Timed decisions in the lab case (default ${DEFAULT-VALUE}).")
  int labRepeats;

  @Option(names = "--lab-warmup", defaultValue = "20", description = "Lab-case decisions before the timed ones, reported apart: a running orchestrator has its planner JIT-compiled (default ${DEFAULT-VALUE}).")
  int labWarmUp;

  @Option(names = "--out", defaultValue = "${sys:ionloop.home:-.}/target/bench-planner.json", description = "JSON report (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--pool", description = "Pool CSV: measure acceleration on it instead.")
  Path pool;

  @Option(names = "--objective", description = "Pool column to optimise (with --pool).")
  String objective;

  @Option(names = "--minimize", description = "Smaller objective values are better (with --pool).")
  boolean minimize;

  @Option(names = "--goal", defaultValue = "top-1%", description = "Targets: top-P%% of the pool (default ${DEFAULT-VALUE}).")
  String goal;

  @Option(names = "--pool-budget", defaultValue = "300", description = "Experiments per seed at most, with --pool (default ${DEFAULT-VALUE}).")
  int poolBudget;

  @Option(names = "--exclude", split = ",", defaultValue = "", description = "Pool columns that are not descriptors (e.g. other measured values).")
  List<String> exclude;

  @Option(names = "--descriptors", split = ",", description = "With --pool: the descriptor columns (every other column is ignored).")
  List<String> descriptors;

  @Option(names = "--representation", defaultValue = "columns", description = "With --pool: 'columns' (the"
      + " descriptor columns as they are) or 'composition' (the columns are element amounts; each row is described"
      + " by Magpie-style statistics of its elements' properties) (default ${DEFAULT-VALUE}).")
  String representation;

  @Option(names = "--write-pool", description = "With --pool: also write the pool as the planner sees it"
      + " (id, descriptors after --representation, objective) to this CSV, e.g. to run bench/gp_ei_pool.py on it.")
  Path writePool;

  @Option(names = "--cv", defaultValue = "5", description = "With --pool: folds of the surrogate's cross-validated"
      + " error printed beside the acceleration; 0 skips it (default ${DEFAULT-VALUE}).")
  int cvFolds;

  @Option(names = "--scale", split = ",", description = "Instead: time pool decisions at these numbers of"
      + " observations (e.g. 100,300,1000) on a synthetic pool of --scale-rows rows.")
  List<Integer> scale;

  @Option(names = "--scale-rows", defaultValue = "10000", description = "Rows of the --scale pool (default ${DEFAULT-VALUE}).")
  int scaleRows;

  @Option(names = "--screen-keep", defaultValue = "1000", description = "With --scale: rows a large pool is screened"
      + " to before the exact acquisition, as campaigns do beyond 300 results (default ${DEFAULT-VALUE}; 0: no screen).")
  int screenKeep;

  @Option(names = "--mc-samples", defaultValue = "128", description = "With --pool: the planner's Monte-Carlo samples (default ${DEFAULT-VALUE}, as campaign pool).")
  int mcSamples;

  @Option(names = "--value", defaultValue = "recorded", description = "With --pool: what the planner seeks,"
      + " 'recorded' (the best recorded values, by which the targets are chosen; default) or 'property' (the smooth"
      + " property behind them, as a lab campaign does).")
  String value;

  @Option(names = "--output-warp", defaultValue = "none", description = "With --pool: how the objective's"
      + " values are transformed before the fit, 'none' (default, as campaign pool) or 'yeo-johnson' (a power transform fitted at every decision).")
  String outputWarp;

  @picocli.CommandLine.Mixin
  BenchOutput output;

  @Override
  public Integer call() throws Exception {
    return output.run(this::measure);
  }

  private Integer measure() throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("bench", "planner");
    report.put("cores", Runtime.getRuntime().availableProcessors());
    if (seeds < 1) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--seeds must be ≥ 1, got " + seeds);
    }
    if (scale != null && !scale.isEmpty()) {
      return scaleBench(report);
    }
    if (pool != null) {
      return poolBench(report);
    }
    if (labN > 0 && (labWarmUp < 0 || labRepeats < 1)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--lab-warmup must be ≥ 0 and --lab-repeats ≥ 1, got " + labWarmUp + " and "
              + labRepeats);
    }
    report.put("seeds", seeds);
    report.put("first_seed", firstSeed);
    report.put("batches", batches);
    report.put("q", q);
    Map<String, Object> results = new LinkedHashMap<>();
    for (String name : problems) {
      TestProblem problem = problem(name);
      Map<String, Object> perStrategy = new LinkedHashMap<>();
      System.out.printf("%n%s (d = %d, M = %d, %d initial points, %d × q = %d, max HV %s)%n",
          problem.name(), problem.space().dimension(), problem.reference().length,
          problem.initialPoints(), batches, q, Double.isNaN(problem.maxHypervolume()) ? "unknown"
              : String.format("%.4f", problem.maxHypervolume()));
      for (PlannerBench.Strategy strategy : strategies) {
        if (!strategy.appliesTo(problem)) {
          continue;
        }
        double[][] hv = new double[seeds][];
        List<Double> times = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          PlannerBench.Trace t = PlannerBench.run(problem, strategy, firstSeed + s, batches, q,
              null);
          hv[s] = t.hypervolume();
          Arrays.stream(t.decisionSeconds()).forEach(times::add);
          System.err.printf("  %s %s seed %d: final HV %.4f%n", problem.name(), strategy,
              firstSeed + s, hv[s][batches]);
        }
        Map<String, Object> r = summarise(problem, hv,
            times.stream().mapToDouble(Double::doubleValue).toArray());
        perStrategy.put(strategy.name(), r);
        double[] ci = (double[]) r.get("final_hv_median_ci");
        System.out.printf("  %-18s final HV median %.4f (%.0f%% CI %.4f – %.4f) [IQR %.4f – %.4f]%s;"
            + " decision p50 %s%n", strategy, r.get("final_hv_median"),
            100 * (double) r.get("final_hv_median_ci_coverage"), ci[0], ci[1],
            r.get("final_hv_q1"), r.get("final_hv_q3"),
            r.containsKey("final_log10_hv_gap_median") ? String.format(
                ", log10 gap %.3f", (double) r.get("final_log10_hv_gap_median")) : "",
            r.containsKey("decision_seconds_p50")
                ? String.format("%.3f s (p90 %.3f s)", r.get("decision_seconds_p50"),
                    r.get("decision_seconds_p90")) : "–");
      }
      results.put(problem.name(), perStrategy);
    }
    report.put("problems", results);
    if (labN > 0) {
      LabTiming.Timing timing = LabTiming.run(labN, labWarmUp, labRepeats, 1);
      double[] t = timing.seconds();
      Map<String, Object> lab = new LinkedHashMap<>();
      lab.put("n", labN);
      lab.put("d", LabTiming.space().dimension());
      lab.put("objectives", 2);
      lab.put("q", 4);
      lab.put("pending", 4);
      lab.put("warm_up_decisions", labWarmUp);
      lab.put("decisions", labRepeats);
      lab.put("decision_seconds_p50", PlannerBench.quantile(t, 0.5));
      lab.put("decision_seconds_p90", PlannerBench.quantile(t, 0.9));
      double warmUpP50 = PlannerBench.quantile(timing.warmUpSeconds(), 0.5);
      if (labWarmUp > 0) {
        lab.put("warm_up_decision_seconds_p50", warmUpP50);
      }
      report.put("lab_case", lab);
      System.out.printf("%nlab case (N = %d, d = %d, 2 objectives, q = 4, 4 pending): decision "
          + "p50 %.3f s, p90 %.3f s over %d decisions%s%n", labN, LabTiming.space().dimension(),
          PlannerBench.quantile(t, 0.5), PlannerBench.quantile(t, 0.9), labRepeats,
          labWarmUp > 0 ? String.format(" after %d warm-up decisions (those: p50 %.3f s)",
              labWarmUp, warmUpP50) : "");
    }
    write(report);
    return 0;
  }

  private Integer scaleBench(Map<String, Object> report) throws Exception {
    System.out.printf("pool decisions at scale: %d rows (Hartmann-6), q = 1, %d decisions per level, %d cores%n",
        scaleRows, 10, Runtime.getRuntime().availableProcessors());
    var levels = org.ionloop.planner.bench.PoolScaleBench.run(scaleRows, scale.stream().mapToInt(Integer::intValue)
        .toArray(), 10, firstSeed, screenKeep, System.err::println);
    System.out.printf("screen: %s%n", screenKeep > 0 ? "beyond 300 results, the open rows are screened to " + screenKeep
        + " by optimistic bounds before the exact acquisition" : "none (every open row gets the exact acquisition)");
    System.out.printf("%8s %8s %10s %10s %10s %14s %12s %10s%n", "N", "open", "p50 s", "p90 s", "cold s", "peak heap MiB",
        "chosen mean", "best open");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (var l : levels) {
      System.out.printf("%8d %8d %10.3f %10.3f %10.2f %14.0f %12.4f %10.4f%n", l.observed(), l.open(), l.p50(), l.p90(),
          l.coldSeconds(), l.heapMib(), l.meanChosen(), l.bestOpen());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("observed", l.observed());
      m.put("open", l.open());
      m.put("decision_seconds_p50", l.p50());
      m.put("decision_seconds_p90", l.p90());
      m.put("cold_fit_decision_seconds", l.coldSeconds());
      m.put("peak_heap_mib", l.heapMib());
      m.put("chosen_mean_value", l.meanChosen());
      m.put("best_open_value", l.bestOpen());
      rows.add(m);
    }
    report.put("pool_scale", rows);
    report.put("screen_keep", screenKeep);
    write(report);
    return 0;
  }

  private Integer poolBench(Map<String, Object> report) throws Exception {
    if (objective == null) {
      System.err.println("--pool needs --objective COLUMN");
      return 2;
    }
    if (!goal.matches("top-[0-9.]+%")) {
      System.err.println("--goal must look like top-1%, got " + goal);
      return 2;
    }
    double fraction = Double.parseDouble(goal.substring(4, goal.length() - 1)) / 100;
    BatchSelector.Goal seek;
    BatchSelector.OutputWarp warp;
    try {
      seek = BatchSelector.Goal.ofOption(value);
      warp = BatchSelector.OutputWarp.ofOption(outputWarp);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }

    Map<String, Object> out = new LinkedHashMap<>();
    CandidatePool read = CandidatePool.read(pool, List.of(objective), Set.copyOf(exclude.stream()
        .filter(s -> !s.isBlank()).toList()), descriptors == null ? List.of() : descriptors);
    CandidatePool p;
    switch (representation) {
      case "columns" -> p = read;
      case "composition" -> p = read.asCompositionDescriptors();
      default -> {
        System.err.println("--representation must be 'columns' or 'composition', got '" + representation + "'");
        return 2;
      }
    }
    out.put("representation", representation);
    System.out.printf("pool %s: %d candidates, %d descriptors %s, objective %s (%s), goal %s%n",
        pool, p.size(), p.descriptors().size(), p.descriptors(), objective,
        minimize ? "minimise" : "maximise", goal);
    if (writePool != null) {
      p.write(writePool, List.of("The pool " + pool + " as ionloop's planner sees it: representation "
          + representation + ", objective " + objective + ".",
          "Written by bin/ionloop bench planner --pool --write-pool; the source file's licence and attribution apply."));
      System.out.printf("  wrote %s (%d rows, %d descriptors)%n", writePool, p.size(), p.descriptors().size());
    }
    int sharing = p.rowsSharingDescriptors();
    if (sharing > 0) {
      System.out.printf("  %d row(s) repeat another row's descriptors: the planner cannot tell them apart%n", sharing);
    }
    out.put("rows_sharing_descriptors", sharing);
    if (cvFolds > 1) {
      PoolBench.CrossValidation cv = PoolBench.crossValidate(p, cvFolds, firstSeed);
      System.out.printf("  surrogate, %d-fold cross-validated: MAE %.3f, RMSE %.3f (predicting the mean: MAE %.3f)%n",
          cv.folds(), cv.mae(), cv.rmse(), cv.baselineMae());
      out.put("cv_folds", cv.folds());
      out.put("cv_mae", cv.mae());
      out.put("cv_rmse", cv.rmse());
      out.put("cv_mean_predictor_mae", cv.baselineMae());
    }
    out.put("value", value);
    System.out.printf("  the planner seeks the best %s, output warp %s (campaign pool's defaults: recorded, none)%n",
        seek == BatchSelector.Goal.RECORDED_VALUE ? "recorded values" : "property behind them (--value property)",
        outputWarp);
    out.put("output_warp", outputWarp);
    PoolBench.Result r = PoolBench.run(p, !minimize, fraction, firstSeed, seeds, q, 5, poolBudget,
        PoolCampaign.defaultSettings().withMcSamples(mcSamples).withGoal(seek).withOutputWarp(warp),
        System.err::println);
    long unfinished = Arrays.stream(r.all()).filter(v -> v > poolBudget).count();
    if (unfinished > 0) {
      System.out.printf("  %d of %d seeds had not found every target within %d experiments; "
          + "they count as %d (means are lower bounds)%n", unfinished, seeds, poolBudget,
          poolBudget + 1);
    }
    out.put("budget", poolBudget);
    out.put("seeds_not_finding_all", unfinished);
    out.put("pool", pool.toString());
    out.put("size", r.poolSize());
    out.put("targets", r.targets());
    out.put("seeds", seeds);
    out.put("q", q);
    out.put("first_seed", firstSeed);
    out.put("mc_samples", mcSamples);
    out.put("seconds_per_decision", r.secondsPerDecision());
    String[] names = {"first", "half", "all"};
    double[][] found = {r.first(), r.half(), r.all()};
    int[] j = {1, r.halfIndex(), r.targets()};
    System.out.printf("%d targets (top %s of %d); experiments until found, mean over %d seeds:%n",
        r.targets(), goal.substring(4), r.poolSize(), seeds);
    for (int i = 0; i < 3; i++) {
      double mean = Arrays.stream(found[i]).average().orElse(Double.NaN);
      double random = r.randomExpectation(j[i]);
      long missed = Arrays.stream(found[i]).filter(v -> v > poolBudget).count();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mean_experiments", mean);
      m.put("median_experiments", PlannerBench.quantile(found[i], 0.5));
      m.put("random_expectation", random);
      m.put("seeds_not_reaching", missed);
      // A target some seed never reached has no acceleration: its mean is only a lower bound.
      m.put("acceleration", missed > 0 ? null : random / mean);
      out.put(names[i], m);
      if (missed > 0) {
        System.out.printf("  %-5s (target %d): not reached by %d of %d seeds within %d experiments (random %.1f):"
            + " no acceleration figure%n", names[i], j[i], missed, seeds, poolBudget, random);
      } else {
        System.out.printf("  %-5s (target %d): planner %.1f, random %.1f → %.1f× faster%n",
            names[i], j[i], mean, random, random / mean);
      }
    }
    double[] wall = r.decisionWallSeconds();
    double[] cpu = r.decisionCpuSeconds();
    System.out.printf("  time per decision over %d decisions: wall p50 %.3f s, p90 %.3f s; CPU p50 %.3f s, p90 %.3f s"
        + " (q = %d, %d Monte-Carlo samples as a pool campaign%s, %d cores)%n", wall.length,
        PlannerBench.quantile(wall, 0.5), PlannerBench.quantile(wall, 0.9), PlannerBench.quantile(cpu, 0.5),
        PlannerBench.quantile(cpu, 0.9), q, mcSamples,
        mcSamples == BatchSelector.Settings.defaults().mcSamples() ? " uses" : " would use "
            + BatchSelector.Settings.defaults().mcSamples(), Runtime.getRuntime().availableProcessors());
    out.put("decisions", wall.length);
    out.put("decision_wall_seconds_p50", PlannerBench.quantile(wall, 0.5));
    out.put("decision_wall_seconds_p90", PlannerBench.quantile(wall, 0.9));
    out.put("decision_cpu_seconds_p50", PlannerBench.quantile(cpu, 0.5));
    out.put("decision_cpu_seconds_p90", PlannerBench.quantile(cpu, 0.9));
    report.put("pool_result", out);
    write(report);
    return 0;
  }

  private static TestProblem problem(String name) {
    return switch (name) {
      case "BraninCurrin-noisy" -> new BraninCurrin(true);
      case "BraninCurrin" -> new BraninCurrin(false);
      case "DTLZ2-d6-M2" -> new Dtlz2(6, 2);
      case "DTLZ2-d4-M3" -> new Dtlz2(4, 3);
      case "ArgyroditeSimplex" -> new ArgyroditeSimplex();
      default -> throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new PlannerBenchCommand()), "unknown problem '" + name
              + "' (known: BraninCurrin-noisy, BraninCurrin, DTLZ2-d6-M2, DTLZ2-d4-M3, "
              + "ArgyroditeSimplex)");
    };
  }

  private Map<String, Object> summarise(TestProblem problem, double[][] hv, double[] times) {
    int batches = hv[0].length;
    double[] med = new double[batches];
    double[] q1 = new double[batches];
    double[] q3 = new double[batches];
    double[] gap = new double[batches];
    for (int b = 0; b < batches; b++) {
      final int bb = b;
      double[] col = Arrays.stream(hv).mapToDouble(h -> h[bb]).toArray();
      med[b] = PlannerBench.quantile(col, 0.5);
      q1[b] = PlannerBench.quantile(col, 0.25);
      q3[b] = PlannerBench.quantile(col, 0.75);
      if (!Double.isNaN(problem.maxHypervolume())) {
        gap[b] = PlannerBench.quantile(Arrays.stream(col)
            .map(v -> Math.log10(Math.max(problem.maxHypervolume() - v, 1e-12))).toArray(), 0.5);
      }
    }
    double[] finals = Arrays.stream(hv).mapToDouble(h -> h[batches - 1]).toArray();
    MedianInterval ci = MedianInterval.of(finals, 0.95);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("final_hv_median", med[batches - 1]);
    r.put("final_hv_median_ci", new double[] {ci.low(), ci.high()});
    r.put("final_hv_median_ci_coverage", ci.coverage());
    r.put("final_hv_q1", q1[batches - 1]);
    r.put("final_hv_q3", q3[batches - 1]);
    r.put("final_hv_per_seed", finals);
    r.put("hv_median_per_batch", med);
    r.put("hv_q1_per_batch", q1);
    r.put("hv_q3_per_batch", q3);
    if (!Double.isNaN(problem.maxHypervolume())) {
      r.put("max_hv", problem.maxHypervolume());
      r.put("final_log10_hv_gap_median", gap[batches - 1]);
      r.put("log10_hv_gap_median_per_batch", gap);
    }
    if (times.length > 0) {
      r.put("decision_seconds_p50", PlannerBench.quantile(times, 0.5));
      r.put("decision_seconds_p90", PlannerBench.quantile(times, 0.9));
    }
    return r;
  }

  private void write(Map<String, Object> report) throws Exception {
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    System.out.println("JSON report: " + out);
    output.report(report);
  }
}
