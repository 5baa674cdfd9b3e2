package org.ionloop.store;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;

/**
 * Serialises all writes to the store. Spawn it on the blocking IO dispatcher
 * ({@code ionloop.dispatchers.store}): every message is a JDBC transaction.
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

  private final CampaignRepository repository;

  public static Behavior<Command> create(CampaignRepository repository) {
    return Behaviors.setup(ctx -> new Store(ctx, repository));
  }

  private Store(ActorContext<Command> ctx, CampaignRepository repository) {
    super(ctx);
    this.repository = repository;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::onWrite)
        .onMessage(WriteAll.class, w -> {
          repository.appendAll(w.records());
          return this;
        })
        .onMessage(Sync.class, this::onSync)
        .build();
  }

  private Behavior<Command> onWrite(Write w) {
    repository.append(w.record());
    return this;
  }

  private Behavior<Command> onSync(Sync s) {
    s.replyTo().tell(Synced.INSTANCE);
    return this;
  }
}
