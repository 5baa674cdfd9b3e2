package org.ionloop.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ionloop.planner.acquisition.MonteCarloEhvi;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * Chooses a batch of q candidates. Before {@code initialPoints} results it fills the space
 * (greedy maximin distance to everything measured, running or chosen). Afterwards it fits one
 * GP per objective and picks, sequentially and greedily, the candidate of highest Monte-Carlo
 * EHVI, each time adding the chosen and the running experiments to the front at their posterior
 * means ("Kriging believer"; Ginsbourger et al., 2010) so the batch spreads out.
 */
public final class BatchSelector {

  /** A measured point: x in natural units, objectives oriented for maximisation. */
  public record Observation(double[] x, double[] objectives) {}

  /** A chosen candidate, the value that chose it and how it was chosen. */
  public record Selection(Candidate candidate, double acquisitionValue, String method,
      double[] predictedMean, double[] predictedSd) {}

  private final DesignSpace space;
  private final double[] reference;
  private final int initialPoints;
  private final int mcSamples;

  /**
   * @param reference     hypervolume reference point (maximisation orientation)
   * @param initialPoints results before the surrogates are trusted
   */
  public BatchSelector(DesignSpace space, double[] reference, int initialPoints, int mcSamples) {
    this.space = space;
    this.reference = reference.clone();
    this.initialPoints = initialPoints;
    this.mcSamples = mcSamples;
  }

  /** Selects up to q of {@code candidates}; never one already pending or chosen. */
  public List<Selection> select(List<Observation> observed, List<Candidate> candidates,
      List<Candidate> pending, int q, RandomGenerator rng) {
    List<double[]> taken = new ArrayList<>();
    observed.forEach(o -> taken.add(space.toUnitCube(o.x())));
    pending.forEach(c -> taken.add(space.toUnitCube(c.x())));
    List<double[]> pool = candidates.stream().map(c -> space.toUnitCube(c.x())).toList();
    boolean[] used = new boolean[candidates.size()];
    List<Selection> out = new ArrayList<>();
    if (observed.size() < initialPoints) {
      for (int b = 0; b < q && b < candidates.size(); b++) {
        int best = -1;
        double bestDist = -1;
        for (int i = 0; i < pool.size(); i++) {
          double d = used[i] ? -1 : minDistance(pool.get(i), taken);
          if (d > bestDist) {
            bestDist = d;
            best = i;
          }
        }
        if (best < 0 || bestDist <= 1e-9) {
          break;
        }
        used[best] = true;
        taken.add(pool.get(best));
        out.add(new Selection(candidates.get(best), bestDist, "space-filling", null, null));
      }
      return out;
    }
    double[][] xs = observed.stream().map(o -> space.toUnitCube(o.x())).toArray(double[][]::new);
    GaussianProcess[] gps = new GaussianProcess[2];
    for (int k = 0; k < 2; k++) {
      final int kk = k;
      gps[k] = GaussianProcess.fit(xs, observed.stream().mapToDouble(o -> o.objectives()[kk]).toArray());
    }
    List<double[]> front = new ArrayList<>();
    List<double[]> obj = observed.stream().map(Observation::objectives).toList();
    Pareto.nonDominated(obj).forEach(i -> front.add(obj.get(i)));
    for (Candidate c : pending) {
      front.add(mean(gps, space.toUnitCube(c.x())));
    }
    double[][] mu = new double[pool.size()][];
    double[][] var = new double[pool.size()][];
    for (int i = 0; i < pool.size(); i++) {
      double[] a = gps[0].predict(pool.get(i));
      double[] b = gps[1].predict(pool.get(i));
      mu[i] = new double[] {a[0], b[0]};
      var[i] = new double[] {a[1], b[1]};
    }
    MonteCarloEhvi ehvi = new MonteCarloEhvi(mcSamples, rng);
    for (int b = 0; b < q; b++) {
      int best = -1;
      double bestValue = -1;
      for (int i = 0; i < pool.size(); i++) {
        if (used[i] || minDistance(pool.get(i), taken) <= 1e-9) {
          continue;
        }
        double v = ehvi.value(mu[i], var[i], front, reference);
        if (v > bestValue) {
          bestValue = v;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      used[best] = true;
      taken.add(pool.get(best));
      front.add(mu[best]);
      out.add(new Selection(candidates.get(best), bestValue, "qEHVI-KB", mu[best],
          new double[] {Math.sqrt(var[best][0]), Math.sqrt(var[best][1])}));
    }
    return out;
  }

  private static double[] mean(GaussianProcess[] gps, double[] u) {
    return new double[] {gps[0].predict(u)[0], gps[1].predict(u)[0]};
  }

  private static double minDistance(double[] u, List<double[]> others) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] o : others) {
      double d = 0;
      for (int k = 0; k < u.length; k++) {
        d += (u[k] - o[k]) * (u[k] - o[k]);
      }
      best = Math.min(best, Math.sqrt(d));
    }
    return best == Double.POSITIVE_INFINITY ? Math.sqrt(u.length) : best;
  }
}
