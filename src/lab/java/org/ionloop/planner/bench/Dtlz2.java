package org.ionloop.planner.bench;

import java.util.ArrayList;
import java.util.List;
import org.ionloop.planner.space.DesignSpace;

/**
 * DTLZ2 (Deb, Thiele, Laumanns &amp; Zitzler, 2002) with d inputs on [0, 1]^d and M objectives,
 * minimised (negated here), reference point (1.1, …, 1.1). The Pareto front is the unit sphere's
 * positive orthant, so the maximum hypervolume is 1.1^M minus the orthant's volume:
 * 1.1² − π/4 for M = 2 and 1.1³ − π/6 for M = 3.
 */
public final class Dtlz2 implements TestProblem {
  private final int d;
  private final int m;

  public Dtlz2(int d, int m) {
    if (m < 2 || m > 3 || d < m) {
      throw new IllegalArgumentException("DTLZ2 here needs M in {2, 3} and d ≥ M");
    }
    this.d = d;
    this.m = m;
  }

  @Override
  public String name() {
    return "DTLZ2-d" + d + "-M" + m;
  }

  @Override
  public DesignSpace space() {
    List<DesignSpace.Range> r = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      r.add(new DesignSpace.Range("x" + i, "", 0, 1));
    }
    return new DesignSpace(List.of(), r);
  }

  @Override
  public double[] evaluate(double[] x) {
    double g = 0;
    for (int i = m - 1; i < d; i++) {
      g += (x[i] - 0.5) * (x[i] - 0.5);
    }
    double[] f = new double[m];
    for (int k = 0; k < m; k++) {
      double v = 1 + g;
      for (int j = 0; j < m - 1 - k; j++) {
        v *= Math.cos(x[j] * Math.PI / 2);
      }
      if (k > 0) {
        v *= Math.sin(x[m - 1 - k] * Math.PI / 2);
      }
      f[k] = -v;
    }
    return f;
  }

  @Override
  public double[] noiseSd() {
    return new double[m];
  }

  @Override
  public double[] reference() {
    double[] r = new double[m];
    java.util.Arrays.fill(r, -1.1);
    return r;
  }

  @Override
  public double maxHypervolume() {
    return m == 2 ? 1.1 * 1.1 - Math.PI / 4 : 1.1 * 1.1 * 1.1 - Math.PI / 6;
  }

  @Override
  public int initialPoints() {
    return 2 * (d + 1);
  }
}
