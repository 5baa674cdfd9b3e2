package org.ionloop.proposer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * Samples candidate compositions from the diffusion model, conditioned on targets. Sampling runs
 * on the compute executor and is piped back; requests are served one at a time, in order.
 */
public final class Proposer extends AbstractBehavior<Proposer.Command> {

  public sealed interface Command {}

  /**
   * Ask for {@code count} candidates conditioned on {@code conditions} (in the model card's
   * order: log10 σ S/cm, temperature °C, energy above hull meV/atom).
   */
  public record Propose(String requestId, double[] conditions, int count,
      ActorRef<Proposed> replyTo) implements Command {}

  private record Sampled(Propose request, List<Candidate> candidates, int projected,
      Throwable failure) implements Command {}

  /**
   * Reply to {@link Propose}.
   *
   * @param projected how many raw samples lay outside the campaign's bounds and were projected
   * @param failure   null on success, else why nothing was proposed
   */
  public record Proposed(String requestId, List<Candidate> candidates, String modelVersion,
      int projected, String failure) {}

  private final DiffusionProposer engine;
  private final DesignSpace space;
  private final Executor compute;
  private final RandomGenerator rng;
  private int sequence;

  public static Behavior<Command> create(DiffusionProposer engine, DesignSpace space,
      Executor compute, RandomGenerator rng) {
    return Behaviors.setup(ctx -> new Proposer(ctx, engine, space, compute, rng));
  }

  private Proposer(ActorContext<Command> ctx, DiffusionProposer engine, DesignSpace space,
      Executor compute, RandomGenerator rng) {
    super(ctx);
    this.engine = engine;
    this.space = space;
    this.compute = compute;
    this.rng = rng;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Propose.class, this::onPropose)
        .onMessage(Sampled.class, this::onSampled)
        .onSignal(PostStop.class, s -> {
          engine.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onPropose(Propose p) {
    long seed = rng.nextLong();
    int first = sequence;
    sequence += p.count();
    CompletableFuture<Sampled> work = CompletableFuture.supplyAsync(() -> {
      double[][] raw = engine.sample(p.conditions(), p.count(), seed);
      List<Candidate> out = new ArrayList<>(raw.length);
      int projected = 0;
      for (int i = 0; i < raw.length; i++) {
        double[] x = space.project(raw[i]);
        if (!space.isFeasible(raw[i])) {
          projected++;
        }
        out.add(new Candidate(engine.version() + "-s" + (first + i), x));
      }
      return new Sampled(p, out, projected, null);
    }, compute);
    getContext().pipeToSelf(work, (ok, err) -> err == null ? ok : new Sampled(p, List.of(), 0, err));
    return this;
  }

  private Behavior<Command> onSampled(Sampled s) {
    String failure = s.failure() == null ? null : s.failure().getMessage();
    if (failure != null) {
      getContext().getLog().error("proposal {} failed: {}", s.request().requestId(), failure);
    }
    s.request().replyTo().tell(new Proposed(s.request().requestId(), s.candidates(),
        engine.version(), s.projected(), failure));
    return this;
  }
}
