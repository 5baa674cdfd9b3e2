package org.ionloop.protocols;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reservations of stations (a furnace, an analyzer cell) that must hold one sample across several
 * steps: load, run, unload. A request names a pool (the instruments bound to a role) and gets
 * whichever is free first. A station that lost its link is quarantined and never granted again
 * until an operator returns it; a request whose whole pool is quarantined is denied.
 *
 * <p>One instance serves a whole lab: requests carry the campaign (party) they are for. A free
 * station goes to the waiting request of the party served least recently (round-robin between
 * campaigns, first come first served within one), so a campaign with many experiments in flight
 * cannot starve another of a shared furnace. Within one protocol, experiments acquire in protocol
 * order, so they never wait on each other in a cycle; across campaigns the lab refuses to start a
 * campaign whose acquisition order could close one ({@link org.ionloop.campaign.StationOrder}).
 *
 * <p>Asking again is harmless: an owner that holds a station of the pool is granted that one
 * again, and a request already waiting is replaced in its place. Experiments ask again while
 * they wait, so a lock table that restarted elsewhere (a cluster singleton whose node was lost)
 * learns of them; what was held it reads from its {@link HoldBook}.
 */
public final class ResourceLocks extends AbstractBehavior<ResourceLocks.Command> {

  public sealed interface Command extends org.ionloop.CrossNode {}

  /**
   * Ask for any one of {@code pool} for {@code owner} (an experiment) of {@code party} (its
   * campaign); a {@link Granted} or {@link Denied} reply follows.
   */
  public record Acquire(java.util.List<String> pool, String owner, String party, ActorRef<Reply> replyTo)
      implements Command {
    /** A request of the only party (one campaign's locks). */
    public Acquire(java.util.List<String> pool, String owner, ActorRef<Reply> replyTo) {
      this(pool, owner, "", replyTo);
    }
  }

  /** Take a station out of service, for every campaign, until an operator returns it. */
  public record Quarantine(String resource, String reason) implements Command {}

  /**
   * An operator has inspected a station out of service and returns it; ignored when in service.
   * The reply, when asked for, says whether it was out of service: the lock table is the lab's
   * record of that, which a campaign that never met the station's quarantine does not have.
   */
  public record ReturnToService(String resource, ActorRef<Boolean> replyTo) implements Command {
    public ReturnToService(String resource) {
      this(resource, null);
    }
  }

  /**
   * A campaign has ended (or its host stopped): every station its experiments still hold is free
   * again, except one out of service (it keeps the failed sample until an operator returns it),
   * and its waiting requests are dropped.
   */
  public record ReleaseParty(String party) implements Command {}

  /** Give a resource back; ignored when the owner does not hold it. */
  public record Release(String resource, String owner) implements Command {}

  /** Replies to {@link Acquire}. */
  public sealed interface Reply extends org.ionloop.CrossNode {}

  /** The owner holds {@code resource}. */
  public record Granted(String resource, String owner) implements Reply {}

  /**
   * Every station of the pool is quarantined.
   *
   * @param outOfService the pool's stations and why each is out of service, so the experiment's
   *     campaign learns of a quarantine another experiment's failure made a moment ago
   */
  public record Denied(String owner, String reason, Map<String, String> outOfService) implements Reply {}

  /** A station held by {@code owner} (an experiment) of {@code party} (its campaign). */
  public record Hold(String station, String owner, String party) {}

  /**
   * Where the lock table keeps what is held beyond its own memory. One process's table needs
   * none ({@link #IN_MEMORY}); a cluster's, which may restart on another node, keeps it in the
   * shared store, written before each grant is told and read when the table starts.
   */
  public interface HoldBook {
    /** What was held when the table last stopped. */
    List<Hold> all();

    void hold(Hold hold);

    void free(String station);

    HoldBook IN_MEMORY = new HoldBook() {
      @Override
      public List<Hold> all() {
        return List.of();
      }

      @Override
      public void hold(Hold hold) {}

      @Override
      public void free(String station) {}
    };
  }

  /** Who holds a station: the experiment and its campaign. */
  private record Holder(String owner, String party) {}

  private final HoldBook book;
  private final Map<String, Holder> holders = new HashMap<>();
  private final Map<String, String> quarantined = new HashMap<>();
  private final List<Acquire> waiting = new ArrayList<>();
  /** Per party (campaign), the number of the grant it had last; 0 when it had none. */
  private final Map<String, Long> lastServed = new HashMap<>();
  private long grants;
  /** Per pool, the index of the station granted last (the next search starts after it). */
  private final Map<java.util.List<String>, Integer> lastGranted = new HashMap<>();

  public static Behavior<Command> create() {
    return create(HoldBook.IN_MEMORY);
  }

  /** A lock table that keeps what is held in {@code book} and starts with what it holds. */
  public static Behavior<Command> create(HoldBook book) {
    return Behaviors.setup(ctx -> new ResourceLocks(ctx, book));
  }

