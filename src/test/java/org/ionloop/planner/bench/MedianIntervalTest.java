package org.ionloop.planner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MedianIntervalTest {

  /** Values 1..n in shuffled order, so the interval's ends name the order statistics. */
  static double[] ranks(int n) {
    double[] v = IntStream.rangeClosed(1, n).asDoubleStream().toArray();
    SplittableRandom rng = new SplittableRandom(n);
    for (int i = n - 1; i > 0; i--) {
      int k = rng.nextInt(i + 1);
      double t = v[i];
      v[i] = v[k];
      v[k] = t;
    }
    return v;
  }

  @Test
  void ordersStatisticsFromTheBinomialTables() {
    // n = 10: P(B ≤ 1) = 11/1024 ≤ 0.025 < P(B ≤ 2), so [x(2), x(9)], coverage 1 − 22/1024.
    MedianInterval ten = MedianInterval.of(ranks(10), 0.95);
    assertEquals(2, ten.low());
    assertEquals(9, ten.high());
    assertEquals(1 - 22.0 / 1024, ten.coverage(), 1e-12);
    // n = 40: P(B ≤ 13) = 0.0192 ≤ 0.025 < P(B ≤ 14) = 0.0403, so [x(14), x(27)].
    MedianInterval forty = MedianInterval.of(ranks(40), 0.95);
    assertEquals(14, forty.low());
    assertEquals(27, forty.high());
    assertEquals(0.9615, forty.coverage(), 1e-4);
  }

  @Test
  void tooFewRunsGiveTheirRangeAndSaySo() {
    MedianInterval five = MedianInterval.of(new double[] {3, 1, 2, 5, 4}, 0.95);
    assertEquals(1, five.low());
    assertEquals(5, five.high());
    assertEquals(1 - 2.0 / 32, five.coverage(), 1e-12);
    assertTrue(five.coverage() < 0.95);
    MedianInterval one = MedianInterval.of(new double[] {7}, 0.95);
    assertEquals(7, one.low());
    assertEquals(7, one.high());
  }

  /** On skewed data the interval holds the true median at least as often as it promises. */
  @Test
  void coversTheTrueMedianOfASkewedDistribution() {
    SplittableRandom rng = new SplittableRandom(11);
    double trueMedian = Math.log(2); // of Exp(1)
    int trials = 4000;
    int covered = 0;
    double promised = 0;
    for (int t = 0; t < trials; t++) {
      double[] v = new double[40];
      for (int i = 0; i < v.length; i++) {
        v[i] = -Math.log(1 - rng.nextDouble());
      }
      MedianInterval ci = MedianInterval.of(v, 0.95);
      promised = ci.coverage();
      if (ci.low() <= trueMedian && trueMedian <= ci.high()) {
        covered++;
      }
    }
    double observed = covered / (double) trials;
    // 3 binomial standard errors (0.009) below the exact coverage 0.9615
    assertTrue(observed > promised - 0.009, "covered " + observed + " of promised " + promised);
    assertTrue(observed < promised + 0.009, "covered " + observed + " of promised " + promised);
  }

  @Test
  void refusesNoRunsOrANonsenseLevel() {
    assertThrows(IllegalArgumentException.class, () -> MedianInterval.of(new double[0], 0.95));
    var e = assertThrows(IllegalArgumentException.class,
        () -> MedianInterval.of(new double[] {1, 2}, 95));
    assertTrue(e.getMessage().contains("95"), e.getMessage());
  }
}
