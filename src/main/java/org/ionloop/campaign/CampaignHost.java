package org.ionloop.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.InstrumentTransports;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.Planner;
import org.ionloop.protocols.ExperimentRunner;
import org.ionloop.protocols.ProtocolSpec;
import org.ionloop.protocols.ResourceLocks;
import org.ionloop.proposer.DiffusionProposer;
import org.ionloop.proposer.Proposer;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Store;

/**
 * Root of one orchestrator run: spawns the store writer, the instruments the campaign binds, the
 * proposer, the planner, the station locks and the campaign (on a lab that runs several
 * campaigns, the instruments and locks are the lab's: {@link LabHost}), each under the supervision the
 * parent decides (instruments restart with backoff, proposer and planner restart). Forwards the
 * campaign's updates to a listener and stops when the campaign has finished and the store has
 * committed everything. Operator commands ({@link Campaign.Pause}, {@link Campaign.Stop}, …) sent
 * to this root are forwarded to the campaign.
 */
public final class CampaignHost {
  private CampaignHost() {}

  /**
   * What to run and where; {@code instruments} by id; {@code proposer} null when the planner works
   * alone; {@code resumeFrom} null for a new campaign.
   */
  public record Plan(String campaignId, CampaignSpec spec, ProtocolSpec protocol,
      Map<String, InstrumentSpec> instruments, String brokerUrl, CampaignRepository repository,
      DiffusionProposer proposer, java.util.function.Consumer<Campaign.Update> listener,
      CampaignHistory resumeFrom) {}

  private record Relay(Campaign.Update update) {}

  /**
   * Spawns one supervised driver per instrument (restarts with backoff after a failure).
   *
   * @param clientTag distinguishes this orchestrator's MQTT client ids
   */
  public static Map<String, ActorRef<Instrument.Command>> spawnInstruments(
      akka.actor.typed.javadsl.ActorContext<?> ctx, java.util.Collection<InstrumentSpec> specs,
      String brokerUrl, String clientTag) {
    Config config = ctx.getSystem().settings().config();
    Duration minBackoff = config.getDuration("ionloop.instruments.restart-min-backoff");
    Duration maxBackoff = config.getDuration("ionloop.instruments.restart-max-backoff");
    Map<String, ActorRef<Instrument.Command>> byId = new HashMap<>();
    for (InstrumentSpec is : specs) {
      Behavior<Instrument.Command> instrument = Behaviors.setup(c -> Instrument.create(is,
          InstrumentTransports.create(is, brokerUrl, clientTag)));
      byId.put(is.id(), ctx.spawn(Behaviors.supervise(instrument)
          .onFailure(SupervisorStrategy.restartWithBackoff(minBackoff, maxBackoff, 0.2)),
          "instrument-" + is.id()));
    }
    return byId;
  }

  /**
   * What a lab shares between the campaigns it runs at once ({@link LabHost}): one driver per
   * instrument (the ones this campaign binds) and one lock table for the stations.
   */
  public record Shared(Map<String, ActorRef<Instrument.Command>> instruments,
      ActorRef<ResourceLocks.Command> locks) {}

  /** A campaign alone in its actor system: its own instrument drivers and station locks. */
  public static Behavior<Object> create(Plan plan) {
    return create(plan, null);
  }

