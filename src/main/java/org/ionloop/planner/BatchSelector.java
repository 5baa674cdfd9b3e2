package org.ionloop.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.ionloop.planner.acquisition.BaselinePruning;
import org.ionloop.planner.acquisition.ChebyshevImprovement;
import org.ionloop.planner.acquisition.HypervolumeImprovement;
import org.ionloop.planner.acquisition.JointPosterior;
import org.ionloop.planner.acquisition.MonteCarloAcquisition;
import org.ionloop.planner.acquisition.OptimisticImprovement;
import org.ionloop.planner.acquisition.ProjectionCache;
import org.ionloop.planner.acquisition.SampleImprovement;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.gp.YeoJohnson;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * Chooses a batch of q experiments. Before {@code initialPoints} results it fills the space
 * (greedy maximin distance to everything measured, running or chosen). Afterwards it fits one
 * GP per objective (warm-started from the previous decision) and builds the batch sequentially
 * and greedily: each point maximises a Monte-Carlo acquisition — qNEHVI or qParEGO — whose
 * baseline holds the measured points that may be Pareto-optimal, the running (pending)
 * experiments and the points already chosen for this batch, all sampled jointly from the
 * posterior. Running experiments thus count as "probably this good", not as known results,
 * and the batch spreads out without any hand-tuned penalty (Daulton et al., NeurIPS 2021).
 *
 * <p>Candidates come from a finite set when one is given (the proposer's samples, a pool), or
 * else from the continuous constrained space; the acquisition code is the same.
 */
public final class BatchSelector {

  /** Which acquisition builds the batch. */
  public enum Method { QNEHVI, QPAREGO }

  /**
   * What a campaign wants to be good. {@link #PROPERTY}: the smooth property the GP models, which
   * a repeated measurement would find again; what the GP calls noise is measurement scatter to
   * see through (a lab campaign). {@link #RECORDED_VALUE}: the value a row's one measurement
   * records (a pool of fixed measurements, judged by them): the noise term is then partly real
   * row-to-row variation no smooth model resolves, so a candidate is worth what its recorded value
   * may be, latent plus noise, against the best values recorded, which are known exactly. On the
   * P3HT pool the GP puts about half of the values' spread in its noise term; there the latent
   * goal found little left in a high cluster once its smooth mean was known, while its best rows
   * were still unmeasured (both targets after 52.4 experiments against 48.0, 40 seeds).
   */
  public enum Goal {
    PROPERTY, RECORDED_VALUE;

    /** The command lines' spelling: {@code property} or {@code recorded}. */
    public static Goal ofOption(String value) {
      return switch (value) {
        case "property" -> PROPERTY;
        case "recorded" -> RECORDED_VALUE;
        default -> throw new IllegalArgumentException("--value must be 'recorded' or 'property', got '" + value + "'");
      };
    }
  }

  /**
   * How an objective's values are transformed before its GP is fitted. {@link #YEO_JOHNSON}: a
   * monotone power transform fitted at every decision to make the values look normal
   * ({@link YeoJohnson}); the acquisition then works on the transformed scale, where the best
   * rows are the same. Objectives whose noise SD is known are not warped (the known SD is in the
   * objective's units). On the two pools the planner was developed on it took half of OER
   * 3496's top 1 % from 85.4 to 73.8 experiments (10 seeds) and P3HT's second target from 48.0
   * to 46.9 (40 seeds), but on the measured solid electrolytes it found the targets later (see
   * {@link PoolCampaign#WARP}). It is an option of pool campaigns; lab campaigns keep
   * {@link #NONE} until it has been judged on their multi-objective benchmarks.
   */
  public enum OutputWarp {
    NONE, YEO_JOHNSON;

    /** The command lines' spelling: {@code none} or {@code yeo-johnson}. */
    public static OutputWarp ofOption(String value) {
      return switch (value) {
        case "none" -> NONE;
        case "yeo-johnson" -> YEO_JOHNSON;
        default -> throw new IllegalArgumentException("--output-warp must be 'yeo-johnson' or 'none', got '"
            + value + "'");
      };
    }
  }

  /**
   * Planner settings, with defaults a campaign can override.
   *
   * @param noiseSd per objective, the measurement noise's standard deviation when it is known
   *                (from replicates or the instrument's specification), which the GP then holds
   *                fixed; NaN, or a null array, where it is learned from the data
   * @param screenKeep once the data are large ({@link #LARGE_DATA}), a finite set of more rows
   *                than this is screened down to this many before the exact acquisition (0: never)
   * @param goal    what is to be good: the latent property (a lab) or the recorded value (a pool)
   * @param outputWarp how each objective's values are transformed before its GP is fitted
   */
  public record Settings(Method method, int initialPoints, int mcSamples, int pruneSamples,
      int maxBaseline, AcquisitionOptimizer.Settings optimizer, double[] noiseSd, int screenKeep,
      Goal goal, OutputWarp outputWarp) {
    public Settings(Method method, int initialPoints, int mcSamples, int pruneSamples,
        int maxBaseline, AcquisitionOptimizer.Settings optimizer, double[] noiseSd) {
      this(method, initialPoints, mcSamples, pruneSamples, maxBaseline, optimizer, noiseSd, SCREEN_KEEP,
          Goal.PROPERTY, OutputWarp.NONE);
    }

    public Settings withOutputWarp(OutputWarp w) {
      return new Settings(method, initialPoints, mcSamples, pruneSamples, maxBaseline, optimizer, noiseSd,
          screenKeep, goal, w);
    }

    public Settings withGoal(Goal g) {
      return new Settings(method, initialPoints, mcSamples, pruneSamples, maxBaseline, optimizer, noiseSd,
          screenKeep, g, outputWarp);
    }

    public static Settings defaults() {
      return new Settings(Method.QNEHVI, 6, 128, 2048, 400, AcquisitionOptimizer.Settings.DEFAULT,
          null);
    }

    /** How many rows of a large set the screen keeps (0: no screen, every row gets the exact acquisition). */
    public Settings withScreenKeep(int keep) {
      return new Settings(method, initialPoints, mcSamples, pruneSamples, maxBaseline, optimizer, noiseSd, keep, goal, outputWarp);
    }

    public Settings withInitialPoints(int n) {
      return new Settings(method, n, mcSamples, pruneSamples, maxBaseline, optimizer, noiseSd, screenKeep, goal, outputWarp);
    }

    public Settings withMcSamples(int n) {
      return new Settings(method, initialPoints, n, pruneSamples, maxBaseline, optimizer,
          noiseSd, screenKeep, goal, outputWarp);
    }

    public Settings withMethod(Method m) {
      return new Settings(m, initialPoints, mcSamples, pruneSamples, maxBaseline, optimizer,
          noiseSd, screenKeep, goal, outputWarp);
    }

    public Settings withOptimizer(AcquisitionOptimizer.Settings o) {
      return new Settings(method, initialPoints, mcSamples, pruneSamples, maxBaseline, o,
          noiseSd, screenKeep, goal, outputWarp);
    }

    /** Known noise SDs per objective (NaN entries: learned); null learns them all. */
    public Settings withNoiseSd(double[] sd) {
      return new Settings(method, initialPoints, mcSamples, pruneSamples, maxBaseline, optimizer,
          sd == null ? null : sd.clone(), screenKeep, goal, outputWarp);
    }

    /** The known noise SD of objective k, or NaN when it is learned. */
    double knownNoiseSd(int k) {
      return noiseSd == null || k >= noiseSd.length ? Double.NaN : noiseSd[k];
    }
  }

  /** A measured point: x in natural units, objectives oriented for maximisation. */
  public record Observation(double[] x, double[] objectives) {}

  /**
   * A chosen candidate, the value that chose it and how it was chosen; with surrogates, their
   * prediction there and, per objective, the measurement noise SD they assume (known, or fitted:
   * a fitted noise far below the instrument's shows a GP that follows the noise).
   */
  public record Selection(Candidate candidate, double acquisitionValue, String method,
      double[] predictedMean, double[] predictedSd, double[] noiseSd) {}

  private final DesignSpace space;
  private final double[] reference;
  private final Settings settings;
  private final AcquisitionOptimizer optimizer;
  /** Every this many decisions a warm chain is checked against a start at the prior's mode. */
  private static final int PERIODIC_EVERY = 8;
  /** Up to this many results a thorough fit takes milliseconds, so every fit is thorough. */
  private static final int SMALL_DATA = 100;
  /**
   * Beyond this many results the hyper-parameters are refitted only on the periodic decisions,
   * and the others condition on the new data with the last fit's: one more result among 300
   * barely moves the likelihood's optimum, while a warm refit's dozen likelihood evaluations
   * (each a Cholesky factorisation and N³ gradient terms) made a decision at N = 1000 take
   * 5 s against the 1 s a lab allows (bench planner --scale).
   */
  static final int LARGE_DATA = 300;

  /** Per objective, where the next fit starts: the last fit's optimum and curvature memory. */
  private final AtomicReferenceArray<GaussianProcess.WarmStart> lastFit;
  private final AtomicInteger fits = new AtomicInteger();

  /**
   * @param reference hypervolume reference point (maximisation orientation), or null to infer
   *                  it from the data at every decision
   */
  public BatchSelector(DesignSpace space, double[] reference, int objectives, Settings settings) {
    this.space = space;
    this.reference = reference == null ? null : reference.clone();
    this.settings = settings;
    this.optimizer = new AcquisitionOptimizer(settings.optimizer());
    this.lastFit = new AtomicReferenceArray<>(objectives);
  }

  /**
   * Selects up to q points; never one already measured, pending or chosen.
   *
   * @param candidates finite set to choose from, or empty to search the continuous space
   */
  public List<Selection> select(List<Observation> observed, List<Candidate> candidates,
      List<Candidate> pending, int q, RandomGenerator rng) {
    return decide(observed, candidates, pending, q, rng).selections();
  }

  /**
   * A batch with the surrogates that chose it, as a score the proposer can be guided by (null
   * while the planner is still filling the space and has no model).
   */
  public record Decision(List<Selection> selections, OptimisticImprovement surrogate) {}

  /**
   * Optimism of the surrogate score handed to the proposer, in posterior standard deviations.
   * 0: the predicted hypervolume gain. Exploration is the planner's job when it chooses among
   * the candidates; an optimistic guide (β = 1) pulled samples towards the surrogates' least
   * known, mostly poor, regions (bench proposer: fewer samples that truly enlarge the front).
   */
  public static final double GUIDE_BETA = 0.0;

  /** Optimism of the tie-break among candidates of equal Monte-Carlo acquisition (see overSet). */
  static final double TIE_BREAK_BETA = 2.0;

  /** As {@link #select}, also returning the fitted surrogates as a score. */
  public Decision decide(List<Observation> observed, List<Candidate> candidates,
      List<Candidate> pending, int q, RandomGenerator rng) {
    // Everything measured, running or chosen, in unit-cube coordinates (converted once).
    List<double[]> taken = new ArrayList<>();
    observed.forEach(o -> taken.add(space.toUnitCube(o.x())));
    pending.forEach(c -> taken.add(space.toUnitCube(c.x())));
    if (observed.size() < settings.initialPoints()) {
      return new Decision(spaceFilling(candidates, taken, q, rng), null);
    }
    double[][] observedUnit = taken.subList(0, observed.size()).toArray(double[][]::new);
    YeoJohnson[] warps = warps(observed);
    observed = warped(observed, warps);
    GaussianProcess[] models = fit(observedUnit, observed, rng);
    List<double[]> objectives = observed.stream().map(Observation::objectives).toList();
    double[] ref = reference != null ? warped(reference, warps) : Pareto.inferReference(objectives);
    boolean recorded = settings.goal() == Goal.RECORDED_VALUE;
    List<double[]> baseline = new ArrayList<>();
    // Recorded values of measured points are known: they join every sample's front as they are
    // (the non-dominated ones; the rest cannot change it), and only what is yet to be recorded
    // is sampled.
    List<double[]> known = new ArrayList<>();
    if (recorded) {
      for (int i : Pareto.nonDominated(objectives)) {
        known.add(objectives.get(i));
      }
    } else {
      for (int i : BaselinePruning.keep(models, observedUnit, settings.pruneSamples(),
          settings.maxBaseline(), rng)) {
        baseline.add(observedUnit[i]);
      }
    }
    baseline.addAll(taken.subList(observed.size(), taken.size()));
    List<double[]> seeds = new ArrayList<>();
    for (int i : Pareto.nonDominated(objectives)) {
      seeds.add(observed.get(i).x());
    }
    if (settings.screenKeep() > 0 && observed.size() > LARGE_DATA && candidates.size() > settings.screenKeep()) {
      candidates = screen(models, candidates, settings.screenKeep(), rng);
    }
    List<double[]> pool = candidates.stream().map(Candidate::x).toList();
    List<double[]> poolUnit = pool.stream().map(space::toUnitCube).toList();
    boolean[] used = new boolean[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      used[i] = AcquisitionOptimizer.isTaken(poolUnit.get(i), taken);
    }
    // A finite set is tried whole by every pick of the batch, and the GPs do not change while it
    // is built: project its points onto the training data once. (The continuous search draws
    // fresh starting points for each pick: sharing one draw across the picks saved 15 % of the
    // lab case's time but lost hypervolume on the simplex and DTLZ2 benchmarks.)
    ProjectionCache projections = pool.isEmpty() ? null
        : new ProjectionCache(models, poolUnit, observed.size());
    double[] noiseSd = java.util.Arrays.stream(models).mapToDouble(GaussianProcess::noiseSd)
        .toArray();
    // Where the Monte-Carlo improvement is the same (zero) on several candidates, an upper
    // confidence bound decides: the hypervolume each would add at μ + 2σ.
    OptimisticImprovement tieBreak = pool.isEmpty() ? null
        : new OptimisticImprovement(models, space, objectives, ref, TIE_BREAK_BETA, recorded);
    List<Selection> out = new ArrayList<>();
    for (int b = 0; b < q; b++) {
      double[][] sampled = baseline.toArray(double[][]::new);
      JointPosterior posterior = recorded
          ? JointPosterior.ofRecordedValues(models, sampled, settings.mcSamples(), rng, projections)
          : new JointPosterior(models, sampled, settings.mcSamples(), rng, projections);
      SampleImprovement utility = utility(posterior, known, observed, ref, rng);
      MonteCarloAcquisition acquisition = new MonteCarloAcquisition(posterior, utility);
      AcquisitionOptimizer.Optimum best = pool.isEmpty()
          ? optimizer.overSpace(space, acquisition::value, seeds, taken, rng)
          : optimizer.overSet(space, pool, used, acquisition::value, tieBreak);
      if (best == null) {
        break;
      }
      Candidate chosen = best.index() >= 0 ? candidates.get(best.index())
          : new Candidate(String.format("x%08x", rng.nextInt()), best.x());
      if (best.index() >= 0) {
        used[best.index()] = true;
      }
      double[] u = space.toUnitCube(chosen.x());
      taken.add(u);
      baseline.add(u);
      double[] mean = new double[models.length];
      double[] sd = new double[models.length];
      for (int k = 0; k < models.length; k++) {
        double[] p = models[k].predict(u);
        // Reported in the objective's units: through a warp, the median and half the ±1 σ interval.
        double s1 = Math.sqrt(p[1]);
        mean[k] = warps[k].invert(p[0]);
        sd[k] = 0.5 * (warps[k].invert(p[0] + s1) - warps[k].invert(p[0] - s1));
      }
      out.add(new Selection(chosen, best.value(), best.tieBroken() ? utility.method() + " tie, UCB β = "
          + TIE_BREAK_BETA : utility.method(), mean, sd, noiseSd));
    }
    return new Decision(out, new OptimisticImprovement(models, space, objectives, ref, GUIDE_BETA));
  }

  /**
   * Rows a large pool keeps for the exact acquisition once the data are large: the projections
   * the Monte-Carlo acquisition needs cost O(N²) per row (at N = 1000 and 9 000 open rows, most of a
   * decision), the screen O(N·d).
   */
  public static final int SCREEN_KEEP = 1000;

  /** Scalarisations of the optimistic bounds the screen ranks by, beyond one per objective. */
  private static final int SCREEN_WEIGHTS = 8;

  /**
   * The {@code keep} rows with the best optimistic bounds μ + β·σ̄ (σ̄ an upper bound of
   * the posterior sd, {@link GaussianProcess#meanAndSdBound}): ranked by each objective alone and
   * by random Chebyshev scalarisations of all, taken from the rankings in turn, so that the rows
   * kept cover the whole front rather than one end of it. A row the exact acquisition would pick
   * has a high bound on some objective; what the screen costs is measured by the pool benches.
   */
  private List<Candidate> screen(GaussianProcess[] models, List<Candidate> candidates, int keep,
      RandomGenerator rng) {
    int m = models.length;
    int n = candidates.size();
    double[][] bound = new double[n][m];
    double[] lo = new double[m];
    double[] hi = new double[m];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      double[] u = space.toUnitCube(candidates.get(i).x());
      for (int k = 0; k < m; k++) {
        double[] p = models[k].meanAndSdBound(u);
        bound[i][k] = p[0] + TIE_BREAK_BETA * p[1];
        lo[k] = Math.min(lo[k], bound[i][k]);
        hi[k] = Math.max(hi[k], bound[i][k]);
      }
    }
    List<double[]> weights = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      double[] axis = new double[m];
      axis[k] = 1;
      weights.add(axis);
    }
    for (int w = 0; m > 1 && w < SCREEN_WEIGHTS; w++) {
      double[] v = new double[m];
      double sum = 0;
      for (int k = 0; k < m; k++) {
        v[k] = -Math.log(1 - rng.nextDouble()); // uniform on the simplex
        sum += v[k];
      }
      for (int k = 0; k < m; k++) {
        v[k] /= sum;
      }
      weights.add(v);
    }
    List<int[]> rankings = new ArrayList<>();
    for (double[] w : weights) {
      double[] score = new double[n];
      for (int i = 0; i < n; i++) {
        double worstShortfall = 0; // Chebyshev: the largest weighted distance below the best bound
        double total = 0;
        for (int k = 0; k < m; k++) {
          double scaled = hi[k] > lo[k] ? (bound[i][k] - lo[k]) / (hi[k] - lo[k]) : 0;
          worstShortfall = Math.max(worstShortfall, w[k] * (1 - scaled));
          total += w[k] * scaled;
        }
        score[i] = -worstShortfall + 0.05 * total;
      }
      rankings.add(java.util.stream.IntStream.range(0, n).boxed()
          .sorted((a, b) -> Double.compare(score[b], score[a])).mapToInt(Integer::intValue).toArray());
    }
    boolean[] kept = new boolean[n];
    List<Candidate> out = new ArrayList<>(keep);
    for (int depth = 0; out.size() < keep && depth < n; depth++) {
      for (int[] ranking : rankings) {
        int i = ranking[depth];
        if (!kept[i] && out.size() < keep) {
          kept[i] = true;
          out.add(candidates.get(i));
        }
      }
    }
    return out;
  }

  /** Per objective, the transform its values get before the fit (identity unless warping). */
  private YeoJohnson[] warps(List<Observation> observed) {
    int m = lastFit.length();
    YeoJohnson[] t = new YeoJohnson[m];
    for (int k = 0; k < m; k++) {
      int objective = k;
      t[k] = settings.outputWarp() == OutputWarp.YEO_JOHNSON && Double.isNaN(settings.knownNoiseSd(k))
          ? YeoJohnson.fit(observed.stream().mapToDouble(o -> o.objectives()[objective]).toArray())
          : YeoJohnson.identity();
    }
    return t;
  }

  private static List<Observation> warped(List<Observation> observed, YeoJohnson[] warps) {
    if (java.util.Arrays.stream(warps).allMatch(YeoJohnson::isIdentity)) {
      return observed;
    }
    return observed.stream().map(o -> new Observation(o.x(), warped(o.objectives(), warps))).toList();
  }

  private static double[] warped(double[] objectives, YeoJohnson[] warps) {
    double[] v = new double[objectives.length];
    for (int k = 0; k < v.length; k++) {
      v[k] = warps[k].apply(objectives[k]);
    }
    return v;
  }

  /** One GP per objective on {@code xs} (the observations' unit-cube inputs), warm-started. */
  private GaussianProcess[] fit(double[][] xs, List<Observation> observed, RandomGenerator rng) {
    int objectives = lastFit.length();
    long[] seeds = IntStream.range(0, objectives).mapToLong(k -> rng.nextLong()).toArray();
    // Small data sets fit in milliseconds: search thoroughly every time there. With more data,
    // refit from the previous optimum, and check it against the prior's mode now and then.
    boolean small = observed.size() <= SMALL_DATA;
    boolean periodic = fits.getAndIncrement() % PERIODIC_EVERY == 0;
    boolean large = observed.size() > LARGE_DATA;
    return IntStream.range(0, objectives).parallel().mapToObj(k -> {
      double[] y = observed.stream().mapToDouble(o -> o.objectives()[k]).toArray();
      GaussianProcess.WarmStart warm = lastFit.get(k);
      if (large && !periodic && warm != null && warm.hyperparameters().dimension() == xs[0].length) {
        // Condition only; the warm start (and its curvature memory) stays for the next refit.
        return GaussianProcess.condition(xs, y, warm.hyperparameters());
      }
      GaussianProcess gp = GaussianProcess.fit(xs, y, warm,
          warm == null || small ? GaussianProcess.FitSettings.THOROUGH
              : periodic ? GaussianProcess.FitSettings.PERIODIC
              : GaussianProcess.FitSettings.WARM,
          new java.util.SplittableRandom(seeds[k]), settings.knownNoiseSd(k));
      lastFit.set(k, gp.warmStart());
      return gp;
    }).toArray(GaussianProcess[]::new);
  }

  /** @param known objective vectors known exactly, in every sample's baseline */
  private SampleImprovement utility(JointPosterior posterior, List<double[]> known,
      List<Observation> observed, double[] ref, RandomGenerator rng) {
    if (settings.method() == Method.QPAREGO) {
      int m = ref.length;
      double[] lo = new double[m];
      double[] hi = new double[m];
      java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
      for (Observation o : observed) {
        for (int k = 0; k < m; k++) {
          lo[k] = Math.min(lo[k], o.objectives()[k]);
          hi[k] = Math.max(hi[k], o.objectives()[k]);
        }
      }
      return new ChebyshevImprovement(posterior, known, lo, hi, rng);
    }
    return new HypervolumeImprovement(posterior, known, ref);
  }

  /**
   * Greedy maximin: each pick is the candidate farthest from everything taken so far.
   *
   * @param taken measured and running points in the unit cube
   */
  private List<Selection> spaceFilling(List<Candidate> candidates, List<double[]> taken, int q,
      RandomGenerator rng) {
    List<Candidate> pool = candidates;
    if (pool.isEmpty()) {
      List<Candidate> drawn = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        double[] x = space.sample(rng);
        if (x != null) {
          drawn.add(new Candidate(String.format("x%08x", rng.nextInt()), x));
        }
      }
      pool = drawn;
    }
    List<double[]> takenUnit = new ArrayList<>(taken);
    List<double[]> units = pool.stream().map(c -> space.toUnitCube(c.x())).toList();
    boolean[] used = new boolean[pool.size()];
    List<Selection> out = new ArrayList<>();
    for (int b = 0; b < q && b < pool.size(); b++) {
      int best = -1;
      double bestDist = -1;
      for (int i = 0; i < units.size(); i++) {
        // Nothing taken yet: every point is the cube's diagonal away from "nothing".
        double d = used[i] ? -1 : Math.min(AcquisitionOptimizer.minDistance(units.get(i),
            takenUnit), Math.sqrt(units.get(i).length));
        if (d > bestDist) {
          bestDist = d;
          best = i;
        }
      }
      if (best < 0 || bestDist <= AcquisitionOptimizer.SAME_POINT) {
        break;
      }
      used[best] = true;
      takenUnit.add(units.get(best));
      out.add(new Selection(pool.get(best), bestDist, "space-filling", null, null, null));
    }
    return out;
  }
}
