package org.ionloop.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster node's campaigns share one driver per instrument: twenty campaigns on a node used
 * to open twenty Modbus connections to each furnace of their pool, more than a device serves
 * (the simulators, like many devices, serve four), and the furnaces' anneals timed out for all
 * of them. A driver stops when the last campaign binding it stops, said or not.
 */
class NodeDriversTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final String BROKER = "tcp://127.0.0.1:1";

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void campaignsOnANodeShareOneDriverPerInstrumentUntilTheLastOneStops() throws Exception {
    InstrumentRegistry registry = InstrumentRegistry.load(Path.of("instruments"));
    int port = Ports.free(); // nothing listens: a driver exists and keeps trying, which is all this needs
    InstrumentSpec furnace = registry.find("furnace-1").orElseThrow()
        .withModbusEndpoint("127.0.0.1", port, Duration.ofMillis(500));
    ActorRef<NodeDrivers.Command> drivers = KIT.spawn(NodeDrivers.create("test"));
    TestProbe<Object> campaignA = KIT.createTestProbe();
    TestProbe<Object> campaignB = KIT.createTestProbe();

    ActorRef<Instrument.Command> a = bind(drivers, "a", campaignA, furnace).getValue().get("furnace-1");
    ActorRef<Instrument.Command> b = bind(drivers, "b", campaignB, furnace).getValue().get("furnace-1");
    assertEquals(a, b, "one driver, one connection, for both campaigns");

    InstrumentSpec elsewhere = furnace.withModbusEndpoint("127.0.0.1", Ports.free(), Duration.ofMillis(500));
    StatusReply<Map<String, ActorRef<Instrument.Command>>> refused =
        bind(drivers, "c", KIT.createTestProbe(), elsewhere);
    assertTrue(refused.isError() && refused.getError().getMessage().contains("furnace-1 is driven here with"
        + " another configuration"), String.valueOf(refused.getError()));

    drivers.tell(new NodeDrivers.Release("a"));
    assertEquals(Map.of("furnace-1", a), running(drivers), "b still binds it");

    TestProbe<Object> watcher = KIT.createTestProbe();
    campaignB.stop(); // b's actor stops without releasing (it failed, or its node handed it off)
    watcher.expectTerminated(a, Duration.ofSeconds(10));
    assertEquals(Map.of(), running(drivers), "no campaign binds furnace-1: its driver stopped");
  }

  private static StatusReply<Map<String, ActorRef<Instrument.Command>>> bind(ActorRef<NodeDrivers.Command> drivers,
      String campaignId, TestProbe<Object> campaign, InstrumentSpec spec) {
    TestProbe<StatusReply<Map<String, ActorRef<Instrument.Command>>>> reply = KIT.createTestProbe();
    drivers.tell(new NodeDrivers.Bind(campaignId, campaign.ref(), List.of(spec), BROKER, reply.ref()));
    return reply.receiveMessage(Duration.ofSeconds(10));
  }

  private static Map<String, ActorRef<Instrument.Command>> running(ActorRef<NodeDrivers.Command> drivers) {
    TestProbe<Map<String, ActorRef<Instrument.Command>>> reply = KIT.createTestProbe();
    drivers.tell(new NodeDrivers.Drivers(reply.ref()));
    return reply.receiveMessage(Duration.ofSeconds(10));
  }
}
