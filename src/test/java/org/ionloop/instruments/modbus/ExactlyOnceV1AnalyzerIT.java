package org.ionloop.instruments.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.sim.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once on an impedance analyzer that implements wire contract v1 and nothing more (an
 * independent pymodbus peer without job registers, {@code peers/pymodbus_analyzer_v1.py}), as
 * its own log of sweeps shows: a sweep re-sent while the analyzer still sweeps it is followed and
 * its spectrum read; one re-sent after it finished is a question for the operator, not a second
 * measurement.
 */
class ExactlyOnceV1AnalyzerIT {
  static final Map<String, Object> SWEEP_60 = Map.of("start_hz", 1.0e6, "end_hz", 0.1, "points_per_decade", 10,
      "amplitude_mv", 10.0, "cell_temperature_c", 60.0);
  @TempDir
  Path dir;
  private Process peer;
  private int port;
  private Path deviceLog;

  void startAnalyzer(String sweepSeconds) throws Exception {
    port = Ports.free();
    deviceLog = dir.resolve("analyzer.log");
    peer = IndependentPeersIT.startPeer("pymodbus_analyzer_v1.py", port, dir.resolve("peer.out"),
        deviceLog.toString(), "--sweep-seconds", sweepSeconds);
  }

  @AfterEach
  void stop() throws Exception {
    if (peer != null) {
      peer.destroy();
      peer.waitFor(5, TimeUnit.SECONDS);
    }
  }

  ModbusTransport driver(LinkedBlockingQueue<InstrumentEvent> events) throws Exception {
    return ModbusTransportIT.connect(port, "impedance-v1", events);
  }

  @Test
  void aSweepReSentWhileTheAnalyzerSweepsIsFollowedAndItsSpectrumRead() throws Exception {
    startAnalyzer("3");
    var first = new LinkedBlockingQueue<InstrumentEvent>();
    ModbusTransport crashed = driver(first);
    crashed.send(new InstrumentCommand("e003:eis:60C", "eis_sweep", SWEEP_60, Duration.ofMinutes(1)));
    assertTrue(ExactlyOnceV1IT.awaitFirst(first, InstrumentEvent.Ack.class) instanceof InstrumentEvent.Ack);
    crashed.close(); // the orchestrator dies mid-sweep

    var events = new LinkedBlockingQueue<InstrumentEvent>();
    try (ModbusTransport recovered = driver(events)) {
      recovered.send(new InstrumentCommand("e003:eis:60C", "eis_sweep", SWEEP_60, Duration.ofMinutes(1), true));
      InstrumentEvent end = ModbusTransportIT.awaitEnd(events);
      assertTrue(end instanceof InstrumentEvent.Done d && ((List<?>) d.result().get("points")).size() == 71, end.toString());
      assertEquals(60.0, ((Number) ((InstrumentEvent.Done) end).result().get("temperature_c")).doubleValue(), 0.01);
    }
    assertEquals(List.of("sweep 60.00"), Files.readAllLines(deviceLog), "the analyzer swept once");
  }

  @Test
  void aClosedDriverStopsDrivingTheDevice() throws Exception {
    startAnalyzer("1.5");
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    ModbusTransport closed = driver(events);
    closed.send(new InstrumentCommand("e003:eis:60C", "eis_sweep", SWEEP_60, Duration.ofMinutes(1)));
    assertTrue(ExactlyOnceV1IT.awaitFirst(events, InstrumentEvent.Ack.class) instanceof InstrumentEvent.Ack);
    closed.close(); // while the cell settles: the sweep that would follow must not be written
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (status() != 0) { // settled, as the device itself reports
      assertTrue(System.nanoTime() < until, "the analyzer did not settle");
      Thread.sleep(20);
    }
    Thread.sleep(2000); // a driver still running writes the sweep once it reads the settled cell (< 1 s here)
    assertEquals(List.of(), Files.readAllLines(deviceLog), "a closed driver started a sweep");
  }

  private int status() throws Exception {
    var m = new com.ghgande.j2mod.modbus.facade.ModbusTCPMaster("127.0.0.1", port);
    m.connect();
    try {
      return m.readInputRegisters(1, 0, 1)[0].getValue();
    } finally {
      m.disconnect();
    }
  }

  @Test
  void aSweepReSentAfterTheAnalyzerFinishedIsAQuestionForTheOperator() throws Exception {
    startAnalyzer("0.3");
    var events = new LinkedBlockingQueue<InstrumentEvent>();
    try (ModbusTransport t = driver(events)) {
      t.send(new InstrumentCommand("e003:eis:60C", "eis_sweep", SWEEP_60, Duration.ofMinutes(1)));
      assertTrue(ModbusTransportIT.awaitEnd(events) instanceof InstrumentEvent.Done);
    }
    var again = new LinkedBlockingQueue<InstrumentEvent>();
    try (ModbusTransport recovered = driver(again)) {
      recovered.send(new InstrumentCommand("e003:eis:60C", "eis_sweep", SWEEP_60, Duration.ofMinutes(1), true));
      InstrumentEvent end = ModbusTransportIT.awaitEnd(again);
      assertTrue(end instanceof InstrumentEvent.Error err && err.code().equals(Instrument.OUTCOME_UNKNOWN)
          && err.message().contains("finished sweep") && err.message().contains("60 °C")
          && err.message().contains("e003:eis:60C"), end.toString());
    }
    assertEquals(List.of("sweep 60.00"), Files.readAllLines(deviceLog), "nothing was swept again");
  }
}
