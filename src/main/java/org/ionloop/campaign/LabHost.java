package org.ionloop.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ionloop.instruments.Instrument;
import org.ionloop.protocols.ResourceLocks;

/**
 * Root of a lab that runs several campaigns at once: one driver per instrument (a device has one
 * master, whichever campaign sends it a command), one lock table for all stations (a station is
 * reserved per experiment across campaigns, shared ones go round-robin between campaigns, a
 * station out of service is out for all), and a {@link CampaignHost} per running campaign.
 * Campaign state, recovery and steering stay per campaign, in its host.
 *
 * <pre>
 *   Start ──▶ refused (an instrument bound differently, a cycle of waits) │ CampaignHost spawned
 *   a host stops ──▶ its campaign's reservations are dropped, drivers no campaign binds stop,
 *                    its future completes
 * </pre>
 */
public final class LabHost extends AbstractBehavior<LabHost.Command> {
  public sealed interface Command {}

  /**
   * Run a campaign on the lab. The reply is the campaign's host (operator commands go to it) or
   * the reason it cannot run beside the others; {@code ended} completes when the host stops.
   */
  public record Start(CampaignHost.Plan plan, CompletableFuture<Void> ended,
      ActorRef<akka.pattern.StatusReply<ActorRef<Object>>> replyTo) implements Command {}

  /** The lab's instrument drivers by id: those the running campaigns bind. */
  public record Drivers(ActorRef<Map<String, ActorRef<Instrument.Command>>> replyTo) implements Command {}

  private record HostStopped(String campaignId) implements Command {}

  private record Hosted(StationOrder order, CompletableFuture<Void> ended) {}

  private final String brokerUrl;
  private final ActorRef<ResourceLocks.Command> locks;
  private final SharedDrivers drivers;
  private final Map<String, Hosted> campaigns = new LinkedHashMap<>();

  /**
   * @param clientTag distinguishes this lab's MQTT client ids from another orchestrator's
   */
  public static Behavior<Command> create(String brokerUrl, String clientTag) {
    return create(brokerUrl, clientTag, Map.of());
  }

  /**
   * @param outOfService stations out of service when the lab starts (by the event log: taken out
   *                     by a campaign of an earlier run and not returned), and why
   */
  public static Behavior<Command> create(String brokerUrl, String clientTag, Map<String, String> outOfService) {
    return Behaviors.setup(ctx -> new LabHost(ctx, brokerUrl, clientTag, outOfService));
  }

  private LabHost(ActorContext<Command> ctx, String brokerUrl, String clientTag, Map<String, String> outOfService) {
    super(ctx);
    this.brokerUrl = brokerUrl;
    this.drivers = new SharedDrivers(clientTag);
    this.locks = ctx.spawn(ResourceLocks.create(), "locks");
    // A station stays out of service until an operator returns it, across restarts of the server:
    // a sample may still be inside, or the fault that took it out is still there.
    outOfService.forEach((station, why) -> locks.tell(new ResourceLocks.Quarantine(station, why)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(HostStopped.class, this::onHostStopped)
        .onMessage(Drivers.class, d -> {
          d.replyTo().tell(Map.copyOf(drivers.all()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onStart(Start s) {
    CampaignHost.Plan plan = s.plan();
    StationOrder order = StationOrder.of(plan.protocol(), plan.spec().instruments());
    Optional<String> refusal = drivers.conflict(plan.instruments().values(), brokerUrl)
        .or(() -> cycleWithRunning(plan.campaignId(), order));
    if (refusal.isPresent()) {
      s.replyTo().tell(akka.pattern.StatusReply.error(refusal.get()));
      return this;
    }
    Map<String, ActorRef<Instrument.Command>> bound = drivers.bind(getContext(), plan.campaignId(),
        plan.instruments().values(), brokerUrl);
    ActorRef<Object> host = getContext().spawn(
        CampaignHost.create(plan, new CampaignHost.Shared(bound, locks)),
        "campaign-" + plan.campaignId());
    getContext().watchWith(host, new HostStopped(plan.campaignId()));
    campaigns.put(plan.campaignId(), new Hosted(order, s.ended()));
    s.replyTo().tell(akka.pattern.StatusReply.success(host));
    return this;
  }

  private Optional<String> cycleWithRunning(String campaignId, StationOrder order) {
    if (campaigns.isEmpty()) {
      return Optional.empty();
    }
    List<StationOrder> orders = new java.util.ArrayList<>();
    campaigns.values().forEach(h -> orders.add(h.order()));
    orders.add(order);
    return StationOrder.cycle(orders).map(loop -> "campaign " + campaignId + " takes stations in an"
        + " order that can deadlock with campaign(s) " + String.join(", ", campaigns.keySet())
        + " (each holding one while waiting for the next: " + String.join(" -> ", loop)
        + "); start it when they have ended");
  }

  private Behavior<Command> onHostStopped(HostStopped h) {
    Hosted hosted = campaigns.remove(h.campaignId());
    // A host that stopped abnormally may leave reservations; no experiment of it will release them.
    locks.tell(new ResourceLocks.ReleaseParty(h.campaignId()));
    // A driver no running campaign binds is stopped: an idle lab holds no connections, and the
    // next campaign that binds the instrument connects afresh (with its own configuration).
    drivers.release(getContext(), h.campaignId());
    if (hosted != null) {
      hosted.ended().complete(null);
    }
    return this;
  }
}
