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
import java.util.function.ToDoubleFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * Samples candidate compositions from the diffusion model, conditioned on targets. Sampling runs
 * on the compute executor and is piped back. A retrained model is swapped in with {@link Swap}
 * while requests are in flight: each request finishes on the model it started with (and says
 * which), new ones go to the new model, and the old one is closed once its last request is done.
 */
public final class Proposer extends AbstractBehavior<Proposer.Command> {

  public sealed interface Command {}

  /**
   * Ask for {@code count} candidates conditioned on {@code conditions} (in the model card's
   * order: log10 σ S/cm, temperature °C, energy above hull meV/atom).
   */
  public record Propose(String requestId, double[] conditions, int count,
      ActorRef<Proposed> replyTo, List<double[]> made, ToDoubleFunction<double[]> surrogate,
      double surrogateWeight) implements Command {
    /** A request with nothing made yet. */
    public Propose(String requestId, double[] conditions, int count, ActorRef<Proposed> replyTo) {
      this(requestId, conditions, count, replyTo, List.of(), null, 0);
    }

    /** A request without surrogate guidance. */
    public Propose(String requestId, double[] conditions, int count, ActorRef<Proposed> replyTo,
        List<double[]> made) {
      this(requestId, conditions, count, replyTo, made, null, 0);
    }
  }

  /** Proposals closer than this (unit cube, Euclidean) to one already made or kept are duplicates. */
  static final double SAME_DESIGN = 1e-3;

  /** Serve new requests from {@code next}; the current model retires when idle. */
  public record Swap(DiffusionProposer next, ActorRef<Swapped> replyTo) implements Command {}

  /** Reply to {@link Swap}: the versions before and after. */
  public record Swapped(String from, String to) {}

  private record Sampled(Propose request, DiffusionProposer engine, List<Candidate> candidates,
      int projected, int duplicates, int unreachable, int screened, Throwable failure) implements Command {}

  /**
   * Reply to {@link Propose}.
   *
   * @param projected  how many raw samples lay outside the campaign's bounds and were projected
   * @param duplicates samples dropped as the same design as one already made or kept
   * @param unreachable element-space samples dropped because the campaign's precursors make
   *                   nothing within {@link DiffusionProposer#MAX_RESIDUAL} of them
   * @param failure    null on success, else why nothing was proposed
   * @param surrogateWeight weight of the planner's surrogate guidance used (0: none)
   */
  public record Proposed(String requestId, List<Candidate> candidates, String modelVersion,
      int projected, int duplicates, int unreachable, String failure, double surrogateWeight,
      int screenedByPrior) {
    /** Without screening by a prior. */
    public Proposed(String requestId, List<Candidate> candidates, String modelVersion, int projected,
        int duplicates, int unreachable, String failure, double surrogateWeight) {
      this(requestId, candidates, modelVersion, projected, duplicates, unreachable, failure, surrogateWeight, 0);
    }
  }

  /**
   * Before the planner has surrogates (the lab has no data yet), the share of a proposal the
   * forward model's prior keeps: the candidates it ranks highest by μ + σ of log10 σ at the
   * conditioning temperature. The planner then spreads its first experiments over those.
   */
  static final double PRIOR_KEEPS = 0.5;

