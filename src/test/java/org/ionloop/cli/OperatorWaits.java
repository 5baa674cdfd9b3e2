package org.ionloop.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.ionloop.store.OperatorCommands;

/** Waits on recorded state for the lab tests: an operator command's outcome, a condition on the store. */
final class OperatorWaits {
  private OperatorWaits() {}

  /** The outcome the orchestrator recorded for an operator command ("ok" or why it refused). */
  static String answer(OperatorCommands inbox, long command) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < until) {
      var c = inbox.find(command).orElseThrow();
      if (c.handledAt() != null) {
        return c.outcome();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("operator command " + command + " not handled in 30 s");
  }

  static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