  private ResourceLocks(ActorContext<Command> ctx, HoldBook book) {
    super(ctx);
    this.book = book;
    for (Hold h : book.all()) {
      holders.put(h.station(), new Holder(h.owner(), h.party()));
    }
    if (!holders.isEmpty()) {
      ctx.getLog().warn("station locks start holding {} (they ran elsewhere before)", holders);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(Release.class, this::onRelease)
        .onMessage(ReleaseParty.class, this::onReleaseParty)
        .onMessage(Quarantine.class, this::onQuarantine)
        .onMessage(ReturnToService.class, this::onReturnToService)
        .build();
  }

  private Behavior<Command> onAcquire(Acquire a) {
    if (outOfService(a)) {
      deny(a);
      return this;
    }
    int free = freeStation(a);
    if (free >= 0) {
      waiting.removeIf(w -> sameRequest(w, a));
      grant(a, free); // a free station has no waiter: it would have gone to one when it freed
    } else {
      int asked = indexOfSameRequest(a);
      if (asked >= 0) {
        waiting.set(asked, a); // asked again: same place, the newest reply address
      } else {
        waiting.add(a);
      }
    }
    return this;
  }

  private static boolean sameRequest(Acquire x, Acquire y) {
    return x.owner().equals(y.owner()) && x.party().equals(y.party()) && x.pool().equals(y.pool());
  }

  private int indexOfSameRequest(Acquire a) {
    for (int i = 0; i < waiting.size(); i++) {
      if (sameRequest(waiting.get(i), a)) {
        return i;
      }
    }
    return -1;
  }

  /** Index in the pool of a station the owner may take now (its own first, else a free one), or -1. */
  private int freeStation(Acquire a) {
    int n = a.pool().size();
    for (int i = 0; i < n; i++) {
      Holder holder = holders.get(a.pool().get(i));
      if (holder != null && holder.owner().equals(a.owner()) && !quarantined.containsKey(a.pool().get(i))) {
        return i; // asked again for what it holds: the same station
      }
    }
    int start = lastGranted.getOrDefault(a.pool(), -1) + 1;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      String r = a.pool().get(i);
      Holder holder = holders.get(r);
      if (!quarantined.containsKey(r) && (holder == null || holder.owner().equals(a.owner()))) {
        return i;
      }
    }
    return -1;
  }

  private boolean outOfService(Acquire a) {
    return a.pool().stream().allMatch(quarantined::containsKey);
  }

  private void grant(Acquire a, int index) {
    String r = a.pool().get(index);
    book.hold(new Hold(r, a.owner(), a.party())); // before the grant is told: a restarted table knows it
    holders.put(r, new Holder(a.owner(), a.party()));
    lastGranted.put(a.pool(), index);
    lastServed.put(a.party(), ++grants);
    a.replyTo().tell(new Granted(r, a.owner()));
  }

  private void deny(Acquire a) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    a.pool().forEach(station -> out.put(station, quarantined.get(station)));
    a.replyTo().tell(new Denied(a.owner(), "every station of " + a.pool() + " is out of service: "
        + quarantined, Map.copyOf(out)));
  }

  private Behavior<Command> onRelease(Release r) {
    Holder holder = holders.get(r.resource());
    if (holder != null && r.owner().equals(holder.owner())) {
      book.free(r.resource());
      holders.remove(r.resource());
      serveWaiting();
    }
    return this;
  }

  private Behavior<Command> onReleaseParty(ReleaseParty p) {
    waiting.removeIf(a -> a.party().equals(p.party()));
    List<String> freed = new java.util.ArrayList<>();
    holders.forEach((station, holder) -> {
      if (holder.party().equals(p.party()) && !quarantined.containsKey(station)) {
        freed.add(station);
      }
    });
    freed.forEach(station -> {
      book.free(station);
      holders.remove(station);
    });
    if (!freed.isEmpty()) {
      getContext().getLog().info("campaign {} ended holding {}: free again", p.party(), freed);
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
    boolean wasOut = quarantined.remove(r.resource()) != null;
    if (r.replyTo() != null) {
      r.replyTo().tell(wasOut);
    }
    if (wasOut) {
      // Whatever held it failed; the operator has emptied it.
      book.free(r.resource());
      holders.remove(r.resource());
      getContext().getLog().info("station {} back in service", r.resource());
      serveWaiting();
    }
    return this;
  }

  /**
   * Denies the waiters whose pool is now entirely out of service, then hands free stations out:
   * each time to the grantable request of the party served least recently, earliest first.
   */
  private void serveWaiting() {
    for (var it = waiting.iterator(); it.hasNext();) {
      Acquire a = it.next();
      if (outOfService(a)) {
        it.remove();
        deny(a);
      }
    }
    while (true) {
      Acquire next = null;
      int nextStation = -1;
      for (Acquire a : waiting) {
        if (next != null && lastServed.getOrDefault(a.party(), 0L) >= lastServed.getOrDefault(next.party(), 0L)) {
          continue;
        }
        int free = freeStation(a);
        if (free >= 0) {
          next = a;
          nextStation = free;
        }
      }
      if (next == null) {
        return;
      }
      waiting.remove(next);
      grant(next, nextStation);
    }
  }
}
