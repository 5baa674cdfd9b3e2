package org.ionloop.campaign;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ionloop.store.OperatorCommands;
import org.ionloop.store.OperatorCommands.OperatorCommand;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;

/**
 * Carries out operator commands filed in the store ({@code ionloop campaign approve|reject|
 * pause|resume|stop|abort}) for the campaign this orchestrator runs: polls the inbox, hands each
 * command to the campaign, and writes back what came of it, so the operator's terminal can say.
 * Each command is also a {@code operator_command} event in the campaign's log.
 */
public final class OperatorInbox extends AbstractBehavior<OperatorInbox.Command> {

  public sealed interface Command {}

  private enum Poll implements Command { INSTANCE }

  private record Fetched(List<OperatorCommand> commands, Throwable failure) implements Command {}

  private record Answered(OperatorCommand command, String outcome) implements Command {}

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  private final String campaignId;
  private final OperatorCommands inbox;
  private final ActorRef<Campaign.Command> campaign;
  private final ActorRef<Store.Command> store;
  private final Executor io;
  private final java.util.Set<Long> inProgress = new java.util.HashSet<>();
  private boolean polling;

  public static Behavior<Command> create(String campaignId, OperatorCommands inbox,
      ActorRef<Campaign.Command> campaign, ActorRef<Store.Command> store, Executor io,
      Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Poll.INSTANCE, interval);
      return new OperatorInbox(ctx, campaignId, inbox, campaign, store, io);
    }));
  }

  private OperatorInbox(ActorContext<Command> ctx, String campaignId, OperatorCommands inbox,
      ActorRef<Campaign.Command> campaign, ActorRef<Store.Command> store, Executor io) {
    super(ctx);
    this.campaignId = campaignId;
    this.inbox = inbox;
    this.campaign = campaign;
    this.store = store;
    this.io = io;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Poll.INSTANCE, this::onPoll)
        .onMessage(Fetched.class, this::onFetched)
        .onMessage(Answered.class, this::onAnswered)
        .build();
  }

  private Behavior<Command> onPoll() {
    if (!polling) {
      polling = true;
      getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> inbox.pending(campaignId), io),
          Fetched::new);
    }
    return this;
  }

  private Behavior<Command> onFetched(Fetched f) {
    polling = false;
    if (f.failure() != null) {
      getContext().getLog().warn("cannot read operator commands: {}", f.failure().toString());
      return this;
    }
    for (OperatorCommand c : f.commands()) {
      if (!inProgress.add(c.id())) {
        continue;
      }
      if (!OperatorCommands.KINDS.contains(c.kind())) {
        getContext().getSelf().tell(new Answered(c, "unknown operator command '" + c.kind() + "'"));
        continue;
      }
      getContext().askWithStatus(Done.class, campaign, ANSWER_WITHIN,
          replyTo -> toCampaign(c, replyTo),
          (done, err) -> new Answered(c, err == null ? "ok" : err.getMessage()));
    }
    return this;
  }

  private Behavior<Command> onAnswered(Answered a) {
    OperatorCommand c = a.command();
    String outcome = a.outcome();
    CompletableFuture.runAsync(() -> inbox.handled(c.id(), outcome), io).whenComplete((ok, err) -> {
      if (err != null) {
        getContext().getSystem().log().warn("cannot record the outcome of operator command {}: {}",
            c.id(), err.toString());
      }
    });
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("kind", c.kind());
    payload.put("by", c.issuedBy());
    if (c.stepId() != null) {
      payload.put("step", c.stepId());
    }
    if (c.reason() != null) {
      payload.put("reason", c.reason());
    }
    payload.put("outcome", outcome);
    store.tell(new Store.Write(new StoreRecord.Event(campaignId, c.experimentId(), "operator_command",
        payload, Instant.now())));
    getContext().getLog().info("operator command {} {} by {}: {}", c.kind(),
        c.experimentId() == null ? "" : c.experimentId() + " " + c.stepId(), c.issuedBy(), outcome);
    return this;
  }

  private static Campaign.Command toCampaign(OperatorCommand c, ActorRef<StatusReply<Done>> reply) {
    String why = c.issuedBy() + (c.reason() == null ? "" : ": " + c.reason());
    return switch (c.kind()) {
      case "approve" -> new Campaign.Approve(c.experimentId(), c.stepId(), c.issuedBy(), reply);
      case "reject" -> new Campaign.Reject(c.experimentId(), c.stepId(), c.issuedBy(),
          c.reason() == null ? "no reason given" : c.reason(), reply);
      case "pause" -> new Campaign.Pause(reply);
      case "resume" -> new Campaign.Resume(reply);
      case "stop" -> new Campaign.Stop(why, reply);
      case "abort" -> new Campaign.Abort(why, reply);
      // For a release the step field names the station (the inbox keeps one target per command).
      case "release" -> new Campaign.ReleaseStation(c.stepId(), c.issuedBy(),
          c.reason() == null ? "no reason given" : c.reason(), reply);
      default -> throw new IllegalArgumentException("unknown operator command '" + c.kind() + "'");
    };
  }
}
