package org.ionloop.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import java.util.Collection;
import java.util.Map;
import org.ionloop.campaign.CampaignHost;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;

/**
 * Instruments served to the cluster by a node near them (an edge machine on the furnaces'
 * network): one driver each, registered with the cluster's receptionist under the instrument's
 * id. Campaigns on any orchestrator node send their commands to these drivers; a campaign that
 * moves to another node finds the same driver, which answers a command it already has from what
 * it knows (done, or running) instead of doing it again.
 */
public final class InstrumentGateway {
  private InstrumentGateway() {}

  /** The receptionist's key for the driver of {@code instrumentId}. */
  public static ServiceKey<Instrument.Command> keyFor(String instrumentId) {
    return ServiceKey.create(Instrument.Command.class, "instrument-" + instrumentId);
  }

  /**
   * @param clientTag makes this gateway's MQTT client ids unique (e.g. its cluster address)
   */
  public static Behavior<Void> create(Collection<InstrumentSpec> specs, String brokerUrl, String clientTag) {
    return Behaviors.setup(ctx -> {
      Map<String, ActorRef<Instrument.Command>> drivers =
          CampaignHost.spawnInstruments(ctx, specs, brokerUrl, clientTag);
      drivers.forEach((id, driver) -> ctx.getSystem().receptionist().tell(Receptionist.register(keyFor(id), driver)));
      return Behaviors.empty();
    });
  }
}
