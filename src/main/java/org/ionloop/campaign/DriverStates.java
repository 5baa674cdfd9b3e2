package org.ionloop.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ionloop.instruments.Instrument;

/** What each running driver says of its instrument, for the live lab view. */
public final class DriverStates {
  private DriverStates() {}

  /**
   * Asks {@code owner} (a lab's root, a node's drivers) for its drivers, then describes them;
   * empty when the owner does not answer within {@code wait} (busy or stopping: the store's view
   * stands alone).
   */
  public static <T> Map<String, Instrument.Description> describeDriversOf(ActorRef<T> owner,
      akka.japi.function.Function<ActorRef<Map<String, ActorRef<Instrument.Command>>>, T> request,
      Scheduler scheduler, Duration wait) {
    try {
      Map<String, ActorRef<Instrument.Command>> drivers = AskPattern.ask(owner, request, wait, scheduler)
          .toCompletableFuture().get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return describe(drivers, scheduler, wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException | TimeoutException e) {
      return Map.of();
    }
  }

  /**
   * Asks every driver at once; one that does not answer within {@code wait} (restarting after a
   * failure) is left out, since its state is unknown.
   */
  public static Map<String, Instrument.Description> describe(Map<String, ActorRef<Instrument.Command>> drivers,
      Scheduler scheduler, Duration wait) {
    Map<String, CompletableFuture<Instrument.Description>> asked = new TreeMap<>();
    drivers.forEach((id, driver) -> asked.put(id, AskPattern.<Instrument.Command, Instrument.Description>ask(driver,
        Instrument.Describe::new, wait, scheduler).toCompletableFuture()));
    Map<String, Instrument.Description> out = new TreeMap<>();
    asked.forEach((id, f) -> {
      try {
        out.put(id, f.get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS));
      } catch (ExecutionException | TimeoutException e) {
        // a driver restarting after a failure: its state is unknown for this view
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return out;
  }
}
