package org.ionloop.instruments.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.sim.Ports;
import org.ionloop.sim.SimFurnace;
import org.ionloop.sim.VirtualBench;
import org.junit.jupiter.api.Test;

/**
 * Against peers ionloop did not write: its Modbus driver drives a furnace written with Debian's
 * python3-pymodbus from the register map alone, and Debian's {@code mbpoll} master reads ionloop's
 * simulated furnace. Both tools are installed by the test command; a missing one fails the test.
 */
class IndependentPeersIT {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path MBPOLL = Path.of("/usr/bin/mbpoll");

  /** Starts {@code peers/SCRIPT PORT ARGS…} with Debian's python3, its output to {@code out}, and waits until it listens. */
  static Process startPeer(String script, int port, Path out, String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(PYTHON.toString(),
        "src/test/resources/peers/" + script, Integer.toString(port)));
    cmd.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    awaitPort(port, p);
    return p;
  }

  static void awaitPort(int port, Process p) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (!p.isAlive()) {
        throw new IllegalStateException("peer exited: " + new String(p.getInputStream().readAllBytes()));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("peer did not listen on " + port);
  }

  @Test
  void driverRunsAPymodbusFurnace() throws Exception {
    assertTrue(Files.isExecutable(PYTHON), "python3 is missing");
    int port = Ports.free();
    Process peer = new ProcessBuilder(PYTHON.toString(), "src/test/resources/peers/pymodbus_furnace.py",
        Integer.toString(port)).redirectErrorStream(true).start();
    try {
      awaitPort(port, peer);
      var events = new LinkedBlockingQueue<InstrumentEvent>();
      try (var t = ModbusTransportIT.connect(port, "furnace-v1", events)) {
        t.send(new InstrumentCommand("py-1", "anneal", Map.of("setpoint_c", 550.0, "ramp_c_per_min", 5.0,
            "dwell_min", 60.0), Duration.ofMinutes(1)));
        InstrumentEvent end = ModbusTransportIT.awaitEnd(events);
        assertTrue(end instanceof InstrumentEvent.Done, end.toString());
        assertEquals(550.0, ((Number) ((InstrumentEvent.Done) end).result().get("peak_temperature_c"))
            .doubleValue(), 0.01);
        t.send(new InstrumentCommand("py-2", "anneal", Map.of("setpoint_c", 900.0, "ramp_c_per_min", 5.0,
            "dwell_min", 1.0), Duration.ofMinutes(1)));
        InstrumentEvent fault = ModbusTransportIT.awaitEnd(events);
        assertTrue(fault instanceof InstrumentEvent.Error e && e.message().contains("alarm code 2"),
            fault.toString());
      }
    } finally {
      peer.destroy();
      peer.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void mbpollReadsTheSimulatedFurnace() throws Exception {
    assertTrue(Files.isExecutable(MBPOLL), "mbpoll is missing (apt-get install mbpoll)");
    try (var furnace = new SimFurnace("furnace-mb", Ports.free(), new VirtualBench(), 700, 1e-5)) {
      assertEquals(25.0, mbpoll(furnace.port(), "3:float", 1), 1e-6, "temperature °C at input 0–1");
      assertEquals(0.0, mbpoll(furnace.port(), "3", 3), 0, "status idle at input 2");
      var events = new LinkedBlockingQueue<InstrumentEvent>();
      try (var t = ModbusTransportIT.connect(furnace.port(), "furnace-v1", events)) {
        t.send(new InstrumentCommand("mb-1", "anneal", Map.of("setpoint_c", 450.0, "ramp_c_per_min", 5.0,
            "dwell_min", 10.0), Duration.ofMinutes(1)));
        assertTrue(ModbusTransportIT.awaitEnd(events) instanceof InstrumentEvent.Done);
      }
      assertEquals(4.0, mbpoll(furnace.port(), "3", 3), 0, "status done at input 2");
      assertEquals(450.0, mbpoll(furnace.port(), "4:float", 1), 1e-6, "setpoint °C at holding 0–1");
    }
  }

  /** One value read by mbpoll (reference 1-based, big-endian word order as in map v1). */
  static double mbpoll(int port, String type, int reference) throws Exception {
    Process p = new ProcessBuilder(MBPOLL.toString(), "-m", "tcp", "-a", "1", "-t", type, "-B", "-r",
        Integer.toString(reference), "-c", "1", "-1", "-p", Integer.toString(port), "127.0.0.1")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    Matcher m = Pattern.compile("\\[" + reference + "\\]:\\s+(\\S+)").matcher(out);
    assertTrue(m.find(), "mbpoll said: " + out);
    return Double.parseDouble(m.group(1));
  }
}
