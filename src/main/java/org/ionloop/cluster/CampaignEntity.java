package org.ionloop.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.actor.typed.receptionist.Receptionist;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ionloop.CrossNode;
import org.ionloop.campaign.CampaignHost;
import org.ionloop.campaign.NodeDrivers;
import org.ionloop.instruments.Instrument;
import org.ionloop.protocols.ResourceLocks;
import org.ionloop.store.ClusterCampaigns;

/**
 * One campaign of the cluster, as a sharded entity: Akka runs it on exactly one node at a time
 * and, when that node is lost, on another once the next {@link Wake} arrives. On each node it
 * reads the campaign from the shared store and runs it there (new, or resumed from its event log:
 * in-flight commands go out again with their own ids, so the devices do no step twice), with
 * this node's drivers (one per instrument for all its campaigns, {@link NodeDrivers}), a
 * gateway's for the instruments behind one, and the cluster's station locks.
 *
 * <pre>
 *   idle ──Wake──▶ planning ──plan──▶ [locating: gateway instruments] ──▶ binding ──drivers──▶ running
 *                     │ ended / cannot run here / no gateway / drivers refused ──▶ (stopped; the keeper's next Wake tries again)
 *   running ──host stopped──▶ drivers released ──▶ (stopped)
 * </pre>
 */
