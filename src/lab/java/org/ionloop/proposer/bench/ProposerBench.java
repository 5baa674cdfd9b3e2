package org.ionloop.proposer.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ionloop.planner.acquisition.OptimisticImprovement;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.pareto.Hypervolume;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.DiffusionProposer;
import org.ionloop.proposer.Formula;
import org.ionloop.sim.MaterialModel;
import org.ionloop.sim.TrainingDataGenerator;

/**
 * Quality of the diffusion proposer against the virtual lab's ground truth: for each target
 * log10 σ25, samples drawn with the target and classifier-free guidance versus samples drawn
 * unconditionally (guidance −1: only the unconditional pass), and
 * <ul>
 *   <li>validity: inside the campaign's design space before any projection, and charge-neutral;</li>
 *   <li>uniqueness: distinct designs (to 1e-3 in mole fraction and °C/350);</li>
 *   <li>novelty: farther than 0.02 from every row the model was trained on;</li>
 *   <li>hit rate: the true σ25 of the design within ±0.3 decades of the target.</li>
 * </ul>
 */
public final class ProposerBench {
  static final double HIT_WINDOW = 0.3;
  static final double NOVELTY_DISTANCE = 0.02;

  /**
   * Metrics of one set of samples.
   *
   * @param hitRate        share of all samples on target, outside ones projected into the space
   * @param hitRateInSpace share on target among the samples the model placed inside the
   *                       campaign's space: the model's own conditional within the space, without
   *                       the designs projection makes up at the bounds (which for a low target
   *                       land on target by accident — most unconditional samples lie outside)
   */
  public record Quality(double validity, double uniqueness, double novelty, double hitRate,
      double hitRateInSpace, double medianTrueLog10Sigma25) {}

  private final DesignSpace space;
  private final List<double[]> training;
  /** Training rows measured at 25 °C: {log10 σ25, e_hull}. */
  private final List<double[]> labels25 = new ArrayList<>();
  private final MaterialModel truth = new MaterialModel();

