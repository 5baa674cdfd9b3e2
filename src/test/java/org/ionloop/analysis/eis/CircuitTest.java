package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitTest {
  @Test
  void parsesTheUsualNotation() {
    Circuit c = Circuit.parse("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3");
    assertEquals(List.of("R0", "R1", "CPE1_Q", "CPE1_n", "R2", "CPE2_Q", "CPE2_n", "CPE3_Q", "CPE3_n"),
        c.parameterNames());
    assertEquals(2, c.arcs().size());
    assertEquals(List.of(0), c.seriesResistors());
  }

  @Test
  void rcArcApexIsAtOmegaEqualsOneOverRc() {
    // R‖C: −Z'' is largest at ω = 1/(RC), where Z = R/2 − jR/2.
    Circuit c = Circuit.parse("p(R1,C1)");
    double[] z = c.impedance(1 / (1000 * 1e-9), new double[] {1000, 1e-9});
    assertEquals(500, z[0], 1e-9);
    assertEquals(-500, z[1], 1e-9);
  }

  @Test
  void elementImpedancesFollowTheirDefinitions() {
    double w = 100;
    assertEquals(-1 / (w * 2e-6), Circuit.parse("C1").impedance(w, new double[] {2e-6})[1], 1e-9);
    assertEquals(w * 1e-3, Circuit.parse("L1").impedance(w, new double[] {1e-3})[1], 1e-12);
    double[] cpe = Circuit.parse("CPE1").impedance(w, new double[] {1e-5, 0.5});
    assertEquals(cpe[0], -cpe[1], 1e-9); // n = 0.5: 45°
    double[] wb = Circuit.parse("W1").impedance(w, new double[] {30});
    assertEquals(3.0, wb[0], 1e-12);
    assertEquals(-3.0, wb[1], 1e-12);
  }

  @Test
  void parseErrorsNameThePosition() {
    var e = assertThrows(CircuitParseException.class, () -> Circuit.parse("R0-p(R1,CPE1"));
    assertEquals(13, e.position());
    assertTrue(e.getMessage().contains("expected ',' or ')'"), e.getMessage());
    assertEquals(4, assertThrows(CircuitParseException.class, () -> Circuit.parse("R0-X1")).position());
    assertEquals(4, assertThrows(CircuitParseException.class, () -> Circuit.parse("R0-R0")).position());
    assertEquals(4, assertThrows(CircuitParseException.class, () -> Circuit.parse("R0-")).position());
  }
}
