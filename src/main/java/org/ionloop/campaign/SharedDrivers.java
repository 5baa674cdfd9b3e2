package org.ionloop.campaign;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;

/**
 * One driver per instrument for every campaign an actor hosts: a device has one master (a
 * Modbus device serves a handful of connections; two masters polling and writing the same
 * command registers is how a furnace gets a setpoint nobody meant), whichever campaign sends it
 * a command. Drivers are children of the owning actor; the one no campaign binds any more is
 * stopped, so an idle lab holds no connections and the next campaign connects afresh. Not an
 * actor itself: {@link LabHost} and {@link NodeDrivers} keep one each and call it from their
 * own message handlers only.
 */
final class SharedDrivers {
  private record Driven(InstrumentSpec spec, String brokerUrl, ActorRef<Instrument.Command> driver) {}

  private final String clientTag;
  private final Map<String, Driven> drivers = new HashMap<>();
  private final Map<String, Set<String>> boundBy = new HashMap<>();

  /** @param clientTag distinguishes the MQTT client ids of this process's drivers from another's */
  SharedDrivers(String clientTag) {
    this.clientTag = clientTag;
  }

  /** Why a campaign may not bind {@code instruments} here: one device, one configuration. */
  Optional<String> conflict(Collection<InstrumentSpec> instruments, String brokerUrl) {
    for (InstrumentSpec is : instruments) {
      Driven d = drivers.get(is.id());
      if (d != null && (!d.spec().equals(is) || !d.brokerUrl().equals(brokerUrl))) {
        return Optional.of("instrument " + is.id() + " is driven here with another configuration"
            + " (endpoint, clock, actions or broker); campaigns running together must bind it the same way");
      }
    }
    return Optional.empty();
  }

  /**
   * The drivers of {@code instruments} for {@code campaignId}, spawned under {@code ctx} where
   * none runs yet. Check {@link #conflict} first.
   */
  Map<String, ActorRef<Instrument.Command>> bind(ActorContext<?> ctx, String campaignId,
      Collection<InstrumentSpec> instruments, String brokerUrl) {
    Map<String, ActorRef<Instrument.Command>> bound = new HashMap<>();
    for (InstrumentSpec is : instruments) {
      Driven d = drivers.computeIfAbsent(is.id(), id -> new Driven(is, brokerUrl,
          CampaignHost.spawnInstruments(ctx, List.of(is), brokerUrl, clientTag).get(id)));
      bound.put(is.id(), d.driver());
    }
    boundBy.computeIfAbsent(campaignId, c -> new HashSet<>()).addAll(bound.keySet());
    return Map.copyOf(bound);
  }

  /** The campaign no longer runs here: the drivers no other campaign binds stop. */
  void release(ActorContext<?> ctx, String campaignId) {
    boundBy.remove(campaignId);
    Set<String> inUse = new HashSet<>();
    boundBy.values().forEach(inUse::addAll);
    drivers.entrySet().removeIf(d -> {
      if (inUse.contains(d.getKey())) {
        return false;
      }
      ctx.stop(d.getValue().driver());
      return true;
    });
  }

  /** Every running driver by instrument id, sorted. */
  Map<String, ActorRef<Instrument.Command>> all() {
    Map<String, ActorRef<Instrument.Command>> refs = new TreeMap<>();
    drivers.forEach((id, driven) -> refs.put(id, driven.driver()));
    return refs;
  }
}
