package org.ionloop.instruments.modbus;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.InstrumentState;
import org.ionloop.instruments.InstrumentTransport;

/**
 * Modbus TCP transport over j2mod for the v1 register maps (DESIGN §6). Each instance owns one
 * IO thread: register writes, status polling at the spec's interval and chunked spectrum reads
 * block there, never on an actor thread. Status registers become {@link InstrumentEvent}s.
 *
 * <p>Handshake: the device clears the command register when it accepts a command and updates
 * its status in the same scan; the transport waits for that before trusting the status, so a
 * stale "done" from the previous run is never mistaken for this one.
 */
public final class ModbusTransport implements InstrumentTransport {
  /** Largest read of the spectrum block, in registers (20 points of 6 registers). */
  public static final int MAX_CHUNK_REGISTERS = 120;
  private static final int FURNACE_COMMAND = 6;
  private static final int ANALYZER_COMMAND = 10;
  /** Attempts before a lost device is reported; backoff doubles from 100 ms. */
  private static final int RETRIES = 5;

  private final String instrument;
  private final InstrumentSpec.Modbus config;
  private final ExecutorService io;
  private ModbusTCPMaster master;
  private volatile Consumer<InstrumentEvent> events = e -> {};
  private volatile Consumer<InstrumentState> states = s -> {};
  private volatile InstrumentState state = InstrumentState.OFFLINE;

  public ModbusTransport(String instrument, InstrumentSpec.Modbus config) {
    this.instrument = instrument;
    this.config = config;
    this.io = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "modbus-" + instrument);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletionStage<Void> connect() {
    return CompletableFuture.runAsync(() -> {
      try {
        master = new ModbusTCPMaster(config.host(), config.port(), 3_000, true);
        master.connect();
        setState(InstrumentState.ONLINE);
      } catch (Exception e) {
        setState(InstrumentState.OFFLINE);
        throw new IllegalStateException("cannot reach " + config.host() + ":" + config.port()
            + ": " + e.getMessage(), e);
      }
    }, io);
  }

