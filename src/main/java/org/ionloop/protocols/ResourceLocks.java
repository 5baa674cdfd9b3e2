package org.ionloop.protocols;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * First-come, first-served reservations of stations (a furnace, an analyzer cell) that must hold
 * one sample across several steps: load, run, unload. A request names a pool (the instruments
 * bound to a role) and gets whichever is free first. A station that lost its link is quarantined
 * and never granted again in this campaign; a request whose whole pool is quarantined is denied.
 * Experiments acquire in protocol order, so two experiments never wait on each other in a cycle.
 */
public final class ResourceLocks extends AbstractBehavior<ResourceLocks.Command> {

  public sealed interface Command {}

  /** Ask for any one of {@code pool}; a {@link Granted} or {@link Denied} reply follows. */
  public record Acquire(java.util.List<String> pool, String owner, ActorRef<Reply> replyTo)
      implements Command {}

  /** Take a station out of service for the rest of the campaign. */
  public record Quarantine(String resource, String reason) implements Command {}

  /** An operator has inspected a station out of service and returns it; ignored when in service. */
  public record ReturnToService(String resource) implements Command {}

  /** Give a resource back; ignored when the owner does not hold it. */
  public record Release(String resource, String owner) implements Command {}

  /** Replies to {@link Acquire}. */
  public sealed interface Reply {}

  /** The owner holds {@code resource}. */
  public record Granted(String resource, String owner) implements Reply {}

  /**
   * Every station of the pool is quarantined.
   *
   * @param outOfService the pool's stations and why each is out of service, so the experiment's
   *     campaign learns of a quarantine another experiment's failure made a moment ago
   */
  public record Denied(String owner, String reason, Map<String, String> outOfService) implements Reply {}

  private final Map<String, String> holders = new HashMap<>();
  private final Map<String, String> quarantined = new HashMap<>();
  private final Queue<Acquire> waiting = new ArrayDeque<>();
  /** Per pool, the index of the station granted last (the next search starts after it). */
  private final Map<java.util.List<String>, Integer> lastGranted = new HashMap<>();

  public static Behavior<Command> create() {
    return Behaviors.setup(ResourceLocks::new);
  }

  private ResourceLocks(ActorContext<Command> ctx) {
    super(ctx);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(Release.class, this::onRelease)
        .onMessage(Quarantine.class, this::onQuarantine)
        .onMessage(ReturnToService.class, this::onReturnToService)
        .build();
  }

  private Behavior<Command> onAcquire(Acquire a) {
    if (!tryGrant(a)) {
      waiting.add(a);
    }
    return this;
  }

  /** Grants a free station of the pool, or denies a fully quarantined pool; false = must wait. */
  private boolean tryGrant(Acquire a) {
    boolean anyUsable = false;
    int n = a.pool().size();
    int start = lastGranted.getOrDefault(a.pool(), -1) + 1;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      String r = a.pool().get(i);
      if (quarantined.containsKey(r)) {
        continue;
      }
      anyUsable = true;
      String holder = holders.get(r);
      if (holder == null || holder.equals(a.owner())) {
        holders.put(r, a.owner());
        lastGranted.put(a.pool(), i);
        a.replyTo().tell(new Granted(r, a.owner()));
        return true;
      }
    }
    if (!anyUsable) {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      a.pool().forEach(station -> out.put(station, quarantined.get(station)));
      a.replyTo().tell(new Denied(a.owner(), "every station of " + a.pool() + " is out of service: "
          + quarantined, Map.copyOf(out)));
      return true;
    }
    return false;
  }

  private Behavior<Command> onRelease(Release r) {
    if (r.owner().equals(holders.get(r.resource()))) {
      holders.remove(r.resource());
      serveWaiting();
    }
    return this;
  }

  private Behavior<Command> onQuarantine(Quarantine q) {
    if (quarantined.putIfAbsent(q.resource(), q.reason()) == null) {
      getContext().getLog().warn("station {} taken out of service: {}", q.resource(), q.reason());
    }
    serveWaiting(); // waiters whose pool is now entirely out of service get their denial
    return this;
  }

  private Behavior<Command> onReturnToService(ReturnToService r) {
    if (quarantined.remove(r.resource()) != null) {
      // Whatever held it failed; the operator has emptied it.
      holders.remove(r.resource());
      getContext().getLog().info("station {} back in service", r.resource());
      serveWaiting();
    }
    return this;
  }

  private void serveWaiting() {
    waiting.removeIf(this::tryGrant);
  }
}
