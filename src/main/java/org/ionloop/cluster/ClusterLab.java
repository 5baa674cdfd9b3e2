package org.ionloop.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ionloop.campaign.NodeDrivers;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.protocols.ResourceLocks;
import org.ionloop.store.CampaignQueue;
import org.ionloop.store.ClusterCampaigns;
import org.ionloop.store.StationHolds;

/**
 * This process as one orchestrator node of a lab's cluster: it joins the others, hosts its share
 * of the campaigns (sharded entities, {@link CampaignEntity}) and, when it is the oldest member,
 * the two singletons: the lab-wide station locks ({@link ResourceLocks}, with the stations out of
 * service and those held read from the store whenever it starts, so a quarantine and a sample in a
 * furnace survive its move) and the {@link CampaignKeeper}.
 */
public final class ClusterLab implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ActorRef<CampaignKeeper.Command> keeper;
  private final ActorRef<NodeDrivers.Command> drivers;
  private final Membership membership;

  private ClusterLab(ActorSystem<Void> system, ActorRef<CampaignKeeper.Command> keeper,
      ActorRef<NodeDrivers.Command> drivers, Membership membership) {
    this.system = system;
    this.keeper = keeper;
    this.drivers = drivers;
    this.membership = membership;
  }

  /**
   * Starts this node and asks to join {@code settings.seedNodes()}.
   *
   * @param outOfService the stations out of service by the store, read whenever the locks start
   * @param holds        the stations held, kept by the locks in the store
   * @param atOnce       how many of the cluster's campaigns run at once
   * @param onShutdown   told why the node shut down: it may have been refused before this returns
   */
  public static ClusterLab join(ClusterSettings settings, Config base, PlanSource plans,
      ClusterCampaigns campaigns, CampaignQueue queue, Supplier<Map<String, String>> outOfService,
      StationHolds holds, int atOnce, Membership.ShutdownListener onShutdown) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
        settings.akkaConfig(base));
    ClusterSingleton singletons = ClusterSingleton.get(system);
    // The lock table writes each grant to the store before telling it: on the store's
    // dispatcher, where blocking is expected, and restarted (re-reading the store) if it fails.
    // Campaigns and singletons run on orchestrator nodes only, never on a gateway.
    var onOrchestrators = akka.cluster.typed.ClusterSingletonSettings.create(system)
        .withRole(ClusterSettings.ORCHESTRATOR);
    ActorRef<ResourceLocks.Command> locks = singletons.init(SingletonActor.of(
        Behaviors.supervise(locksWith(outOfService, holdBook(holds, campaigns))).onFailure(SupervisorStrategy.restart()),
        "station-locks").withProps(DispatcherSelector.fromConfig("ionloop.dispatchers.store"))
        .withSettings(onOrchestrators));
    java.util.Set<String> gateways = java.util.Set.copyOf(settings.gatewayInstruments());
    // One driver per instrument for all of this node's campaigns: a device has one master per node.
    ActorRef<NodeDrivers.Command> drivers = system.systemActorOf(NodeDrivers.create("node-" + settings.port()),
        "instrument-drivers", akka.actor.typed.Props.empty());
    var shared = new CampaignEntity.Services(locks, drivers);
    ClusterSharding.get(system).init(Entity.of(CampaignEntity.KEY, entity -> CampaignEntity.create(
        entity.getEntityId(), plans, shared, campaigns, settings.selfAddress(), gateways))
        .withRole(ClusterSettings.ORCHESTRATOR));
    ActorRef<CampaignKeeper.Command> keeper = singletons.init(SingletonActor.of(
        Behaviors.supervise(CampaignKeeper.create(campaigns, queue, atOnce, settings.keeperInterval()))
            .onFailure(SupervisorStrategy.restart()), "campaign-keeper").withSettings(onOrchestrators));
    // Joins last: by then a refusal (another wire contract) has someone to say why.
    return new ClusterLab(system, keeper, drivers, Membership.join(system, settings, onShutdown));
  }

  /** The lock table's holdings, kept in the shared store so they survive the table's move. */
  private static ResourceLocks.HoldBook holdBook(StationHolds holds, ClusterCampaigns campaigns) {
    return new ResourceLocks.HoldBook() {
      @Override
      public java.util.List<ResourceLocks.Hold> all() {
        // A campaign that ended where its node could not say so any more holds nothing.
        java.util.Set<String> running = java.util.Set.copyOf(campaigns.toKeep());
        java.util.List<ResourceLocks.Hold> held = new java.util.ArrayList<>();
        for (StationHolds.Held h : holds.all()) {
          if (running.contains(h.party())) {
            held.add(new ResourceLocks.Hold(h.station(), h.owner(), h.party()));
          } else {
            holds.free(h.station());
          }
        }
        return held;
      }

      @Override
      public void hold(ResourceLocks.Hold hold) {
        holds.hold(new StationHolds.Held(hold.station(), hold.owner(), hold.party()));
      }

      @Override
      public void free(String station) {
        holds.free(station);
      }
    };
  }

  private static Behavior<ResourceLocks.Command> locksWith(Supplier<Map<String, String>> outOfService,
      ResourceLocks.HoldBook book) {
    return Behaviors.setup(ctx -> {
      // A station stays out of service until an operator returns it, whichever node the locks
      // run on: the store is read each time they start (first start, or a move after a loss).
      outOfService.get().forEach((station, why) -> ctx.getSelf().tell(new ResourceLocks.Quarantine(station, why)));
      return ResourceLocks.create(book);
    });
  }

  /** This node's membership: when it is up, with whom, why it left. */
  public Membership membership() {
    return membership;
  }

  /**
   * What this node's drivers say of their instruments (those its campaigns bind now) and what
   * the gateways say of theirs ({@code behindGateways}: the files this node has for them); an
   * instrument another orchestrator node drives is that node's to describe, and not here.
   */
  public Map<String, Instrument.Description> instrumentStates(Map<String, InstrumentSpec> behindGateways) {
    java.time.Duration wait = java.time.Duration.ofSeconds(2);
    Map<String, Instrument.Description> out = new java.util.TreeMap<>();
    Map<String, java.util.concurrent.CompletableFuture<Instrument.Description>> remote = new java.util.TreeMap<>();
    behindGateways.forEach((id, spec) -> remote.put(id, describeAtGateway(id, spec, wait)));
    out.putAll(org.ionloop.campaign.DriverStates.describeDriversOf(drivers, NodeDrivers.Drivers::new,
        system.scheduler(), wait));
    remote.forEach((id, f) -> {
      try {
        out.put(id, f.get(5, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // no gateway serves it now, or its driver is restarting: its state is unknown here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return out;
  }

  /** Finds the gateway's driver of {@code id} through the receptionist and asks it, briefly. */
  private java.util.concurrent.CompletableFuture<Instrument.Description> describeAtGateway(String id,
      InstrumentSpec spec, java.time.Duration wait) {
    var key = InstrumentGateway.keyFor(id);
    return AskPattern.<akka.actor.typed.receptionist.Receptionist.Command,
            akka.actor.typed.receptionist.Receptionist.Listing>ask(system.receptionist(),
            ref -> akka.actor.typed.receptionist.Receptionist.find(key, ref), wait, system.scheduler())
        .thenCompose(listing -> {
          var served = listing.getServiceInstances(key);
          if (served.isEmpty()) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no gateway serves " + id));
          }
          return AskPattern.<Instrument.Command, Instrument.Brief>ask(served.iterator().next(),
              Instrument.DescribeBriefly::new, wait, system.scheduler());
        })
        .thenApply(brief -> Instrument.Description.of(spec, brief)).toCompletableFuture();
  }

  /** Runs the campaign now (it was just started on the cluster). */
  public void wake(String campaignId) {
    ClusterSharding.get(system).entityRefFor(CampaignEntity.KEY, campaignId).tell(new CampaignEntity.Wake("start"));
  }

  /** The keeper looks at the store now (a campaign was queued). */
  public void nudge(String why) {
    keeper.tell(new CampaignKeeper.Nudge(why));
  }

  /** Leaves the cluster: this node's campaigns move to the others (resumed from the event log). */
  @Override
  public void close() throws Exception {
    membership.leave();
  }
}
