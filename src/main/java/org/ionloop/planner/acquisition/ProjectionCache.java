package org.ionloop.planner.acquisition;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ionloop.planner.gp.GaussianProcess;

/**
 * Each GP's projection of a finite candidate set (the proposer's samples, a pool), computed once
 * per decision. Within a decision the GPs do not change —
 * only the baseline grows as the batch is built — so the q picks of a batch would otherwise
 * project the same points q times; at N = 200 a projection (a triangular solve against the
 * training data) is the largest part of an acquisition evaluation. Other points are projected
 * on demand and not kept.
 */
public final class ProjectionCache {
  /** Cap on the doubles kept (64 MiB): beyond it the points are projected on demand. */
  static final long MAX_DOUBLES = 1L << 23;

  private final GaussianProcess[] models;
  private final Map<Point, GaussianProcess.Projection[]> kept = new ConcurrentHashMap<>();

  /**
   * @param points unit-cube points to project now and keep, unless that would exceed
   *               {@link #MAX_DOUBLES}
   */
  public ProjectionCache(GaussianProcess[] models, List<double[]> points, int trainingPoints) {
    this.models = models.clone();
    if ((long) points.size() * models.length * trainingPoints <= MAX_DOUBLES) {
      points.parallelStream().forEach(u -> kept.put(new Point(u.clone()), projectAll(u)));
    }
  }

  /** Every model's projection of unit-cube point u. Do not modify. */
  public GaussianProcess.Projection[] of(double[] u) {
    GaussianProcess.Projection[] p = kept.get(new Point(u));
    return p != null ? p : projectAll(u);
  }

  int size() {
    return kept.size();
  }

  private GaussianProcess.Projection[] projectAll(double[] u) {
    GaussianProcess.Projection[] p = new GaussianProcess.Projection[models.length];
    for (int j = 0; j < models.length; j++) {
      p[j] = models[j].project(u);
    }
    return p;
  }

  /** A point compared by its coordinates. */
  private record Point(double[] u) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Point other && Arrays.equals(u, other.u);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(u);
    }
  }
}
