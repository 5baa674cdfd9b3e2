package org.ionloop.instruments.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ionloop.ErrorCode;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentProbes;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.InstrumentState;
import org.ionloop.sim.Ports;
import org.ionloop.sim.SimFurnace;
import org.ionloop.sim.VirtualBench;
import org.junit.jupiter.api.Test;

/** A Modbus device that disappears mid-command: retries with backoff, then FAULT with a reason. */
class ModbusFaultIT {
  @Test
  void aVanishedFurnaceFailsTheCommandWithAReasonAndGoesFault() throws Exception {
    ActorTestKit kit = ActorTestKit.create();
    try {
      int port = Ports.free();
      SimFurnace furnace = new SimFurnace("furnace-1", port, new VirtualBench(), 700, 1e-3);
      TcpCable cable = new TcpCable(port);
      InstrumentSpec spec = InstrumentSpec.load(Path.of("instruments/furnace-1.yaml"))
          .withModbusEndpoint("127.0.0.1", cable.port(), Duration.ofMillis(10));
      var instrument = kit.spawn(Instrument.create(spec, new ModbusTransport(spec.id(), spec.modbus())));
      TestProbe<Instrument.Event> probe = kit.createTestProbe();
      // A 5 h dwell at 1e-3 time scale lasts 18 s: long enough to pull the plug during it.
      instrument.tell(new Instrument.Execute("f-1", "anneal", Map.of("setpoint_c", 500.0,
          "ramp_c_per_min", 10.0, "dwell_min", 300.0), Duration.ofMinutes(2), probe.getRef()));
      probe.expectMessage(Duration.ofSeconds(10), new Instrument.Accepted("f-1"));
      cable.unplug(); // the device accepted the anneal and is gone mid-dwell
      furnace.close();
      Instrument.Event end = InstrumentProbes.awaitEnd(probe, Duration.ofSeconds(20));
      assertTrue(end instanceof Instrument.Failed, end.toString());
      Instrument.Failed f = (Instrument.Failed) end;
      assertEquals(ErrorCode.INSTRUMENT_ERROR, f.code());
      assertTrue(f.message().contains("MODBUS_UNREACHABLE") && f.message().contains("after 5 attempts"),
          f.message());
      TestProbe<Instrument.Description> describe = kit.createTestProbe();
      instrument.tell(new Instrument.Describe(describe.getRef()));
      assertEquals(InstrumentState.FAULT, describe.receiveMessage().state());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
