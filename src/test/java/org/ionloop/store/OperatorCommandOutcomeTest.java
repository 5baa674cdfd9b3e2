package org.ionloop.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An operator reads a command's outcome from the store; a long one must not end without a trace. */
class OperatorCommandOutcomeTest {
  @Test
  void anOutcomeThatFitsIsKeptAsItIs() {
    String ok = "x".repeat(OperatorCommands.OUTCOME_WIDTH);
    assertEquals(ok, OperatorCommands.fitOutcome(ok));
    assertEquals("ok", OperatorCommands.fitOutcome("ok"));
  }

  @Test
  void aLongerOutcomeSaysHowMuchWasLeftOutAndWhereTheWholeIs() {
    String outcome = "refused: " + "station furnace-2 is out of service; ".repeat(200);
    String fitted = OperatorCommands.fitOutcome(outcome);
    assertTrue(fitted.length() <= OperatorCommands.OUTCOME_WIDTH, "fits the column: " + fitted.length());
    assertTrue(fitted.startsWith("refused: station furnace-2"), fitted);
    int kept = fitted.indexOf(" … [");
    assertTrue(fitted.endsWith("[" + (outcome.length() - kept)
        + " more characters; the whole outcome is in the campaign's operator_command event]"), fitted);
    assertEquals(outcome.substring(0, kept), fitted.substring(0, kept));
  }

  @Test
  void shorteningNeverSplitsACharacter() {
    for (int pad = 0; pad < 4; pad++) {
      String outcome = "e".repeat(pad) + "😀".repeat(1500);
      String fitted = OperatorCommands.fitOutcome(outcome);
      int kept = fitted.indexOf(" … [");
      assertTrue(!Character.isHighSurrogate(fitted.charAt(kept - 1)), "pad " + pad);
    }
  }
}
