package org.ionloop.instruments.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.Ports;
import org.ionloop.sim.SimAnalyzer;
import org.ionloop.sim.SimFurnace;
import org.ionloop.sim.VirtualBench;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Modbus transport against the simulated furnace and analyzer over real TCP on loopback. */
class ModbusTransportIT {
  static final VirtualBench BENCH = new VirtualBench();
  static SimFurnace furnace;
  static SimAnalyzer analyzer;

  @BeforeAll
  static void start() throws Exception {
    furnace = new SimFurnace("furnace-1", Ports.free(), BENCH, 700, 1e-5);
    analyzer = new SimAnalyzer("eis-1", Ports.free(), BENCH, new SplittableRandom(2), 1e-5);
  }

  @AfterAll
  static void stop() {
    furnace.close();
    analyzer.close();
  }

  static ModbusTransport connect(int port, String profile, LinkedBlockingQueue<InstrumentEvent> events)
      throws Exception {
    return connect(new InstrumentSpec.Modbus("127.0.0.1", port, 1, profile, Duration.ofMillis(5)), events);
  }

  /** A driver with the register map of an instrument file (the lab's furnaces declare job tags). */
  static ModbusTransport connect(int port, Path instrumentFile, LinkedBlockingQueue<InstrumentEvent> events)
      throws Exception {
    var m = InstrumentSpec.load(instrumentFile).modbus();
    return connect(new InstrumentSpec.Modbus("127.0.0.1", port, 1, m.profile(), Duration.ofMillis(5),
        m.registers()), events);
  }

  static ModbusTransport connect(InstrumentSpec.Modbus config, LinkedBlockingQueue<InstrumentEvent> events)
      throws Exception {
    var t = new ModbusTransport("dut", config);
    t.onEvent(events::add);
    t.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return t;
  }

  static InstrumentEvent awaitEnd(LinkedBlockingQueue<InstrumentEvent> events) throws Exception {
    while (true) {
      InstrumentEvent e = events.poll(20, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no done/error within 20 s");
      }
      if (e instanceof InstrumentEvent.Done || e instanceof InstrumentEvent.Error) {
        return e;
      }
    }
  }