  @Override
  public CompletionStage<Void> send(InstrumentCommand command) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    io.execute(() -> {
      try {
        run(command, sent);
      } catch (ModbusUnreachableException e) {
        sent.complete(null);
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(command.commandId(), "MODBUS_UNREACHABLE", e.getMessage()));
      } catch (com.ghgande.j2mod.modbus.ModbusSlaveException e) {
        sent.complete(null);
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(command.commandId(), "MODBUS_EXCEPTION_"
            + e.getType(), "device answered with Modbus exception code " + e.getType()
            + " (" + e.getMessage() + ")"));
      } catch (Exception e) {
        sent.complete(null); // the command reached us; its failure is an event, not a send error
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(command.commandId(), "MODBUS",
            e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    });
    return sent;
  }

  private void run(InstrumentCommand c, CompletableFuture<Void> sent) throws Exception {
    String key = config.profile() + "/" + c.action();
    switch (key) {
      case "furnace-v1/anneal" -> anneal(c, sent);
      case "furnace-v1/stop" -> {
        writeCommand(FURNACE_COMMAND, 2);
        sent.complete(null);
        events.accept(new InstrumentEvent.Done(c.commandId(), Map.of()));
      }
      case "impedance-v1/eis_sweep" -> sweep(c, sent);
      default -> throw new IllegalArgumentException("profile " + config.profile()
          + " has no action '" + c.action() + "'");
    }
  }

  /** Reads input registers, retrying a lost link with exponential backoff (100 ms … 1.6 s). */
  private InputRegister[] readInputs(int first, int count) throws Exception {
    Exception last = null;
    long start = System.nanoTime();
    for (int attempt = 1; attempt <= RETRIES; attempt++) {
      try {
        if (!master.isConnected()) {
          master.connect();
        }
        return master.readInputRegisters(config.unitId(), first, count);
      } catch (com.ghgande.j2mod.modbus.ModbusSlaveException e) {
        throw e; // the device answered with a Modbus exception code: retrying will not help
      } catch (Exception e) {
        last = e;
        if (attempt < RETRIES) {
          setState(InstrumentState.OFFLINE);
          Thread.sleep(100L << (attempt - 1));
        }
      }
    }
    throw new ModbusUnreachableException(String.format("lost %s:%d after %d attempts over %.1f s: %s",
        config.host(), config.port(), RETRIES, (System.nanoTime() - start) / 1e9,
        last == null ? "?" : last.getMessage()), last);
  }

  /** The device stopped answering. */
  static final class ModbusUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    ModbusUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void anneal(InstrumentCommand c, CompletableFuture<Void> sent) throws Exception {
    float setpoint = number(c, "setpoint_c");
    writeFloats(0, setpoint, number(c, "ramp_c_per_min"), number(c, "dwell_min"));
    writeCommand(FURNACE_COMMAND, 1);
    sent.complete(null);
    events.accept(new InstrumentEvent.Ack(c.commandId()));
    awaitAccepted(FURNACE_COMMAND);
    setState(InstrumentState.BUSY);
    float peak = Float.NEGATIVE_INFINITY;
    int lastStatus = -1;
    while (true) {
      InputRegister[] in = readInputs(0, 4);
      float temp = RegisterCodec.toFloat(in[0].getValue(), in[1].getValue());
      int status = in[2].getValue();
      peak = Math.max(peak, temp);
      if (status == 4) {
        setState(InstrumentState.ONLINE);
        events.accept(new InstrumentEvent.Done(c.commandId(),
            Map.of("peak_temperature_c", (double) peak, "setpoint_c", (double) setpoint)));
        return;
      }
      if (status == 5) {
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(c.commandId(), "FURNACE_FAULT",
            "furnace reports fault, alarm code " + in[3].getValue()));
        return;
      }
      if (status != lastStatus && status >= 1 && status <= 3) {
        events.accept(new InstrumentEvent.Progress(c.commandId(), status / 4.0));
        lastStatus = status;
      }
      Thread.sleep(config.pollInterval().toMillis());
    }
  }

  private void sweep(InstrumentCommand c, CompletableFuture<Void> sent) throws Exception {
    float setpoint = number(c, "cell_temperature_c");
    writeFloats(7, setpoint);
    writeCommand(ANALYZER_COMMAND, 3);
    sent.complete(null);
    events.accept(new InstrumentEvent.Ack(c.commandId()));
    awaitAccepted(ANALYZER_COMMAND);
    setState(InstrumentState.BUSY);
    float cellTemp;
    while (true) {
      InputRegister[] in = readInputs(0, 4);
      cellTemp = RegisterCodec.toFloat(in[2].getValue(), in[3].getValue());
      if (in[0].getValue() == 4) {
        throw new IllegalStateException("analyzer reports an error while settling");
      }
      if (in[0].getValue() == 0 && Math.abs(cellTemp - setpoint) <= 0.5f) {
        break;
      }
      Thread.sleep(config.pollInterval().toMillis());
    }
    events.accept(new InstrumentEvent.Progress(c.commandId(), 0.3));
    int[] start = RegisterCodec.toRegisters(number(c, "start_hz"));
    int[] end = RegisterCodec.toRegisters(number(c, "end_hz"));
    int[] amp = RegisterCodec.toRegisters(number(c, "amplitude_mv"));
    int ppd = Math.round(number(c, "points_per_decade"));
    master.writeMultipleRegisters(config.unitId(), 0, registers(start[0], start[1], end[0], end[1],
        ppd, amp[0], amp[1]));
    writeCommand(ANALYZER_COMMAND, 1);
    awaitAccepted(ANALYZER_COMMAND);
    while (true) {
      int status = readInputs(0, 1)[0].getValue();
      if (status == 3) {
        break;
      }
      if (status == 4) {
        throw new IllegalStateException("analyzer reports a sweep error");
      }
      Thread.sleep(config.pollInterval().toMillis());
    }
    int n = master.readInputRegisters(config.unitId(), 1, 1)[0].getValue();
    List<List<Double>> points = new ArrayList<>(n);
    for (int first = 0; first < n * 6; first += MAX_CHUNK_REGISTERS) {
      int count = Math.min(MAX_CHUNK_REGISTERS, n * 6 - first);
      InputRegister[] r = master.readInputRegisters(config.unitId(), 100 + first, count);
      for (int k = 0; k + 5 < r.length; k += 6) {
        points.add(List.of(
            (double) RegisterCodec.toFloat(r[k].getValue(), r[k + 1].getValue()),
            (double) RegisterCodec.toFloat(r[k + 2].getValue(), r[k + 3].getValue()),
            (double) RegisterCodec.toFloat(r[k + 4].getValue(), r[k + 5].getValue())));
      }
    }
    setState(InstrumentState.ONLINE);
    events.accept(new InstrumentEvent.Done(c.commandId(),
        Map.of("temperature_c", (double) cellTemp, "points", points)));
  }

  /** Waits until the device has cleared the command register, i.e. taken the command. */
  private void awaitAccepted(int commandRegister) throws Exception {
    long until = System.nanoTime() + 10_000_000_000L;
    while (master.readMultipleRegisters(config.unitId(), commandRegister, 1)[0].getValue() != 0) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("device did not accept the command within 10 s");
      }
      Thread.sleep(Math.max(1, config.pollInterval().toMillis() / 4));
    }
  }

  private void writeFloats(int first, float... values) throws Exception {
    int[] raw = new int[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      int[] r = RegisterCodec.toRegisters(values[i]);
      raw[2 * i] = r[0];
      raw[2 * i + 1] = r[1];
    }
    master.writeMultipleRegisters(config.unitId(), first, registers(raw));
  }

  private void writeCommand(int register, int value) throws Exception {
    master.writeSingleRegister(config.unitId(), register, new SimpleRegister(value));
  }

  private static Register[] registers(int... values) {
    Register[] r = new Register[values.length];
    for (int i = 0; i < values.length; i++) {
      r[i] = new SimpleRegister(values[i]);
    }
    return r;
  }

  private static float number(InstrumentCommand c, String name) {
    Object v = c.params().get(name);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("parameter '" + name + "' missing or not a number");
    }
    return n.floatValue();
  }

  private void setState(InstrumentState s) {
    if (s != state) {
      state = s;
      states.accept(s);
    }
  }

  @Override
  public void onEvent(Consumer<InstrumentEvent> consumer) {
    this.events = consumer;
  }

  @Override
  public void onState(Consumer<InstrumentState> consumer) {
    this.states = consumer;
  }

  @Override
  public InstrumentState state() {
    return state;
  }

  @Override
  public void close() {
    io.execute(() -> {
      if (master != null) {
        master.disconnect();
      }
    });
    io.shutdown();
  }
}
