package org.ionloop.store;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Serialises all writes to the store. Spawn it on the blocking IO dispatcher
 * ({@code ionloop.dispatchers.store}): every message is a JDBC transaction.
 *
 * <p>Nothing is acknowledged that is not committed. A write that fails (the database went away,
 * the disk is full) is kept, with everything after it, in order, and retried with backoff; a
 * {@link Sync} behind it is answered only once all of it is committed, so the lab, which waits on
 * syncs before every physical step, never gets ahead of the log recovery relies on. Whoever
 * watches the store's {@link Health} hears when it starts failing (with the error) and when it
 * has caught up.
 */
public final class Store extends AbstractBehavior<Store.Command> {

  public sealed interface Command {}

  /** Append one record (fire and forget; order is preserved per sender). */
  public record Write(StoreRecord record) implements Command {}

  /** Append records in one transaction: all of them or none survive a crash. */
  public record WriteAll(java.util.List<StoreRecord> records) implements Command {}

  /** Replies once every earlier write has been committed. */
  public record Sync(ActorRef<Synced> replyTo) implements Command {}

  /** Reply to {@link Sync}. */
  public enum Synced { INSTANCE }

  /** The store's state for its watcher: failing (with why), or caught up again. */
  public record Health(boolean ok, String error, int waiting) {}

  private enum Retry implements Command { INSTANCE }

  static final Duration FIRST_RETRY = Duration.ofMillis(200);
  static final Duration LAST_RETRY = Duration.ofSeconds(5);

  private final CampaignRepository repository;
  private final ActorRef<Health> watcher;
  private final java.util.function.Consumer<StoreRecord> committed;
  private final TimerScheduler<Command> timers;
  /** Writes and syncs not yet done, oldest first; non-empty only while the store fails. */
  private final Deque<Command> backlog = new ArrayDeque<>();
  private Duration nextRetry = FIRST_RETRY;

  public static Behavior<Command> create(CampaignRepository repository) {
    return create(repository, null);
  }

  /** @param watcher told when writes start failing and when they are committed again (may be null) */
  public static Behavior<Command> create(CampaignRepository repository, ActorRef<Health> watcher) {
    return create(repository, watcher, r -> { });
  }

  /**
   * @param committed told each record once it is committed, on the store's thread: it must not
   *                  block (a notifier queues); what it throws is logged and ignored
   */
  public static Behavior<Command> create(CampaignRepository repository, ActorRef<Health> watcher,
      java.util.function.Consumer<StoreRecord> committed) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Store(ctx, repository, watcher, committed,
        timers)));
  }

  private Store(ActorContext<Command> ctx, CampaignRepository repository, ActorRef<Health> watcher,
      java.util.function.Consumer<StoreRecord> committed, TimerScheduler<Command> timers) {
    super(ctx);
    this.repository = repository;
    this.watcher = watcher;
    this.committed = committed;
    this.timers = timers;
  }

  /** Hands committed records to {@code committed}, which must never fail the store. */
  private void announceCommitted(java.util.List<StoreRecord> records) {
    for (StoreRecord r : records) {
      try {
        committed.accept(r);
      } catch (RuntimeException e) {
        getContext().getLog().warn("after committing {}: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::enqueue)
        .onMessage(WriteAll.class, this::enqueue)
        .onMessage(Sync.class, this::enqueue)
        .onMessageEquals(Retry.INSTANCE, this::drain)
        .build();
  }

  private Behavior<Command> enqueue(Command c) {
    backlog.add(c);
    return backlog.size() == 1 ? drain() : this; // else a retry is scheduled already
  }

  /** Does the backlog in order; stops at the first failure and schedules a retry. */
  private Behavior<Command> drain() {
    boolean wasFailing = !nextRetry.equals(FIRST_RETRY);
    while (!backlog.isEmpty()) {
      Command c = backlog.peek();
      try {
        if (c instanceof Write w) {
          repository.append(w.record());
          announceCommitted(java.util.List.of(w.record()));
        } else if (c instanceof WriteAll w) {
          repository.appendAll(w.records());
          announceCommitted(w.records());
        } else if (c instanceof Sync s) {
          s.replyTo().tell(Synced.INSTANCE);
        }
        backlog.poll();
      } catch (RuntimeException e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        getContext().getLog().error("store write failed, kept with {} more and retried in {} ms: {}",
            backlog.size() - 1, nextRetry.toMillis(), error);
        if (!wasFailing && watcher != null) {
          watcher.tell(new Health(false, error, backlog.size()));
        }
        timers.startSingleTimer(Retry.INSTANCE, nextRetry);
        nextRetry = nextRetry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextRetry.multipliedBy(2);
        return this;
      }
    }
    if (wasFailing) {
      getContext().getLog().info("store writes committed again");
      nextRetry = FIRST_RETRY;
      if (watcher != null) {
        watcher.tell(new Health(true, null, 0));
      }
    }
    return this;
  }
}
