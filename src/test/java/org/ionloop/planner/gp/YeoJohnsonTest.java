package org.ionloop.planner.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class YeoJohnsonTest {

  private static double[] draws(int n, java.util.function.DoubleUnaryOperator shape) {
    SplittableRandom rng = new SplittableRandom(7);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = shape.applyAsDouble(rng.nextDouble(-1, 1) + rng.nextDouble(-1, 1) + rng.nextDouble(-1, 1));
    }
    return v;
  }

  private static double skewness(double[] v) {
    double m = java.util.Arrays.stream(v).average().orElseThrow();
    double m2 = 0;
    double m3 = 0;
    for (double x : v) {
      m2 += (x - m) * (x - m);
      m3 += (x - m) * (x - m) * (x - m);
    }
    m2 /= v.length;
    m3 /= v.length;
    return m3 / Math.pow(m2, 1.5);
  }

  @Test
  void aLongTailOfPoorValuesIsCompressedAndTheGoodEndSpread() {
    // Maximisation orientation of a minimised overpotential: most values near the best, a long
    // tail of poor (very negative) ones, as on the OER plates.
    double[] values = draws(400, z -> -Math.exp(0.8 * z));
    YeoJohnson t = YeoJohnson.fit(values);
    assertTrue(t.lambda() > 1, "λ " + t.lambda());
    assertTrue(skewness(values) < -1, "the sample is skewed: " + skewness(values));
    assertTrue(Math.abs(skewness(t.apply(values))) < 0.3, "skewness after " + skewness(t.apply(values)));
  }

  @Test
  void aLongTailOfGoodValuesGetsTheOppositeShape() {
    YeoJohnson t = YeoJohnson.fit(draws(400, z -> Math.exp(0.8 * z)));
    assertTrue(t.lambda() < 1, "λ " + t.lambda());
  }

  @Test
  void symmetricValuesAreLeftAlmostAsTheyAre() {
    YeoJohnson t = YeoJohnson.fit(draws(400, z -> 5 + 2 * z));
    assertEquals(1, t.lambda(), 0.25);
  }

  @Test
  void itIsMonotoneAndInvertibleEvenOutsideTheFittedValues() {
    YeoJohnson t = YeoJohnson.fit(draws(200, z -> -Math.exp(0.8 * z)));
    double previous = Double.NEGATIVE_INFINITY;
    for (double v = -30; v <= 10; v += 0.25) {
      double w = t.apply(v);
      assertTrue(w > previous, "not increasing at " + v);
      previous = w;
      assertEquals(v, t.invert(w), 1e-9 * Math.max(1, Math.abs(v)));
    }
  }

  @Test
  void fewOrEqualValuesGiveTheIdentity() {
    assertTrue(YeoJohnson.fit(new double[] {1, 2}).isIdentity());
    assertTrue(YeoJohnson.fit(new double[] {3, 3, 3, 3}).isIdentity());
    assertEquals(0.42, YeoJohnson.identity().apply(0.42), 0);
  }
}