  private DiffusionProposer engine;
  /** Requests in flight per model; retired models are closed when theirs reach zero. */
  private final java.util.Map<DiffusionProposer, Integer> inFlight = new java.util.IdentityHashMap<>();
  private final java.util.Set<DiffusionProposer> retired =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
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
        .onMessage(Swap.class, this::onSwap)
        .onSignal(PostStop.class, s -> {
          engine.close();
          retired.forEach(DiffusionProposer::close);
          return this;
        })
        .build();
  }

  private Behavior<Command> onSwap(Swap s) {
    DiffusionProposer old = engine;
    engine = s.next();
    retire(old);
    getContext().getLog().info("proposer model {} replaced by {}", old.version(), engine.version());
    s.replyTo().tell(new Swapped(old.version(), engine.version()));
    return this;
  }

  private void retire(DiffusionProposer old) {
    if (inFlight.getOrDefault(old, 0) == 0) {
      old.close();
    } else {
      retired.add(old);
    }
  }

  private Behavior<Command> onPropose(Propose p) {
    long seed = rng.nextLong();
    int first = sequence;
    sequence += p.count();
    DiffusionProposer engine = this.engine; // the request finishes on the model it started with
    inFlight.merge(engine, 1, Integer::sum);
    CompletableFuture<Sampled> work = CompletableFuture.supplyAsync(() -> {
      double[][] raw = engine.sample(p.conditions(), p.count(), seed, p.surrogate(), p.surrogateWeight());
      List<Candidate> out = new ArrayList<>(raw.length);
      List<double[]> taken = new ArrayList<>();
      p.made().forEach(m -> taken.add(space.toUnitCube(m)));
      int projected = 0;
      int duplicates = 0;
      int unreachable = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == null || !java.util.Arrays.stream(raw[i]).allMatch(Double::isFinite)) {
          // An element-space sample the campaign's precursors cannot make, or a network output
          // that is not a number: nothing to make either way.
          unreachable++;
          continue;
        }
        double[] x = space.project(raw[i]);
        if (!space.isFeasible(raw[i])) {
          projected++;
        }
        java.util.Map<String, Double> fractions = new java.util.LinkedHashMap<>();
        for (int k = 0; k < space.precursorCount(); k++) {
          fractions.put(space.names().get(k), x[k]);
        }
        if (!Formula.of(fractions).isNeutral()) {
          throw new IllegalStateException("sample " + space.label(x) + " is not charge-neutral");
        }
        double[] u = space.toUnitCube(x);
        if (nearest(u, taken) < SAME_DESIGN) {
          duplicates++;
          continue;
        }
        taken.add(u);
        out.add(new Candidate(engine.version() + "-s" + (first + i), x));
      }
      List<Candidate> kept = p.surrogate() == null ? screenByPrior(engine, out, p.conditions()) : out;
      return new Sampled(p, engine, kept, projected, duplicates, unreachable, out.size() - kept.size(), null);
    }, compute);
    getContext().pipeToSelf(work, (ok, err) -> err == null ? ok
        : new Sampled(p, engine, List.of(), 0, 0, 0, 0, err));
    return this;
  }

  /**
   * The candidates an element-space model's forward model ranks in the top {@link #PRIOR_KEEPS}
   * by optimistic log10 σ (μ + σ) at the conditioning temperature; all of them when the model has
   * no forward model or the proposal is small.
   */
  static List<Candidate> screenByPrior(DiffusionProposer engine, List<Candidate> candidates, double[] conditions) {
    var prior = engine.prior();
    if (prior.isEmpty() || candidates.size() < 8 || conditions.length < 2) {
      return candidates;
    }
    double temperature = conditions[1];
    List<String> elements = engine.card().elements();
    double[] score = new double[candidates.size()];
    for (int i = 0; i < score.length; i++) {
      double[] f = engine.elementFractions(candidates.get(i).x());
      java.util.Map<String, Double> composition = new java.util.LinkedHashMap<>();
      for (int k = 0; k < f.length; k++) {
        if (f[k] > 0) {
          composition.put(elements.get(k), f[k]);
        }
      }
      double[] p = prior.get().predict(composition, temperature);
      score[i] = p[0] + p[1];
    }
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    int keep = (int) Math.ceil(PRIOR_KEEPS * candidates.size());
    boolean[] kept = new boolean[candidates.size()];
    for (int i = 0; i < keep; i++) {
      kept[order[i]] = true;
    }
    List<Candidate> out = new ArrayList<>(keep);
    for (int i = 0; i < candidates.size(); i++) {
      if (kept[i]) {
        out.add(candidates.get(i)); // in the proposal's order: the planner's choice stays reproducible
      }
    }
    return out;
  }

  private static double nearest(double[] u, List<double[]> others) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] o : others) {
      double d2 = 0;
      for (int k = 0; k < u.length; k++) {
        d2 += (u[k] - o[k]) * (u[k] - o[k]);
      }
      best = Math.min(best, d2);
    }
    return Math.sqrt(best);
  }

  private Behavior<Command> onSampled(Sampled s) {
    int left = inFlight.merge(s.engine(), -1, Integer::sum);
    if (left == 0) {
      inFlight.remove(s.engine());
      if (retired.remove(s.engine())) {
        s.engine().close();
      }
    }
    String failure = s.failure() == null ? null : s.failure().getMessage();
    if (failure != null) {
      getContext().getLog().error("proposal {} failed: {}", s.request().requestId(), failure);
    }
    s.request().replyTo().tell(new Proposed(s.request().requestId(), s.candidates(),
        s.engine().version(), s.projected(), s.duplicates(), s.unreachable(), failure,
        s.request().surrogateWeight(), s.screened()));
    return this;
  }
}
