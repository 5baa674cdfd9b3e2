package org.ionloop.instruments;

import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;

/** Test helpers for watching an {@link Instrument} actor's replies. */
public final class InstrumentProbes {
  private InstrumentProbes() {}

  /** The first Completed or Failed within {@code timeout}, skipping progress and acceptance. */
  public static Instrument.Event awaitEnd(TestProbe<Instrument.Event> probe, Duration timeout) {
    return probe.fishForMessage(timeout,
        e -> e instanceof Instrument.Completed || e instanceof Instrument.Failed
            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
  }
}