  /** @param trainingRows rows of the base set the committed model was trained on (seed 7) */
  public ProposerBench(DesignSpace space, int trainingRows) throws Exception {
    this.space = space;
    Path tmp = Files.createTempFile("ionloop-base", ".csv");
    try {
      new TrainingDataGenerator().write(tmp, trainingRows, new SplittableRandom(7));
      List<String> lines = Files.readAllLines(tmp);
      training = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        String[] f = l.split(",");
        training.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]),
            Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])});
        double[] design = training.get(training.size() - 1);
        // Only materials this campaign could make say what stability goes with a conductivity
        // here: the base set spans a wider composition range than any one campaign.
        if (Double.parseDouble(f[5]) == 25 && space.isFeasible(design)) {
          labels25.add(new double[] {Double.parseDouble(f[6]), Double.parseDouble(f[8])});
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The energy above hull typical of materials with σ25 near {@code target} (median over the
   * training rows inside the campaign's design space within the hit window): the model is
   * conditioned on both, so asking for a conductivity with an unrelated stability — or with the
   * stability of compositions the campaign cannot make — would ask for something else.
   */
  public double typicalHull(double target) {
    double[] hulls = hullsNear(target);
    java.util.Arrays.sort(hulls);
    return hulls.length == 0 ? Double.NaN : hulls[hulls.length / 2];
  }

  /**
   * Energies above hull of the training materials inside the campaign's design space whose σ25
   * lies within the hit window of {@code target}: the stabilities that go with that conductivity.
   */
  public double[] hullsNear(double target) {
    return labels25.stream().filter(l -> Math.abs(l[0] - target) <= HIT_WINDOW).mapToDouble(l -> l[1]).toArray();
  }

  /**
   * The quality of {@code n} samples asking only for σ25 = {@code target}: each sample is
   * conditioned on a stability drawn from {@link #hullsNear} (sampling p(x | σ) by marginalising
   * the model's p(x | σ, E_hull) over the stabilities such materials have), so no single, possibly
   * untypical stability value is imposed.
   */
  public Quality qualityAtConductivity(DiffusionProposer model, double target, int n, long seed) {
    double[] hulls = hullsNear(target);
    if (hulls.length == 0) {
      throw new IllegalArgumentException("no training material near log10 σ25 " + target);
    }
    SplittableRandom draw = new SplittableRandom(seed);
    double[][] conditions = new double[n][];
    for (int i = 0; i < n; i++) {
      conditions[i] = new double[] {target, 25, hulls[draw.nextInt(hulls.length)]};
    }
    return qualityOf(model.sample(conditions, seed), target);
  }

  /** The quality of {@code n} samples at {@code target} (log10 S/cm at 25 °C). */
  public Quality quality(DiffusionProposer model, double target, double eHull, double guidance,
      int n, int steps, long seed) {
    return qualityOf(model.sample(new double[] {target, 25, eHull}, n, seed), target);
  }

  private Quality qualityOf(double[][] raw, double target) {
    int n = raw.length;
    int valid = 0;
    int novel = 0;
    int hits = 0;
    int inSpace = 0;
    int hitsInSpace = 0;
    Set<String> distinct = new HashSet<>();
    double[] truths = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      double[] x = raw[i];
      boolean inside = space.isFeasible(x);
      if (inside && Formula.of(fractionsOf(x)).isNeutral()) {
        valid++;
      }
      distinct.add(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f,%.3f", x[0], x[1], x[2], x[3], x[4] / 350));
      if (nearestTrainingDistance(x) > NOVELTY_DISTANCE) {
        novel++;
      }
      truths[i] = trueObjectives(space.project(x))[0];
      boolean hit = Math.abs(truths[i] - target) <= HIT_WINDOW;
      hits += hit ? 1 : 0;
      if (inside) {
        inSpace++;
        hitsInSpace += hit ? 1 : 0;
      }
    }
    java.util.Arrays.sort(truths);
    return new Quality((double) valid / n, (double) distinct.size() / n, (double) novel / n,
        (double) hits / n, inSpace == 0 ? 0 : (double) hitsInSpace / inSpace, truths[n / 2]);
  }

  /**
   * What surrogate guidance buys at one weight: the planner's score of the samples, and what the
   * virtual lab's truth says they would add to the measured front's hypervolume.
   *
   * @param meanScore        mean optimistic improvement (the score being climbed)
   * @param improvingShare   share of samples whose true objectives would enlarge the front
   * @param meanTrueGain     mean true hypervolume gain over all samples
   * @param topTrueGain      mean true gain of the 4 samples with the highest score (what a
   *                         planner would pick from them)
   * @param hitRate          conditioning kept: true σ25 within the hit window of the target
   * @param validity         feasible and charge-neutral before projection
   */
  public record SurrogateEffect(double weight, double meanScore, double improvingShare,
      double meanTrueGain, double topTrueGain, double hitRate, double validity) {}

  /**
   * Surrogate guidance on a campaign's situation: {@code measured} designs proposed at
   * {@code conditions} and measured on the truth, GPs fitted on them (as the planner does), then
   * {@code n} samples per weight guided by the GPs' optimistic hypervolume improvement.
   */
  public List<SurrogateEffect> surrogateGuidance(DiffusionProposer model, double[] conditions,
      int measured, double[] weights, int n, long seed) {
    List<double[]> objectives = new ArrayList<>();
    List<double[]> unit = new ArrayList<>();
    for (double[] raw : model.sample(conditions, measured, seed)) {
      double[] x = space.project(raw);
      objectives.add(trueObjectives(x));
      unit.add(space.toUnitCube(x));
    }
    double[][] xs = unit.toArray(double[][]::new);
    SplittableRandom rng = new SplittableRandom(seed + 1);
    GaussianProcess[] gps = new GaussianProcess[2];
    for (int k = 0; k < 2; k++) {
      int m = k;
      gps[k] = GaussianProcess.fit(xs, objectives.stream().mapToDouble(o -> o[m]).toArray(), null,
          GaussianProcess.FitSettings.THOROUGH, rng);
    }
    double[] reference = {-6, -0.65};
    OptimisticImprovement score = new OptimisticImprovement(gps, space, objectives, reference,
        org.ionloop.planner.BatchSelector.GUIDE_BETA);
    double frontVolume = Hypervolume.of(objectives, reference);
    List<SurrogateEffect> out = new ArrayList<>();
    for (double w : weights) {
      double[][] raw = model.sample(conditions, n, seed + 2, score, w);
      double[] scores = new double[n];
      double[] gains = new double[n];
      int improving = 0;
      int hits = 0;
      int valid = 0;
      double scoreSum = 0;
      double gainSum = 0;
      for (int i = 0; i < n; i++) {
        if (space.isFeasible(raw[i]) && Formula.of(fractionsOf(raw[i])).isNeutral()) {
          valid++;
        }
        double[] x = space.project(raw[i]);
        scores[i] = score.applyAsDouble(x);
        double[] y = trueObjectives(x);
        List<double[]> with = new ArrayList<>(objectives);
        with.add(y);
        gains[i] = Hypervolume.of(with, reference) - frontVolume;
        improving += gains[i] > 1e-12 ? 1 : 0;
        hits += Math.abs(y[0] - conditions[0]) <= HIT_WINDOW ? 1 : 0;
        scoreSum += scores[i];
        gainSum += gains[i];
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
      double top = 0;
      for (int i = 0; i < 4; i++) {
        top += gains[order[i]] / 4;
      }
      out.add(new SurrogateEffect(w, scoreSum / n, (double) improving / n, gainSum / n, top,
          (double) hits / n, (double) valid / n));
    }
    return out;
  }

  private Map<String, Double> fractionsOf(double[] x) {
    Map<String, Double> fractions = new LinkedHashMap<>();
    for (int k = 0; k < space.precursorCount(); k++) {
      fractions.put(space.names().get(k), x[k]);
    }
    return fractions;
  }

  /** {log10 σ25, −Ea} of a feasible design by the virtual lab's truth (maximised). */
  private double[] trueObjectives(double[] x) {
    MaterialModel.Truth t = truth.truth(fractionsOf(x), x[space.precursorCount()]);
    return new double[] {t.log10Sigma25(), -t.eaEv()};
  }

  private double nearestTrainingDistance(double[] x) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] r : training) {
      double d = 0;
      for (int k = 0; k < 4; k++) {
        d += (x[k] - r[k]) * (x[k] - r[k]);
      }
      double a = (x[4] - r[4]) / 350;
      d += a * a;
      if (d < best) {
        best = d;
      }
    }
    return Math.sqrt(best);
  }

  /** Candidates per second of the Java sampler (ONNX Runtime through DJL): median of runs. */
  public static double throughput(DiffusionProposer model, int batch, int repeats, PrintStream out) {
    model.sample(new double[] {-2, 25, 0}, batch, 1); // warm-up: predictors, JIT
    double[] seconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      model.sample(new double[] {-2, 25, 0}, batch, r + 2);
      seconds[r] = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "  ONNX Runtime (DJL): %d candidates in %.3f s%n", batch, seconds[r]);
    }
    java.util.Arrays.sort(seconds);
    return batch / seconds[repeats / 2];
  }
}
