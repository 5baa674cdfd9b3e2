package org.ionloop.proposer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.retrain.MeasuredRow;
import org.ionloop.proposer.retrain.Retrainer;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;

/**
 * Retrains the proposer on the campaign's own results every {@code every} results, off the
 * actor threads, and hot-swaps an accepted model into the {@link Proposer}. Every attempt is an
 * event in the campaign's log (accepted or rejected, with the held-out losses); an accepted
 * model is also a {@code model_version} row. A rejected model changes nothing: the current one
 * stays (rollback is not swapping). One retraining at a time; results arriving meanwhile count
 * towards the next.
 */
public final class ModelTrainer extends AbstractBehavior<ModelTrainer.Command> {

  public sealed interface Command {}

  /**
   * The measurements of one finished experiment; {@code fromLog}: an experiment of a recovered
   * campaign, learnt from but not counted towards the next retraining.
   */
  public record Measured(List<MeasuredRow> rows, boolean fromLog) implements Command {}

  private record Trained(Retrainer.Outcome outcome, Throwable failure) implements Command {}

  private record ModelSwapped(Proposer.Swapped swapped) implements Command {}

  /** Where, how often and how to retrain. */
  public record Settings(int every, Retrainer.Settings retrainer, Path workDir, double guidance,
      int ddimSteps) {}

  private final String campaignId;
  private final Settings settings;
  private final DesignSpace space;
  private final ActorRef<Proposer.Command> proposer;
  private final ActorRef<Store.Command> store;
  private final Executor blocking;
  private final List<MeasuredRow> rows = new ArrayList<>();
  private DiffusionProposer current;
  private int experiments;
  private int sinceLast;
  private int round;
  private boolean training;
  /**
   * The thread of the round in flight, and a latch it opens when done: a campaign that stops
   * interrupts the round (the trainer's process is then destroyed) and waits for it, so nothing
   * writes into the retraining folder once the campaign has ended.
   */
  private final Object roundLock = new Object();
  /** Guarded by roundLock, as is {@link #stopped}: set and cleared by the round's own thread. */
  private Thread roundThread;
  private boolean stopped;
  private java.util.concurrent.CountDownLatch roundDone = new java.util.concurrent.CountDownLatch(0);
  /** How long a stopping campaign waits for its interrupted round to wind up. */
  private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(20);

  public static Behavior<Command> create(String campaignId, Settings settings, DesignSpace space,
      DiffusionProposer current, ActorRef<Proposer.Command> proposer, ActorRef<Store.Command> store,
      Executor blocking) {
    return Behaviors.setup(ctx -> new ModelTrainer(ctx, campaignId, settings, space, current,
        proposer, store, blocking));
  }

  private ModelTrainer(ActorContext<Command> ctx, String campaignId, Settings settings,
      DesignSpace space, DiffusionProposer current, ActorRef<Proposer.Command> proposer,
      ActorRef<Store.Command> store, Executor blocking) {
    super(ctx);
    this.campaignId = campaignId;
    this.settings = settings;
    this.space = space;
    this.current = current;
    this.proposer = proposer;
    this.store = store;
    this.blocking = blocking;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Measured.class, this::onMeasured)
        .onMessage(Trained.class, this::onTrained)
        .onMessage(ModelSwapped.class, s -> this)
        .onSignal(akka.actor.typed.PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onMeasured(Measured m) {
    rows.addAll(m.rows());
    experiments++;
    if (m.fromLog()) {
      return this;
    }
    sinceLast++;
    if (!training && sinceLast >= settings.every()) {
      startRound();
    }
    return this;
  }

  private void startRound() {
    training = true;
    sinceLast = 0;
    round++;
    String version = current.card().version().replaceFirst("-r\\d+$", "") + "-r" + round;
    List<MeasuredRow> snapshot = List.copyOf(rows);
    DiffusionProposer baseline = current;
    event("model_retraining", Map.of("version", version, "experiments", experiments,
        "rows", snapshot.size(), "from", baseline.version()));
    getContext().getLog().info("retraining the proposer on {} results ({} rows) as {}", experiments,
        snapshot.size(), version);
    Path work = settings.workDir().resolve(campaignId);
    // A model of measured electrolytes is fine-tuned on real rows only; a design-space model on
    // its own base set.
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    roundDone = done;
    int thisRound = round;
    CompletableFuture<Retrainer.Outcome> job = CompletableFuture.supplyAsync(() -> {
      synchronized (roundLock) {
        roundThread = Thread.currentThread();
        if (stopped) {
          roundThread.interrupt(); // the campaign stopped before the round began
        }
      }
      try {
        return baseline.card().elementSpace()
            ? new org.ionloop.proposer.retrain.ElementRetrainer(settings.retrainer()).retrain(baseline, space,
                settings.guidance(), settings.ddimSteps(), snapshot, work, version, thisRound, line -> { })
            : new Retrainer(settings.retrainer()).retrain(baseline, space, settings.guidance(),
                settings.ddimSteps(), snapshot, work, version, thisRound, line -> { });
      } finally {
        synchronized (roundLock) {
          roundThread = null;
          Thread.interrupted(); // the pooled thread goes back without this round's interrupt
        }
        done.countDown();
      }
    }, blocking);
    getContext().pipeToSelf(job, Trained::new);
  }

  private Behavior<Command> onStop() throws InterruptedException {
    synchronized (roundLock) {
      stopped = true;
      if (roundThread != null) {
        getContext().getLog().info("campaign {} stopped while retraining: the round is cancelled", campaignId);
        roundThread.interrupt();
      }
    }
    if (!roundDone.await(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      getContext().getLog().warn("the cancelled retraining round of {} did not end within {}", campaignId, STOP_WAIT);
    }
    return this;
  }

  private Behavior<Command> onTrained(Trained t) {
    training = false;
    if (t.failure() != null) {
      event("model_rejected", Map.of("reason", "retraining failed: " + t.failure()));
      return this;
    }
    Retrainer.Outcome o = t.outcome();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("version", o.version());
    payload.put("accepted", o.accepted());
    payload.put("reason", o.reason());
    payload.put("training_rows", o.trainingRows());
    payload.put("held_out_rows", o.heldOutRows());
    if (Double.isFinite(o.currentLoss())) {
      payload.put("held_out_loss_before", o.currentLoss());
      payload.put("held_out_loss_after", o.candidateLoss());
    }
    payload.put("seconds", o.took().toMillis() / 1000.0);
    payload.put("directory", o.directory().toString());
    if (o.accepted()) {
      var card = o.model().card();
      store.tell(new Store.Write(new StoreRecord.ModelVersionSeen(campaignId, o.version(),
          o.directory().resolve("model").resolve(card.file()).toString(), card.sha256(),
          String.valueOf(card.training().get("data_sha256")),
          Map.of("held_out_denoising_mse", o.candidateLoss()), Instant.now())));
      event("model_swapped", payload);
      proposer.tell(new Proposer.Swap(o.model(),
          getContext().messageAdapter(Proposer.Swapped.class, ModelSwapped::new)));
      current = o.model();
    } else {
      event("model_rejected", payload);
      getContext().getLog().warn("retrained model {} rejected: {}", o.version(), o.reason());
    }
    if (sinceLast >= settings.every()) {
      startRound();
    }
    return this;
  }

  private void event(String kind, Map<String, Object> payload) {
    store.tell(new Store.Write(new StoreRecord.Event(campaignId, null, kind, payload, Instant.now())));
  }
}
