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
 * one sample across several steps: load, run, unload. Experiments acquire in protocol order, so
 * two experiments never wait on each other in a cycle.
 */
public final class ResourceLocks extends AbstractBehavior<ResourceLocks.Command> {

  public sealed interface Command {}

  /** Ask for a resource; {@link Granted} arrives when the owner holds it. */
  public record Acquire(String resource, String owner, ActorRef<Granted> replyTo) implements Command {}

  /** Give a resource back; ignored when the owner does not hold it. */
  public record Release(String resource, String owner) implements Command {}

  /** Reply to {@link Acquire}. */
  public record Granted(String resource, String owner) {}

  private final Map<String, String> holders = new HashMap<>();
  private final Map<String, Queue<Acquire>> waiting = new HashMap<>();

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
        .build();
  }

  private Behavior<Command> onAcquire(Acquire a) {
    String holder = holders.get(a.resource());
    if (holder == null || holder.equals(a.owner())) {
      holders.put(a.resource(), a.owner());
      a.replyTo().tell(new Granted(a.resource(), a.owner()));
    } else {
      waiting.computeIfAbsent(a.resource(), k -> new ArrayDeque<>()).add(a);
    }
    return this;
  }

  private Behavior<Command> onRelease(Release r) {
    if (!r.owner().equals(holders.get(r.resource()))) {
      return this;
    }
    holders.remove(r.resource());
    Queue<Acquire> q = waiting.get(r.resource());
    if (q != null && !q.isEmpty()) {
      Acquire next = q.poll();
      holders.put(r.resource(), next.owner());
      next.replyTo().tell(new Granted(r.resource(), next.owner()));
    }
    return this;
  }
}