public final class CampaignEntity {
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "campaign");

  public sealed interface Command extends CrossNode {}

  /** Run the campaign if it is not running here yet (sent by the keeper and by a start). */
  public record Wake(String by) implements Command {}

  private record Planned(Optional<CampaignHost.Plan> plan, Throwable failure) implements Command {}

  private record HostStopped() implements Command {}

  /** The receptionist's answer for a gateway instrument: its drivers (none yet, or one). */
  private record Located(String instrumentId, java.util.Set<ActorRef<Instrument.Command>> drivers, int attempt)
      implements Command {}

  private record LookAgain(String instrumentId, int attempt) implements Command {}

  /** This node's drivers for the campaign's local instruments, or why it may not have them. */
  private record Bound(Map<String, ActorRef<Instrument.Command>> drivers, Throwable refusal) implements Command {}

  /** How long a campaign waits for a gateway to serve an instrument before it gives up here. */
  private static final int LOOKS = 60;
  private static final java.time.Duration LOOK_EVERY = java.time.Duration.ofSeconds(1);

  /** The type of {@link NodeDrivers}' answer, for the ask. */
  @SuppressWarnings("unchecked")
  private static final Class<Map<String, ActorRef<Instrument.Command>>> DRIVERS =
      (Class<Map<String, ActorRef<Instrument.Command>>>) (Class<?>) Map.class;

  private CampaignEntity() {}

  /**
   * @param node     this node's address, recorded as the campaign's placement
   * @param gateways the instruments reached through a gateway node, never driven from here
   */
  public static Behavior<Command> create(String campaignId, PlanSource plans, Services services,
      ClusterCampaigns placements, String node, Set<String> gateways) {
    return Behaviors.setup(ctx -> idle(ctx, campaignId, plans, services, placements, node, gateways));
  }

  /** What the campaign uses beyond itself: the cluster's station locks and this node's drivers. */
  public record Services(ActorRef<ResourceLocks.Command> locks, ActorRef<NodeDrivers.Command> drivers) {}

  private static Behavior<Command> idle(ActorContext<Command> ctx, String campaignId, PlanSource plans,
      Services services, ClusterCampaigns placements, String node, Set<String> gateways) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> {
          // Planning reads the log and loads the campaign's model: blocking, and seconds long for a
          // proposer. Not on the store dispatcher, whose two threads the station locks write
          // their grants on: twenty campaigns starting at once would hold the grants back.
          Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
          ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
            try {
              Optional<CampaignHost.Plan> plan = plans.planFor(campaignId);
              plan.ifPresent(p -> placements.placed(campaignId, node));
              return plan;
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          }, blocking), (plan, failure) -> new Planned(plan, failure));
          return planning(ctx, campaignId, services, gateways);
        })
        .build();
  }

  private static Behavior<Command> planning(ActorContext<Command> ctx, String campaignId,
      Services services, Set<String> gateways) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> Behaviors.same())
        .onMessage(Planned.class, p -> {
          if (p.failure() != null) {
            Throwable cause = p.failure() instanceof java.util.concurrent.CompletionException ce
                && ce.getCause() != null ? ce.getCause() : p.failure();
            ctx.getLog().error("campaign {} cannot run on this node: {}", campaignId, cause.toString(), cause);
            return Behaviors.stopped();
          }
          if (p.plan().isEmpty()) {
            return Behaviors.stopped(); // it has ended: nothing to keep alive
          }
          CampaignHost.Plan plan = p.plan().get();
          Set<String> remote = new TreeSet<>(plan.instruments().keySet());
          remote.retainAll(gateways);
          if (remote.isEmpty()) {
            return start(ctx, campaignId, plan, services, Map.of());
          }
          remote.forEach(id -> find(ctx, id, 1));
          return locating(ctx, campaignId, plan, services, remote, new HashMap<>());
        })
        .build();
  }

  private static void find(ActorContext<Command> ctx, String instrumentId, int attempt) {
    ctx.ask(Receptionist.Listing.class, ctx.getSystem().receptionist(), LOOK_EVERY.multipliedBy(5),
        ref -> Receptionist.find(InstrumentGateway.keyFor(instrumentId), ref),
        (listing, failure) -> new Located(instrumentId, listing == null ? Set.of()
            : listing.getServiceInstances(InstrumentGateway.keyFor(instrumentId)), attempt));
  }

  /** Waits until a gateway serves each of {@code remote}: its registration reaches every node in seconds. */
  private static Behavior<Command> locating(ActorContext<Command> ctx, String campaignId, CampaignHost.Plan plan,
      Services services, Set<String> remote, Map<String, ActorRef<Instrument.Command>> found) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> Behaviors.same())
        .onMessage(LookAgain.class, l -> {
          find(ctx, l.instrumentId(), l.attempt());
          return Behaviors.same();
        })
        .onMessage(Located.class, l -> {
          if (l.drivers().isEmpty()) {
            if (l.attempt() >= LOOKS) {
              ctx.getLog().error("campaign {} cannot run on this node: no gateway serves {} (waited {} s);"
                  + " the keeper tries again", campaignId, l.instrumentId(), LOOKS * LOOK_EVERY.toSeconds());
              return Behaviors.stopped();
            }
            ctx.scheduleOnce(LOOK_EVERY, ctx.getSelf(), new LookAgain(l.instrumentId(), l.attempt() + 1));
            return Behaviors.same();
          }
          found.put(l.instrumentId(), l.drivers().iterator().next());
          if (!found.keySet().containsAll(remote)) {
            return Behaviors.same();
          }
          found.forEach((id, driver) -> ctx.getLog().info("campaign {}: {} through the gateway at {}", campaignId,
              id, driver.path().address()));
          return start(ctx, campaignId, plan, services, Map.copyOf(found));
        })
        .build();
  }

  /** Asks this node's drivers for the campaign's instruments not behind a gateway. */
  private static Behavior<Command> start(ActorContext<Command> ctx, String campaignId, CampaignHost.Plan plan,
      Services services, Map<String, ActorRef<Instrument.Command>> remote) {
    var local = plan.instruments().values().stream().filter(i -> !remote.containsKey(i.id())).toList();
    ctx.askWithStatus(DRIVERS, services.drivers(), java.time.Duration.ofSeconds(30),
        ref -> new NodeDrivers.Bind(campaignId, ctx.getSelf(), local, plan.brokerUrl(), ref),
        (drivers, failure) -> new Bound(drivers, failure));
    return binding(ctx, campaignId, plan, services, remote);
  }

  /**
   * Runs the campaign once it has its drivers: this node's, and the gateways' for the rest; the
   * station locks are the cluster's, so a station is reserved per experiment across every
   * campaign on every node.
   */
  private static Behavior<Command> binding(ActorContext<Command> ctx, String campaignId, CampaignHost.Plan plan,
      Services services, Map<String, ActorRef<Instrument.Command>> remote) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> Behaviors.same())
        .onMessage(Bound.class, b -> {
          if (b.refusal() != null) {
            ctx.getLog().error("campaign {} cannot run on this node: {}; the keeper tries again", campaignId,
                b.refusal().getMessage());
            return Behaviors.stopped();
          }
          Map<String, ActorRef<Instrument.Command>> drivers = new HashMap<>(b.drivers());
          drivers.putAll(remote);
          ActorRef<Object> host = ctx.spawn(CampaignHost.create(plan,
              new CampaignHost.Shared(Map.copyOf(drivers), services.locks())), "host");
          ctx.watchWith(host, new HostStopped());
          ctx.getLog().info("campaign {} runs on this node ({})", campaignId,
              plan.resumeFrom() == null ? "new" : "resumed from its event log");
          return running(campaignId, services);
        })
        .build();
  }

  private static Behavior<Command> running(String campaignId, Services services) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> Behaviors.same())
        .onMessage(HostStopped.class, h -> {
          services.drivers().tell(new NodeDrivers.Release(campaignId));
          return Behaviors.stopped();
        })
        .build();
  }
}
