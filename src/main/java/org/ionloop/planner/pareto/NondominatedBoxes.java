package org.ionloop.planner.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Disjoint boxes covering the part of objective space above the reference point that the front
 * does <i>not</i> dominate (maximisation). The hypervolume improvement of a new point y is then
 * a sum over boxes, with no further dominance tests:
 * <pre>  HVI(y) = Σ_boxes Π_k max(0, min(y_k, u_k) − l_k)  </pre>
 * which is what makes Monte-Carlo EHVI cheap: the boxes of each sampled front are built once
 * per decision and reused for every candidate (Daulton et al., NeurIPS 2020, §4; Yang et al.,
 * 2019, for the decomposition idea). Upper corners may be +∞.
 * <ul>
 *   <li>M = 1: one box [max(front, r), ∞).</li>
 *   <li>M = 2: the n + 1 cells of the staircase.</li>
 *   <li>M = 3: one column per cell of the (x, y) grid spanned by the front's coordinates; its
 *       floor is the highest z among the points dominating the cell's lower corner, O(n²)
 *       boxes. A query visits only the cells whose lower corner lies below it (found by binary
 *       search in the sorted grid), so a candidate near the front costs far fewer than all
 *       (n + 1)² cells.</li>
 * </ul>
 */
public final class NondominatedBoxes {
  private final int m;
  /** M = 1, 2: box b spans [lower[b·m + k], upper[b·m + k]) in objective k. */
  private final double[] lower;
  private final double[] upper;
  private final int count;
  /**
   * M = 3: the grid's x and y coordinates (ascending, distinct) and each cell's floor, x-major;
   * cell (i, j) spans [gridX[i], gridX[i+1]) × [gridY[j], gridY[j+1]) × [floor, ∞).
   */
  private final double[] gridX;
  private final double[] gridY;
  private final double[] floors;

  private NondominatedBoxes(int m, List<double[]> lowers, List<double[]> uppers) {
    this.m = m;
    this.count = lowers.size();
    this.lower = new double[count * m];
    this.upper = new double[count * m];
    for (int b = 0; b < count; b++) {
      System.arraycopy(lowers.get(b), 0, lower, b * m, m);
      System.arraycopy(uppers.get(b), 0, upper, b * m, m);
    }
    this.gridX = null;
    this.gridY = null;
    this.floors = null;
  }

  private NondominatedBoxes(double[] gridX, double[] gridY, double[] floors) {
    this.m = 3;
    this.count = floors.length;
    this.lower = null;
    this.upper = null;
    this.gridX = gridX;
    this.gridY = gridY;
    this.floors = floors;
  }

  /** Decomposition for the given front (dominated points are allowed and ignored). */
  public static NondominatedBoxes of(List<double[]> front, double[] reference) {
    int m = reference.length;
    List<double[]> pts = new ArrayList<>();
    for (int i : Pareto.nonDominated(front)) {
      if (Hypervolume.strictlyBetter(front.get(i), reference)) {
        pts.add(front.get(i));
      }
    }
    List<double[]> lo = new ArrayList<>();
    List<double[]> hi = new ArrayList<>();
    double inf = Double.POSITIVE_INFINITY;
    switch (m) {
      case 1 -> {
        double best = reference[0];
        for (double[] p : pts) {
          best = Math.max(best, p[0]);
        }
        lo.add(new double[] {best});
        hi.add(new double[] {inf});
      }
      case 2 -> {
        pts.sort(Comparator.comparingDouble((double[] p) -> -p[0]));
        double floorY = reference[1];
        // Walk from the largest x: the cell left of each point's x and right of the next.
        double prevX = inf;
        for (double[] p : pts) {
          lo.add(new double[] {p[0], floorY});
          hi.add(new double[] {prevX, inf});
          floorY = p[1];
          prevX = p[0];
        }
        lo.add(new double[] {reference[0], floorY});
        hi.add(new double[] {prevX, inf});
      }
      case 3 -> {
        return threeD(pts, reference);
      }
      default -> throw new IllegalArgumentException(
          "box decomposition supports 1 to 3 objectives, got " + m);
    }
    return new NondominatedBoxes(m, lo, hi);
  }

  private static NondominatedBoxes threeD(List<double[]> pts, double[] r) {
    double[] xs = grid(pts, 0, r[0]);
    double[] ys = grid(pts, 1, r[1]);
    double[] floors = new double[xs.length * ys.length];
    for (int i = 0; i < xs.length; i++) {
      for (int j = 0; j < ys.length; j++) {
        double floor = r[2];
        for (double[] p : pts) {
          if (p[0] > xs[i] && p[1] > ys[j]) {
            floor = Math.max(floor, p[2]);
          }
        }
        floors[i * ys.length + j] = floor;
      }
    }
    return new NondominatedBoxes(xs, ys, floors);
  }

  /** Sorted distinct coordinates of the points in objective k, starting at the reference. */
  private static double[] grid(List<double[]> pts, int k, double reference) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(reference),
        pts.stream().map(p -> p[k])).mapToDouble(Double::doubleValue).distinct().sorted()
        .toArray();
  }

  /** Hypervolume improvement of y over the front this decomposition was built from. */
  public double improvement(double[] y) {
    if (floors != null) {
      return improvementOnGrid(y);
    }
    double total = 0;
    for (int b = 0; b < count; b++) {
      double vol = 1;
      int base = b * m;
      for (int k = 0; k < m; k++) {
        double side = Math.min(y[k], upper[base + k]) - lower[base + k];
        if (side <= 0) {
          vol = 0;
          break;
        }
        vol *= side;
      }
      total += vol;
    }
    return total;
  }

  /** M = 3: only cells whose lower corner lies below y in x and y can hold any of y's gain. */
  private double improvementOnGrid(double[] y) {
    int nx = cellsBelow(gridX, y[0]);
    int ny = cellsBelow(gridY, y[1]);
    double total = 0;
    for (int i = 0; i < nx; i++) {
      double x1 = i + 1 < gridX.length ? Math.min(y[0], gridX[i + 1]) : y[0];
      double width = x1 - gridX[i];
      int row = i * gridY.length;
      double area = 0;
      for (int j = 0; j < ny; j++) {
        double height = y[2] - floors[row + j];
        if (height > 0) {
          double y1 = j + 1 < gridY.length ? Math.min(y[1], gridY[j + 1]) : y[1];
          area += (y1 - gridY[j]) * height;
        }
      }
      total += width * area;
    }
    return total;
  }

  /** How many of the ascending, distinct {@code grid} values are strictly below v. */
  private static int cellsBelow(double[] grid, double v) {
    int i = Arrays.binarySearch(grid, v);
    return i < 0 ? -i - 1 : i;
  }

  @Override
  public String toString() {
    return floors != null
        ? "NondominatedBoxes[" + count + " cells, x=" + Arrays.toString(gridX) + ", y="
            + Arrays.toString(gridY) + ", floors=" + Arrays.toString(floors) + "]"
        : "NondominatedBoxes[" + count + " boxes, lower=" + Arrays.toString(lower) + "]";
  }
}
