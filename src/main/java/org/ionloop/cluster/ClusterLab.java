package org.ionloop.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.SingletonActor;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
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
  private final ClusterSettings settings;
  private final ActorRef<CampaignKeeper.Command> keeper;
  /** Completes with the Up members when this node is one of them. */
  private final CompletableFuture<java.util.List<String>> up = new CompletableFuture<>();

  private ClusterLab(ActorSystem<Void> system, ClusterSettings settings, ActorRef<CampaignKeeper.Command> keeper) {
    this.system = system;
    this.settings = settings;
    this.keeper = keeper;
  }

  /** Told once, when this node shuts down, before its process may exit. */
  @FunctionalInterface
  public interface ShutdownListener {
    /**
     * @param wasMember whether the node had been an Up member (false: it never got in)
     * @param why       the reason, in words
     */
    void shutDown(boolean wasMember, String why);
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
      StationHolds holds, int atOnce, ShutdownListener onShutdown) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
        settings.akkaConfig(base));
    ClusterSingleton singletons = ClusterSingleton.get(system);
    // The lock table writes each grant to the store before telling it: on the store's
    // dispatcher, where blocking is expected, and restarted (re-reading the store) if it fails.
    ActorRef<ResourceLocks.Command> locks = singletons.init(SingletonActor.of(
        Behaviors.supervise(locksWith(outOfService, holdBook(holds, campaigns))).onFailure(SupervisorStrategy.restart()),
        "station-locks").withProps(DispatcherSelector.fromConfig("ionloop.dispatchers.store")));
    ClusterSharding.get(system).init(Entity.of(CampaignEntity.KEY, entity -> CampaignEntity.create(
        entity.getEntityId(), plans, locks, campaigns, settings.selfAddress())));
    ActorRef<CampaignKeeper.Command> keeper = singletons.init(SingletonActor.of(
        Behaviors.supervise(CampaignKeeper.create(campaigns, queue, atOnce, settings.keeperInterval()))
            .onFailure(SupervisorStrategy.restart()), "campaign-keeper"));
    ClusterLab lab = new ClusterLab(system, settings, keeper);
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster.get(system).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, s -> {
        // The state at SelfUp may not show this node Up yet; it is, by definition of the event.
        java.util.List<String> members = new java.util.ArrayList<>(upMembers(s.currentClusterState().getMembers()));
        String self = Cluster.get(system).selfMember().address().toString();
        if (!members.contains(self)) {
          members.add(self);
        }
        lab.up.complete(members);
        return Behaviors.stopped();
      }).build();
    }), "self-up", akka.actor.typed.Props.empty());
    lab.onShutdown(why -> onShutdown.shutDown(lab.up.isDone(), why));
    // Only now: a refusal (another wire contract) shuts the node down, and the listener says why.
    Cluster.get(system).manager().tell(new akka.cluster.typed.JoinSeedNodes(settings.seedAddresses().stream()
        .map(akka.actor.AddressFromURIString::parse).toList()));
    return lab;
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

  /** Completes when this node is an Up member of the cluster, with the members Up then. */
  public CompletionStage<java.util.List<String>> whenUp() {
    return up;
  }

  /** Members that are Up now, by address. */
  public java.util.List<String> members() {
    return upMembers(Cluster.get(system).state().getMembers());
  }

  private static java.util.List<String> upMembers(Iterable<akka.cluster.Member> members) {
    java.util.List<String> out = new java.util.ArrayList<>();
    members.forEach(m -> {
      if (m.status() == MemberStatus.up()) {
        out.add(m.address().toString());
      }
    });
    return out;
  }

  /** Runs the campaign now (it was just started on the cluster). */
  public void wake(String campaignId) {
    ClusterSharding.get(system).entityRefFor(CampaignEntity.KEY, campaignId).tell(new CampaignEntity.Wake("start"));
  }

  /** The keeper looks at the store now (a campaign was queued). */
  public void nudge(String why) {
    keeper.tell(new CampaignKeeper.Nudge(why));
  }

  public ClusterSettings settings() {
    return settings;
  }

  /**
   * Runs {@code action} with the reason when this node shuts down (left, taken out, refused),
   * before its actor system ends and, where the reason ends the process, before it exits.
   */
  private void onShutdown(java.util.function.Consumer<String> action) {
    akka.actor.CoordinatedShutdown shutdown = akka.actor.CoordinatedShutdown.get(system);
    shutdown.addTask(akka.actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "ionloop-says-why", () -> {
      action.accept(shutdown.getShutdownReason().map(ClusterLab::describe).orElse("stopped"));
      return CompletableFuture.completedFuture(akka.Done.getInstance());
    });
  }

  private static String describe(akka.actor.CoordinatedShutdown.Reason reason) {
    String name = reason.getClass().getSimpleName().replace("$", "");
    return switch (name) {
      case "IncompatibleConfigurationDetectedReason" -> "the cluster refused this node: its settings do not match"
          + " the cluster's (another wire contract or ionloop version; the seed node's log says which)";
      case "ClusterJoinUnsuccessfulReason" -> "no seed node answered";
      case "ClusterDowningReason" -> "the cluster took this node out (it was unreachable)";
      case "ClusterLeavingReason" -> "left";
      default -> name;
    };
  }

  /** Completes when this node's actor system has terminated (left, or taken out by the cluster). */
  public CompletionStage<?> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Leaves the cluster: this node's campaigns move to the others (resumed from the event log). */
  @Override
  public void close() throws Exception {
    akka.actor.CoordinatedShutdown.get(system).runAll(akka.actor.CoordinatedShutdown.clusterLeavingReason())
        .toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
  }
}
