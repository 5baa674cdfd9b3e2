package org.ionloop.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ionloop.CrossNode;
import org.ionloop.campaign.CampaignHost;
import org.ionloop.protocols.ResourceLocks;
import org.ionloop.store.ClusterCampaigns;

/**
 * One campaign of the cluster, as a sharded entity: Akka runs it on exactly one node at a time
 * and, when that node is lost, on another once the next {@link Wake} arrives. On each node it
 * reads the campaign from the shared store and runs it there (new, or resumed from its event log:
 * in-flight commands go out again with their own ids, so the devices do no step twice), with
 * drivers of its own on this node and the cluster's station locks.
 *
 * <pre>
 *   idle ──Wake──▶ planning ──plan──▶ running ──host stopped──▶ (stopped)
 *                     │ ended / cannot run here ──▶ (stopped; the keeper's next Wake tries again)
 * </pre>
 */
public final class CampaignEntity {
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "campaign");

  public sealed interface Command extends CrossNode {}

  /** Run the campaign if it is not running here yet (sent by the keeper and by a start). */
  public record Wake(String by) implements Command {}

  private record Planned(Optional<CampaignHost.Plan> plan, Throwable failure) implements Command {}

  private record HostStopped() implements Command {}

  private CampaignEntity() {}

  /**
   * @param node this node's address, recorded as the campaign's placement
   */
  public static Behavior<Command> create(String campaignId, PlanSource plans,
      ActorRef<ResourceLocks.Command> locks, ClusterCampaigns placements, String node) {
    return Behaviors.setup(ctx -> idle(ctx, campaignId, plans, locks, placements, node));
  }

  private static Behavior<Command> idle(ActorContext<Command> ctx, String campaignId, PlanSource plans,
      ActorRef<ResourceLocks.Command> locks, ClusterCampaigns placements, String node) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> {
          Executor blocking = ctx.getSystem().dispatchers().lookup(
              DispatcherSelector.fromConfig("ionloop.dispatchers.store"));
          ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
            try {
              Optional<CampaignHost.Plan> plan = plans.planFor(campaignId);
              plan.ifPresent(p -> placements.placed(campaignId, node));
              return plan;
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          }, blocking), (plan, failure) -> new Planned(plan, failure));
          return planning(ctx, campaignId, locks);
        })
        .build();
  }

  private static Behavior<Command> planning(ActorContext<Command> ctx, String campaignId,
      ActorRef<ResourceLocks.Command> locks) {
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
          // The drivers are this node's; the station locks are the cluster's, so a station is
          // reserved per experiment across every campaign on every node.
          var drivers = CampaignHost.spawnInstruments(ctx, plan.instruments().values(), plan.brokerUrl(),
              campaignId);
          ActorRef<Object> host = ctx.spawn(CampaignHost.create(plan, new CampaignHost.Shared(drivers, locks)),
              "host");
          ctx.watchWith(host, new HostStopped());
          ctx.getLog().info("campaign {} runs on this node ({})", campaignId,
              plan.resumeFrom() == null ? "new" : "resumed from its event log");
          return running(campaignId);
        })
        .build();
  }

  private static Behavior<Command> running(String campaignId) {
    return Behaviors.receive(Command.class)
        .onMessage(Wake.class, w -> Behaviors.same())
        .onMessage(HostStopped.class, h -> Behaviors.stopped())
        .build();
  }
}