  /** A campaign on a lab's shared drivers and locks; {@code shared} null: its own. */
  public static Behavior<Object> create(Plan plan, Shared shared) {
    return Behaviors.setup(ctx -> {
      Config config = ctx.getSystem().settings().config();
      Executor compute = ctx.getSystem().dispatchers().lookup(
          DispatcherSelector.fromConfig("ionloop.dispatchers.compute"));
      ActorRef<Store.Command> store = ctx.spawn(
          Behaviors.supervise(Store.create(plan.repository(), ctx.getSelf().narrow(),
              org.ionloop.notify.Notifier.ofConfig(config)))
              .onFailure(SupervisorStrategy.restart()),
          "store", DispatcherSelector.fromConfig("ionloop.dispatchers.store"));
      Map<String, ActorRef<Instrument.Command>> byId = shared == null
          ? spawnInstruments(ctx, plan.instruments().values(), plan.brokerUrl(), plan.campaignId())
          : shared.instruments();
      SplittableRandom seeds = new SplittableRandom(plan.spec().seed());
      // No proposer model covers the design space: the planner chooses among random feasible points.
      Behavior<Proposer.Command> proposing = plan.proposer() == null
          ? org.ionloop.proposer.SpaceSampler.create(plan.spec().space(), seeds.split())
          : Proposer.create(plan.proposer(), plan.spec().space(), compute, seeds.split());
      var proposer = ctx.spawn(Behaviors.supervise(proposing).onFailure(SupervisorStrategy.restart()),
          "proposer");
      var selector = new BatchSelector(plan.spec().space(), plan.spec().orientedReference(),
          plan.spec().objectives().size(), plan.spec().planner());
      var planner = ctx.spawn(Behaviors.supervise(Planner.create(selector, compute, seeds.split()))
          .onFailure(SupervisorStrategy.restart()), "planner");
      ActorRef<ResourceLocks.Command> locks = shared == null ? ctx.spawn(ResourceLocks.create(), "locks")
          : shared.locks();
      var setup = new ExperimentRunner.Setup(plan.campaignId(), plan.protocol(), plan.spec().instruments(),
          Map.copyOf(byId), locks, store, compute, plan.spec().space().names(),
          plan.spec().space().precursorCount(), plan.spec().results());
      ActorRef<Campaign.Update> relay = ctx.messageAdapter(Campaign.Update.class, Relay::new);
      var retrain = plan.spec().retrain();
      // The trainer and its output folder are the installation's, never the campaign file's.
      org.ionloop.Installation installation = org.ionloop.Installation.from(config);
      ActorRef<org.ionloop.proposer.ModelTrainer.Command> trainer = retrain == null ? null
          : ctx.spawn(org.ionloop.proposer.ModelTrainer.create(plan.campaignId(),
              new org.ionloop.proposer.ModelTrainer.Settings(retrain.every(),
                  retrain.settings().withCommand(installation.trainerCommandFor(plan.proposer().card().elementSpace()))
                      .withBaseDataOf(plan.proposer()),
                  installation.retrainDir(), plan.spec().guidance(), plan.spec().ddimSteps()),
              plan.spec().space(), plan.proposer(), proposer, store,
              ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("ionloop.dispatchers.training"))),
              "model-trainer");
      var wiring = new Campaign.Wiring(proposer, planner, store, setup, relay, trainer);
      ActorRef<Campaign.Command> campaign = ctx.spawn(plan.resumeFrom() == null
          ? Campaign.create(plan.campaignId(), plan.spec(), wiring)
          : Campaign.resume(plan.resumeFrom(), plan.spec(), wiring), "campaign");
      ctx.spawn(OperatorInbox.create(plan.campaignId(), plan.repository().operatorCommands(),
          campaign, store, ctx.getSystem().dispatchers().lookup(
              DispatcherSelector.fromConfig("ionloop.dispatchers.store")),
          config.getDuration("ionloop.operator-inbox-poll")), "operator-inbox");
      return Behaviors.receive(Object.class)
          .onMessage(Campaign.Command.class, c -> { // operator commands: pause, resume, stop, abort
            campaign.tell(c);
            return Behaviors.same();
          })
          .onMessage(Store.Health.class, h -> { // the store failing or caught up: the campaign decides
            campaign.tell(new Campaign.StoreHealth(h));
            return Behaviors.same();
          })
          .onMessage(Relay.class, r -> {
            plan.listener().accept(r.update());
            if (r.update() instanceof Campaign.Finished) {
              store.tell(new Store.Sync(ctx.getSelf().narrow()));
            }
            return Behaviors.same();
          })
          .onMessage(Store.Synced.class, s -> Behaviors.stopped())
          .build();
    });
  }
}
