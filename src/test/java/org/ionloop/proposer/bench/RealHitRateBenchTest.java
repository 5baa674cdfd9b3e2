package org.ionloop.proposer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ionloop.proposer.forward.MeasuredConductivities;
import org.junit.jupiter.api.Test;

/**
 * The shipped real-data proposer, sampled in Java, on OBELiX's held-out materials: asked for
 * 1 mS/cm at 25 °C it lands next to real held-out conductors of that class several times as often
 * as its own unconditional samples, and some of those samples are new compositions.
 */
class RealHitRateBenchTest {
  @Test
  void conditioningOnOneMilliSiemensTriplesTheHitRateAndFindsNewCompositions() throws Exception {
    // bench proposer --real --n 400: at −3, conditional 0.105, unconditional 0.033, novel 0.055.
    var rows = MeasuredConductivities.read(Path.of("models/training/sse-real.csv"));
    var r = RealHitRateBench.run(Path.of("models/proposer-sse"), rows, new double[] {-3}, 400, 2, 40, null, 1).get(0);
    assertTrue(r.conditionalHit() >= 2 * r.unconditionalHit() && r.conditionalHit() >= 0.06, r.toString());
    assertTrue(r.conditionalNovelHit() > 0.02, "new compositions next to real conductors: " + r);
    assertEquals(Double.NaN, r.oracleHit(), "no forward model asked for");
  }

  @Test
  void totalVariationDistanceIsHalfTheL1OverBothCompositionsElements() {
    assertEquals(0.0, RealHitRateBench.tv(Map.of("Li", 0.5, "S", 0.5), Map.of("Li", 0.5, "S", 0.5)), 1e-12);
    assertEquals(1.0, RealHitRateBench.tv(Map.of("Li", 1.0), Map.of("Na", 1.0)), 1e-12);
    assertEquals(0.1, RealHitRateBench.tv(Map.of("Li", 0.6, "S", 0.4), Map.of("Li", 0.5, "S", 0.4, "Cl", 0.1)), 1e-12);
    var test = List.of(new MeasuredConductivities.Row("test", "argyrodite", "Li6PS5Cl", 25, -2.8, false,
        Map.of("Li", 6 / 13.0, "P", 1 / 13.0, "S", 5 / 13.0, "Cl", 1 / 13.0)));
    assertTrue(RealHitRateBench.hit(Map.of("Li", 6 / 13.0, "P", 1 / 13.0, "S", 5 / 13.0, "Cl", 1 / 13.0), test, -3));
    assertTrue(!RealHitRateBench.hit(Map.of("Li", 6 / 13.0, "P", 1 / 13.0, "S", 5 / 13.0, "Cl", 1 / 13.0), test, -4),
        "measured 1.2 decades from the target");
  }
}