  @Test
  void annealRunsToDoneAndTheSampleInsideIsAnnealed() throws Exception {
    var sample = BENCH.create("m-1", Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25));
    BENCH.move(sample, "furnace-1");
    int before = BENCH.executions("furnace-1", "anneal");
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(furnace.port(), Path.of("instruments/furnace-1.yaml"), events)) {
      t.send(new InstrumentCommand("a1", "anneal", Map.of("setpoint_c", 550.0, "ramp_c_per_min", 5.0,
          "dwell_min", 60.0), Duration.ofMinutes(1)));
      InstrumentEvent end = awaitEnd(events);
      assertTrue(end instanceof InstrumentEvent.Done, end.toString());
      assertEquals(550.0, ((Number) ((InstrumentEvent.Done) end).result().get("setpoint_c")).doubleValue());
      assertEquals(before + 1, BENCH.executions("furnace-1", "anneal"));
    }
    BENCH.move(sample, "storage");
  }

  @Test
  void aReSentAnnealATaggedFurnaceDidNotRunIsSentNotAskedAbout() throws Exception {
    // The furnace has job registers: its tag says the finished 540 °C program was a2's, so a
    // re-sent a3 at the same setpoint never reached it and runs (a v1 furnace would be asked about).
    var sample = BENCH.create("m-resent", Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25));
    BENCH.move(sample, "furnace-1");
    int before = BENCH.executions("furnace-1", "anneal");
    Map<String, Object> anneal = Map.of("setpoint_c", 540.0, "ramp_c_per_min", 5.0, "dwell_min", 60.0);
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(furnace.port(), Path.of("instruments/furnace-1.yaml"), events)) {
      t.send(new InstrumentCommand("a2", "anneal", anneal, Duration.ofMinutes(1)));
      assertTrue(awaitEnd(events) instanceof InstrumentEvent.Done);
      t.send(new InstrumentCommand("a3", "anneal", anneal, Duration.ofMinutes(1), true));
      InstrumentEvent end = awaitEnd(events);
      assertTrue(end instanceof InstrumentEvent.Done, end.toString());
      assertEquals(before + 2, BENCH.executions("furnace-1", "anneal"));
    }
    BENCH.move(sample, "storage");
  }

  @Test
  void furnaceOwnProtectionFaultsAboveItsMaximum() throws Exception {
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(furnace.port(), "furnace-v1", events)) {
      // The reference map's wider limit lets 900 °C past the driver on purpose: the device must refuse.
      t.send(new InstrumentCommand("hot", "anneal", Map.of("setpoint_c", 900.0, "ramp_c_per_min", 5.0,
          "dwell_min", 1.0), Duration.ofMinutes(1)));
      InstrumentEvent end = awaitEnd(events);
      assertTrue(end instanceof InstrumentEvent.Error e && e.message().contains("alarm code 2"), end.toString());
      t.send(new InstrumentCommand("reset", "stop", Map.of(), Duration.ofMinutes(1)));
      awaitEnd(events);
    }
  }

  @Test
  void aWriteBeyondTheRegisterLimitIsRefusedBeforeTheWire() throws Exception {
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    var map = InstrumentSpec.load(java.nio.file.Path.of("instruments/furnace-1.yaml")).modbus().registers();
    int before = BENCH.executions("furnace-1", "anneal");
    try (var t = new ModbusTransport("dut", new InstrumentSpec.Modbus("127.0.0.1", furnace.port(), 1,
        "furnace-v1", Duration.ofMillis(5), map))) {
      t.onEvent(events::add);
      t.connect().toCompletableFuture().get(5, TimeUnit.SECONDS);
      t.send(new InstrumentCommand("too-hot", "anneal", Map.of("setpoint_c", 800.0, "ramp_c_per_min", 5.0,
          "dwell_min", 1.0), Duration.ofMinutes(1)));
      InstrumentEvent end = awaitEnd(events);
      assertTrue(end instanceof InstrumentEvent.Error e && e.code().equals("REGISTER_REFUSED")
          && e.message().contains("setpoint_c = 800.0"), end.toString());
    }
    assertEquals(before, BENCH.executions("furnace-1", "anneal"), "nothing may reach the furnace");
  }

  @Test
  void sweepReadsTheWholeSpectrumInChunks() throws Exception {
    var sample = BENCH.create("m-2", Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25));
    sample.pressed(1.0, 10.0);
    BENCH.move(sample, "eis-1");
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(analyzer.port(), Path.of("instruments/eis-1.yaml"), events)) {
      t.send(new InstrumentCommand("s1", "eis_sweep", Map.of("start_hz", 1e6, "end_hz", 0.1,
          "points_per_decade", 10, "amplitude_mv", 10, "cell_temperature_c", 50.0), Duration.ofMinutes(1)));
      InstrumentEvent end = awaitEnd(events);
      assertTrue(end instanceof InstrumentEvent.Done, end.toString());
      Map<String, Object> r = ((InstrumentEvent.Done) end).result();
      List<?> points = (List<?>) r.get("points");
      assertEquals(71, points.size(), "71 points need 426 registers, i.e. four chunks of ≤ 120");
      assertEquals(50.0, ((Number) r.get("temperature_c")).doubleValue(), 0.5);
      assertEquals(1e6, ((Number) ((List<?>) points.get(0)).get(0)).doubleValue(), 1);
    }
    BENCH.move(sample, "storage");
  }

  /**
   * What a restarted orchestrator does: a second driver (a new process) sends a command with the
   * id the first already sent. The device's job tag says it was accepted, so the driver follows
   * the run to its end instead of starting it again: one physical anneal, one sweep.
   */
  @Test
  void aCommandResentWithItsOriginalIdAfterARestartRunsOnce() throws Exception {
    var reset = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(furnace.port(), Path.of("instruments/furnace-1.yaml"), reset)) { // clear a fault an earlier test left
      t.send(new InstrumentCommand("m-3:reset", "stop", Map.of(), Duration.ofMinutes(1)));
      awaitEnd(reset);
    }
    var sample = BENCH.create("m-3", Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25));
    sample.pressed(1.0, 10.0);
    BENCH.move(sample, "furnace-1");
    int anneals = BENCH.executions("furnace-1", "anneal");
    var anneal = new InstrumentCommand("m-3:anneal", "anneal", Map.of("setpoint_c", 500.0,
        "ramp_c_per_min", 5.0, "dwell_min", 60.0), Duration.ofMinutes(1));
    var first = new LinkedBlockingQueue<InstrumentEvent>();
    Path furnaceFile = Path.of("instruments/furnace-1.yaml");
    try (var t = connect(furnace.port(), furnaceFile, first)) {
      t.send(anneal); // the orchestrator "dies" after the furnace accepted the run
      while (!(first.poll(20, TimeUnit.SECONDS) instanceof InstrumentEvent.Ack)) { }
    }
    var second = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(furnace.port(), furnaceFile, second)) {
      t.send(new InstrumentCommand(anneal.commandId(), anneal.action(), anneal.params(), anneal.deadline(), true));
      InstrumentEvent end = awaitEnd(second);
      assertTrue(end instanceof InstrumentEvent.Done, end.toString());
    }
    assertEquals(anneals + 1, BENCH.executions("furnace-1", "anneal"), "one physical anneal");
    var fresh = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(furnace.port(), furnaceFile, fresh)) {
      t.send(new InstrumentCommand("m-3:anneal-again", "anneal", anneal.params(), Duration.ofMinutes(1)));
      assertTrue(awaitEnd(fresh) instanceof InstrumentEvent.Done);
    }
    assertEquals(anneals + 2, BENCH.executions("furnace-1", "anneal"), "a new id is a new anneal");

    BENCH.move(sample, "eis-1");
    int sweeps = BENCH.executions("eis-1", "eis_sweep");
    var sweep = new InstrumentCommand("m-3:eis:25C", "eis_sweep", Map.of("start_hz", 1e6, "end_hz", 0.1,
        "points_per_decade", 10, "amplitude_mv", 10, "cell_temperature_c", 25.0), Duration.ofMinutes(1));
    var done = new LinkedBlockingQueue<InstrumentEvent>();
    Path analyzerFile = Path.of("instruments/eis-1.yaml");
    try (var t = connect(analyzer.port(), analyzerFile, done)) {
      t.send(sweep);
      assertTrue(awaitEnd(done) instanceof InstrumentEvent.Done);
    }
    var again = new LinkedBlockingQueue<InstrumentEvent>();
    try (var t = connect(analyzer.port(), analyzerFile, again)) {
      // reply lost in the crash: the spectrum is read again, not measured again
      t.send(new InstrumentCommand(sweep.commandId(), sweep.action(), sweep.params(), sweep.deadline(), true));
      InstrumentEvent end = awaitEnd(again);
      assertTrue(end instanceof InstrumentEvent.Done, end.toString());
      assertEquals(71, ((List<?>) ((InstrumentEvent.Done) end).result().get("points")).size());
    }
    assertEquals(sweeps + 1, BENCH.executions("eis-1", "eis_sweep"), "one physical sweep");
    BENCH.move(sample, "storage");
  }
}
