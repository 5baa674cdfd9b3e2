package org.ionloop.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ionloop.CrossNode;
import org.ionloop.store.CampaignQueue;
import org.ionloop.store.ClusterCampaigns;

/**
 * The cluster singleton that keeps the cluster's campaigns running. At every tick it reads from
 * the store the campaigns started on the cluster that have not ended, starts the queue's heads
 * while fewer than the lab's limit run, and wakes each of them. A wake is nothing to a campaign
 * running on a live node; a campaign whose node was lost is thereby started on a surviving one,
 * which resumes it from the event log. The store, not this actor, holds what must run, so the
 * keeper itself may move to another node at any time.
 *
 * <pre>
 *   waiting ──Tick / Nudge──▶ looking (store read off-thread) ──Looked──▶ wakes sent, waiting
 * </pre>
 */
public final class CampaignKeeper {
  public sealed interface Command extends CrossNode {}

  /** Look now rather than at the next tick (a campaign was queued or started). */
  public record Nudge(String why) implements Command {}

  private record Tick() implements Command {}

  private record Looked(List<String> toWake, List<String> fromQueue, Throwable failure) implements Command {}

  private CampaignKeeper() {}

  public static Behavior<Command> create(ClusterCampaigns campaigns, CampaignQueue queue, int atOnce,
      Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), Duration.ZERO, interval);
      return waiting(ctx, campaigns, queue, atOnce, false);
    }));
  }

  private static Behavior<Command> waiting(ActorContext<Command> ctx, ClusterCampaigns campaigns,
      CampaignQueue queue, int atOnce, boolean again) {
    if (again) {
      return look(ctx, campaigns, queue, atOnce);
    }
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> look(ctx, campaigns, queue, atOnce))
        .onMessage(Nudge.class, n -> look(ctx, campaigns, queue, atOnce))
        .onMessage(Looked.class, l -> Behaviors.same())
        .build();
  }

  private static Behavior<Command> look(ActorContext<Command> ctx, ClusterCampaigns campaigns,
      CampaignQueue queue, int atOnce) {
    Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("ionloop.dispatchers.store"));
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> startQueued(campaigns, queue, atOnce), blocking),
        (looked, failure) -> failure != null ? new Looked(List.of(), List.of(), failure) : looked);
    return looking(ctx, campaigns, queue, atOnce, false);
  }

  private static Behavior<Command> looking(ActorContext<Command> ctx, ClusterCampaigns campaigns,
      CampaignQueue queue, int atOnce, boolean nudged) {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> Behaviors.same()) // the look under way answers it
        .onMessage(Nudge.class, n -> looking(ctx, campaigns, queue, atOnce, true))
        .onMessage(Looked.class, l -> {
          if (l.failure() != null) {
            ctx.getLog().warn("cannot read the cluster's campaigns (trying again at the next tick): {}",
                l.failure().getMessage());
          }
          l.fromQueue().forEach(id -> ctx.getLog().info("campaign {} started from the queue", id));
          ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
          for (String id : l.toWake()) {
            sharding.entityRefFor(CampaignEntity.KEY, id).tell(new CampaignEntity.Wake("keeper"));
          }
          return waiting(ctx, campaigns, queue, atOnce, nudged);
        })
        .build();
  }

  /** Starts queue heads while there is room; every campaign to keep running. Blocks on the store. */
  private static Looked startQueued(ClusterCampaigns campaigns, CampaignQueue queue, int atOnce) {
    List<String> keep = new ArrayList<>(campaigns.toKeep());
    List<String> fromQueue = new ArrayList<>();
    while (keep.size() < atOnce) {
      var head = queue.head();
      if (head.isEmpty()) {
        break;
      }
      queue.remove(head.get());
      try {
        campaigns.start(head.get(), "queue");
        keep.add(head.get());
        fromQueue.add(head.get());
      } catch (RuntimeException e) {
        // no longer PLANNED (started by hand meanwhile): it leaves the queue, the next one is tried
      }
    }
    return new Looked(keep, fromQueue, null);
  }
}
