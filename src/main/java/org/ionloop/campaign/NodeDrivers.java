package org.ionloop.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;

/**
 * The instrument drivers of one orchestrator process for campaigns that are not its children
 * (a cluster node's sharded campaigns): one driver per instrument for all of them, as
 * {@link LabHost} has for the campaigns it hosts. A campaign binds its instruments when it starts
 * and releases them when it stops; one that stops without saying so (it failed, or was moved
 * off) is released when its actor terminates.
 *
 * <pre>
 *   Bind ──▶ refused (an instrument driven here with another configuration) │ drivers (spawned where missing)
 *   Release / the campaign's actor terminated ──▶ drivers no campaign binds stop
 * </pre>
 */
public final class NodeDrivers {
  public sealed interface Command {}

  /**
   * Bind {@code instruments} for {@code campaignId}; the reply is its drivers by id or why not.
   * {@code campaign} is watched: when it terminates, its instruments are released.
   */
  public record Bind(String campaignId, ActorRef<?> campaign, List<InstrumentSpec> instruments, String brokerUrl,
      ActorRef<StatusReply<Map<String, ActorRef<Instrument.Command>>>> replyTo) implements Command {}

  /** The campaign stopped here. */
  public record Release(String campaignId) implements Command {}

  /** Every driver running here by instrument id (the live lab view). */
  public record Drivers(ActorRef<Map<String, ActorRef<Instrument.Command>>> replyTo) implements Command {}

  /** A bound campaign's actor terminated (a new actor of the same campaign may have bound since). */
  private record CampaignGone(String campaignId, ActorRef<?> campaign) implements Command {}

  private NodeDrivers() {}

  /** @param clientTag makes this process's MQTT client ids unique (e.g. its cluster port) */
  public static Behavior<Command> create(String clientTag) {
    return Behaviors.setup(ctx -> {
      SharedDrivers drivers = new SharedDrivers(clientTag);
      Map<String, ActorRef<?>> watched = new java.util.HashMap<>(); // campaign id → the actor that bound
      return Behaviors.receive(Command.class)
          .onMessage(Bind.class, b -> {
            Optional<String> refusal = drivers.conflict(b.instruments(), b.brokerUrl());
            if (refusal.isPresent()) {
              b.replyTo().tell(StatusReply.error(refusal.get()));
              return Behaviors.same();
            }
            ActorRef<?> before = watched.put(b.campaignId(), b.campaign());
            if (before != null && !before.equals(b.campaign())) {
              ctx.unwatch(before);
            }
            if (!b.campaign().equals(before)) {
              ctx.watchWith(b.campaign(), new CampaignGone(b.campaignId(), b.campaign()));
            }
            b.replyTo().tell(StatusReply.success(drivers.bind(ctx, b.campaignId(), b.instruments(), b.brokerUrl())));
            return Behaviors.same();
          })
          .onMessage(Release.class, r -> {
            ActorRef<?> campaign = watched.remove(r.campaignId());
            if (campaign != null) {
              ctx.unwatch(campaign);
            }
            drivers.release(ctx, r.campaignId());
            return Behaviors.same();
          })
          .onMessage(CampaignGone.class, g -> {
            if (g.campaign().equals(watched.get(g.campaignId()))) {
              watched.remove(g.campaignId());
              drivers.release(ctx, g.campaignId());
            }
            return Behaviors.same();
          })
          .onMessage(Drivers.class, d -> {
            d.replyTo().tell(Map.copyOf(drivers.all()));
            return Behaviors.same();
          })
          .build();
    });
  }
}
