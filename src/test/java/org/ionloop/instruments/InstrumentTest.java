package org.ionloop.instruments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestKitJunitResource;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ionloop.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InstrumentTest {
  static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  static final ManualTime TIME = ManualTime.get(KIT.system());
  static final InstrumentSpec FURNACE = InstrumentSpec.load(Path.of("instruments/furnace-1.yaml"));

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  static Map<String, Object> anneal(double setpoint) {
    return Map.of("setpoint_c", setpoint, "ramp_c_per_min", 5, "dwell_min", 60);
  }

  @Test
  void rejectsSetpointAboveFurnaceLimitBeforeAnythingGoesOnTheWire() {
    FakeTransport wire = new FakeTransport();
    var furnace = KIT.spawn(Instrument.create(FURNACE, wire));
    TestProbe<Instrument.Event> probe = KIT.createTestProbe();
    furnace.tell(new Instrument.Execute("c1", "anneal", anneal(900), Duration.ofHours(1), probe.getRef()));
    Instrument.Failed f = probe.expectMessageClass(Instrument.Failed.class);
    assertEquals(ErrorCode.LIMIT, f.code());
    assertTrue(f.message().contains("setpoint_c = 900.0"), f.message());
    assertTrue(wire.sent.isEmpty());
  }

  @Test
  void runsOneCommandAtATimeAndIgnoresDuplicateEvents() {
    FakeTransport wire = new FakeTransport();
    var furnace = KIT.spawn(Instrument.create(FURNACE, wire));
    TestProbe<Instrument.Event> probe = KIT.createTestProbe();
    furnace.tell(new Instrument.Execute("a", "anneal", anneal(500), Duration.ofHours(1), probe.getRef()));
    furnace.tell(new Instrument.Execute("b", "anneal", anneal(550), Duration.ofHours(1), probe.getRef()));
    probe.awaitAssert(() -> {
      assertEquals(1, wire.sent.size());
      return null;
    });
    wire.emit(new InstrumentEvent.Ack("a"));
    wire.emit(new InstrumentEvent.Done("a", Map.of()));
    wire.emit(new InstrumentEvent.Done("a", Map.of())); // duplicate: harmless
    probe.expectMessage(new Instrument.Accepted("a"));
    probe.expectMessage(new Instrument.Completed("a", Map.of()));
    probe.awaitAssert(() -> {
      assertEquals(2, wire.sent.size());
      return null;
    });
    assertEquals("b", wire.sent.get(1).commandId());
    wire.emit(new InstrumentEvent.Error("b", "FURNACE_FAULT", "thermocouple open"));
    Instrument.Failed f = probe.expectMessageClass(Instrument.Failed.class);
    assertEquals(ErrorCode.INSTRUMENT_ERROR, f.code());
    probe.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aSilentInstrumentFailsTheCommandAtItsDeadline() {
    FakeTransport wire = new FakeTransport();
    var furnace = KIT.spawn(Instrument.create(FURNACE, wire));
    TestProbe<Instrument.Event> probe = KIT.createTestProbe();
    furnace.tell(new Instrument.Execute("slow", "anneal", anneal(500), Duration.ofMinutes(30), probe.getRef()));
    probe.awaitAssert(() -> {
      assertEquals(1, wire.sent.size());
      return null;
    });
    TIME.timePasses(Duration.ofMinutes(29));
    probe.expectNoMessage(Duration.ofMillis(50));
    TIME.timePasses(Duration.ofMinutes(2));
    Instrument.Failed f = probe.expectMessageClass(Instrument.Failed.class);
    assertEquals(ErrorCode.TIMEOUT, f.code());
    // a late answer after the deadline changes nothing
    wire.emit(new InstrumentEvent.Done("slow", Map.of()));
    probe.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void isStaleUntilItSpeaksAndFreshAfterwards() {
    FakeTransport wire = new FakeTransport();
    var furnace = KIT.spawn(Instrument.create(FURNACE, wire));
    TestProbe<Instrument.Description> probe = KIT.createTestProbe();
    furnace.tell(new Instrument.Describe(probe.getRef()));
    assertTrue(probe.receiveMessage().stale(), "never heard from");
    wire.emit(new InstrumentEvent.Ack("nobody")); // any word from the instrument counts
    probe.awaitAssert(() -> {
      furnace.tell(new Instrument.Describe(probe.getRef()));
      Instrument.Description d = probe.receiveMessage();
      assertTrue(!d.stale() && d.lastHeard() != null);
      return null;
    });
  }

  @Test
  void describesItself() {
    var furnace = KIT.spawn(Instrument.create(FURNACE, new FakeTransport()));
    TestProbe<Instrument.Description> probe = KIT.createTestProbe();
    probe.awaitAssert(() -> {
      furnace.tell(new Instrument.Describe(probe.getRef()));
      Instrument.Description d = probe.receiveMessage();
      assertEquals("furnace-1", d.spec().id());
      assertTrue(d.connected());
      return null;
    });
  }
}
