package org.ionloop.planner;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.ionloop.planner.BatchSelector.Observation;
import org.ionloop.planner.BatchSelector.Selection;
import org.ionloop.planner.space.Candidate;

/**
 * Chooses batches. Surrogates are refitted from all results at every decision, off the actor
 * thread on the compute executor. The planner keeps no results of its own: each request carries
 * the campaign's measured results (which the campaign rebuilds from its log after a restart), so
 * a planner restarted by its supervisor has lost nothing.
 */
public final class Planner extends AbstractBehavior<Planner.Command> {

  public sealed interface Command {}

  /**
   * Choose up to q of the candidates, knowing the measured results so far (objectives oriented
   * for maximisation) and which experiments are still running.
   */
  public record SelectBatch(String requestId, List<Observation> observations, List<Candidate> candidates,
      List<Candidate> pending, int q, ActorRef<BatchSelected> replyTo) implements Command {}

  private record Selected(SelectBatch request, BatchSelector.Decision decision, Throwable failure)
      implements Command {}

  /**
   * Reply to {@link SelectBatch}; {@code failure} is null on success. {@code surrogate} scores
   * designs by the surrogates that made this choice (null before the planner has a model), for
   * guiding the proposer's next samples.
   */
  public record BatchSelected(String requestId, List<Selection> selections, int observations,
      String failure, ToDoubleFunction<double[]> surrogate) {}

  private final BatchSelector selector;
  private final Executor compute;
  private final RandomGenerator rng;

  public static Behavior<Command> create(BatchSelector selector, Executor compute,
      RandomGenerator rng) {
    return Behaviors.setup(ctx -> new Planner(ctx, selector, compute, rng));
  }

  private Planner(ActorContext<Command> ctx, BatchSelector selector, Executor compute,
      RandomGenerator rng) {
    super(ctx);
    this.selector = selector;
    this.compute = compute;
    this.rng = rng;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SelectBatch.class, this::onSelectBatch)
        .onMessage(Selected.class, this::onSelected)
        .build();
  }

  private Behavior<Command> onSelectBatch(SelectBatch r) {
    List<Observation> snapshot = List.copyOf(r.observations());
    RandomGenerator draw = new java.util.SplittableRandom(rng.nextLong());
    CompletableFuture<BatchSelector.Decision> work = CompletableFuture.supplyAsync(
        () -> selector.decide(snapshot, r.candidates(), r.pending(), r.q(), draw), compute);
    getContext().pipeToSelf(work, (ok, err) -> new Selected(r, ok, err));
    return this;
  }

  private Behavior<Command> onSelected(Selected s) {
    if (s.failure() != null) {
      getContext().getLog().error("batch {} failed: {}", s.request().requestId(), s.failure().toString());
      s.request().replyTo().tell(new BatchSelected(s.request().requestId(), List.of(),
          s.request().observations().size(), s.failure().toString(), null));
    } else {
      s.request().replyTo().tell(new BatchSelected(s.request().requestId(), s.decision().selections(),
          s.request().observations().size(), null, s.decision().surrogate()));
    }
    return this;
  }
}
