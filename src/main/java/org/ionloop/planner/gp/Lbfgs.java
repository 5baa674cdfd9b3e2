package org.ionloop.planner.gp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Limited-memory BFGS minimiser with a backtracking line search on the Armijo condition
 * (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Alg. 7.4 and 3.1). A curvature
 * pair is kept only when sᵀy &gt; 0, which keeps the inverse-Hessian approximation positive
 * definite without a full Wolfe search.
 *
 * <p>Written here because no Apache-licensed, maintained L-BFGS exists on Maven Central
 * without native code (Commons Math and Hipparchus offer nonlinear conjugate gradients and
 * derivative-free methods only); the GP needs a quasi-Newton method with analytic gradients.
 */
public final class Lbfgs {

  /** f(x) and its gradient, written into {@code gradient}; may return +∞ where undefined. */
  @FunctionalInterface
  public interface DifferentiableFunction {
    double valueAndGradient(double[] x, double[] gradient);
  }

  /**
   * The minimiser's result: where it stopped, the value there, how many evaluations, and the
   * curvature pairs it ended with (to start a later, similar minimisation from).
   */
  public record Result(double[] x, double value, int evaluations, int iterations,
      boolean converged, List<double[][]> curvature) {}

  private final int memory;
  private final int maxIterations;
  private final double gradientTolerance;
  private final double relativeValueTolerance;

  /**
   * @param memory            curvature pairs kept (5–10 is usual)
   * @param maxIterations     iteration cap
   * @param gradientTolerance stop when ‖∇f‖_∞ falls below this
   */
  public Lbfgs(int memory, int maxIterations, double gradientTolerance) {
    this(memory, maxIterations, gradientTolerance, 1e-10);
  }

  /**
   * @param relativeValueTolerance also stop when an iteration lowers f by less than this
   *                               times max(1, |f|) (SciPy's {@code ftol})
   */
  public Lbfgs(int memory, int maxIterations, double gradientTolerance,
      double relativeValueTolerance) {
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
    this.relativeValueTolerance = relativeValueTolerance;
  }

  public Result minimize(DifferentiableFunction f, double[] start) {
    return minimize(f, start, List.of());
  }

  /**
   * Minimises from {@code start}, with the inverse-Hessian approximation seeded by the curvature
   * pairs (s, y) of an earlier minimisation of a similar function. After one more data point
   * the likelihood's curvature has hardly changed, so the first step is already a good
   * quasi-Newton step instead of a badly scaled steepest-descent one. A stale pair does no harm:
   * a non-descent direction clears the memory, and new pairs push old ones out.
   */
  public Result minimize(DifferentiableFunction f, double[] start, List<double[][]> curvature) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    int evaluations = 1;
    Deque<double[][]> pairs = new ArrayDeque<>();
    for (double[][] pair : curvature) {
      if (pair[0].length == n) {
        pairs.addLast(pair);
        if (pairs.size() > memory) {
          pairs.removeFirst();
        }
      }
    }
    if (!Double.isFinite(fx)) {
      return new Result(x, fx, evaluations, 0, false, List.of());
    }
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    for (int iter = 0; iter < maxIterations; iter++) {
      if (maxAbs(g) < gradientTolerance) {
        return new Result(x, fx, evaluations, iter, true, List.copyOf(pairs));
      }
      double[] direction = twoLoopDirection(g, pairs);
      double slope = dot(direction, g);
      if (slope >= 0) {
        // Not a descent direction (stale curvature): restart from steepest descent.
        pairs.clear();
        direction = negate(g);
        slope = dot(direction, g);
      }
      double step = pairs.isEmpty() ? Math.min(1, 1 / Math.max(1e-12, maxAbs(g))) : 1;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int trial = 0; trial < 30; trial++) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * direction[i];
        }
        fNew = f.valueAndGradient(xNew, gNew);
        evaluations++;
        if (Double.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        return new Result(x, fx, evaluations, iter, false, List.copyOf(pairs));
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      if (dot(s, y) > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
        pairs.addLast(new double[][] {s, y});
        if (pairs.size() > memory) {
          pairs.removeFirst();
        }
      }
      double improvement = fx - fNew;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (improvement < relativeValueTolerance * Math.max(1, Math.abs(fx))) {
        return new Result(x, fx, evaluations, iter + 1, true, List.copyOf(pairs));
      }
    }
    return new Result(x, fx, evaluations, maxIterations, false, List.copyOf(pairs));
  }

  /** H·(−g) by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair. */
  private static double[] twoLoopDirection(double[] g, Deque<double[][]> pairs) {
    double[] q = negate(g);
    int m = pairs.size();
    double[] alpha = new double[m];
    double[][][] list = pairs.toArray(new double[0][][]);
    for (int i = m - 1; i >= 0; i--) {
      double[] s = list[i][0];
      double[] y = list[i][1];
      alpha[i] = dot(s, q) / dot(y, s);
      axpy(-alpha[i], y, q);
    }
    if (m > 0) {
      double[] s = list[m - 1][0];
      double[] y = list[m - 1][1];
      double gamma = dot(s, y) / dot(y, y);
      for (int i = 0; i < q.length; i++) {
        q[i] *= gamma;
      }
    }
    for (int i = 0; i < m; i++) {
      double[] s = list[i][0];
      double[] y = list[i][1];
      double beta = dot(y, q) / dot(y, s);
      axpy(alpha[i] - beta, s, q);
    }
    return q;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double[] negate(double[] g) {
    double[] out = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = -g[i];
    }
    return out;
  }

  private static double maxAbs(double[] g) {
    double m = 0;
    for (double v : g) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
