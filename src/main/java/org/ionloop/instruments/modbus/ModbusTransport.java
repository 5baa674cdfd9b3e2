package org.ionloop.instruments.modbus;

import com.ghgande.j2mod.modbus.ModbusSlaveException;
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
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.InstrumentState;
import org.ionloop.instruments.InstrumentTransport;

/**
 * Modbus TCP transport over j2mod for the v1 profiles (DESIGN §6), addressing registers by name
 * through the instrument file's {@link RegisterMap}. Each instance owns one IO thread: register
 * writes, status polling at the spec's interval and chunked spectrum reads block there, never on
 * an actor thread. Status registers become {@link InstrumentEvent}s.
 *
 * <p>Writes go only to declared read-write registers and only within their limits; a refused
 * write is an error event and nothing goes on the wire. A lost link is retried with exponential
 * backoff (100 ms … 1.6 s, 5 attempts) before the command fails with {@code MODBUS_UNREACHABLE};
 * a Modbus exception code from the device fails it with {@code MODBUS_EXCEPTION_<code>}.
 *
 * <p>Handshake: the device clears the command register when it accepts a command and updates
 * its status in the same scan; the transport waits for that before trusting the status, so a
 * stale "done" from the previous run is never mistaken for this one. A command the device does
 * not take within 10 s is withdrawn (the command register cleared) before it is reported failed,
 * so a busy device cannot run it later, unobserved.
 *
 * <p>Exactly once. A device with the optional {@code job}/{@code active_job} registers echoes the
 * tag of the command it took, so a re-sent command it already has is followed, not restarted. A
 * wire contract v1 device has no such registers, and one that declares them may not echo them:
 * for a command that may have reached the device before ({@link InstrumentCommand#resent()}),
 * the driver reads the device (status, command register, setpoints) before it writes anything.
 * A program running with this command's setpoint is followed; a finished one with this
 * setpoint is a question for the operator ({@link Instrument#OUTCOME_UNKNOWN}), because a
 * "done" status with the same setpoint can be this anneal or the one before; anything else
 * means the command never ran and it is sent. A device busy with a program ionloop cannot
 * place is refused ({@code DEVICE_BUSY}) without a write. A measurement (an EIS sweep) that
 * cannot be placed is measured again: that changes nothing physical.
 */
public final class ModbusTransport implements InstrumentTransport {
  /** Largest read, in registers (the spectrum: 20 points of 6 registers). */
  public static final int MAX_CHUNK_REGISTERS = 120;
  /** How long a device may take to accept a command (clear the command register). */
  private static final java.time.Duration ACCEPT_WINDOW = java.time.Duration.ofSeconds(10);
  /**
   * How long a furnace found idle, with a re-sent command's setpoint programmed, is watched before
   * the command is written: contract v1 does not say that the status leaves idle the instant the
   * device clears the command register, and a controller that took the command a moment ago may
   * still report idle.
   */
  private static final java.time.Duration SETTLE_WINDOW = java.time.Duration.ofSeconds(2);
  /** Attempts before a lost device is reported; backoff doubles from 100 ms. */
  private static final int RETRIES = 5;

  private final String instrument;
  private final InstrumentSpec.Modbus config;
  private final RegisterMap map;
  private final ExecutorService io;
  private ModbusTCPMaster master;
  private volatile Consumer<InstrumentEvent> events = e -> {};
  private volatile Consumer<InstrumentState> states = s -> {};
  private volatile InstrumentState state = InstrumentState.OFFLINE;
  /** Set by a "stop" command; the running command's poll loop ends at its next poll. */
  private volatile boolean stopRequested;

  public ModbusTransport(String instrument, InstrumentSpec.Modbus config) {
    this.instrument = instrument;
    this.config = config;
    this.map = config.registers();
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
    if (command.action().equals("stop")) {
      stopRequested = true; // interrupt the command in progress on the IO thread
    }
    io.execute(() -> {
      try {
        run(command, sent);
      } catch (InterruptedException e) {
        sent.complete(null); // closed: whoever talks to the device next takes it from here
      } catch (Stopped e) {
        sent.complete(null);
        setState(InstrumentState.ONLINE);
        events.accept(new InstrumentEvent.Error(command.commandId(), "STOPPED", e.getMessage()));
      } catch (RefusedWrite e) {
        sent.complete(null); // the command reached us; its failure is an event, not a send error
        events.accept(new InstrumentEvent.Error(command.commandId(), "REGISTER_REFUSED", e.getMessage()));
      } catch (Unreachable e) {
        sent.complete(null);
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(command.commandId(), "MODBUS_UNREACHABLE", e.getMessage()));
      } catch (ModbusSlaveException e) {
        sent.complete(null);
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(command.commandId(), "MODBUS_EXCEPTION_" + e.getType(),
            "device answered with Modbus exception code " + e.getType() + " (" + e.getMessage() + ")"));
      } catch (Exception e) {
        sent.complete(null);
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(command.commandId(), "MODBUS",
            e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    });
    return sent;
  }

  private void run(InstrumentCommand c, CompletableFuture<Void> sent) throws Exception {
    switch (config.profile() + "/" + c.action()) {
      case "furnace-v1/anneal" -> anneal(c, sent);
      case "furnace-v1/stop" -> {
        stopRequested = false;
        tag(jobTag(c.commandId())); // every command carries its own tag, or it reads as a repeat
        write("command", 2);
        sent.complete(null);
        awaitAccepted(); // else a command written right after could overwrite the stop
        events.accept(new InstrumentEvent.Done(c.commandId(), Map.of()));
      }
      case "impedance-v1/eis_sweep" -> sweep(c, sent);
      default -> throw new IllegalArgumentException("profile " + config.profile()
          + " has no action '" + c.action() + "'");
    }
  }

  private void anneal(InstrumentCommand c, CompletableFuture<Void> sent) throws Exception {
    double setpoint = number(c, "setpoint_c");
    check("setpoint_c", setpoint);
    check("ramp_c_per_min", number(c, "ramp_c_per_min"));
    check("dwell_min", number(c, "dwell_min"));
    long job = jobTag(c.commandId());
    Placement placed = accepted(job) ? Placement.FOLLOW : placeFurnaceCommand(c, setpoint, job);
    if (placed == Placement.REFUSED) {
      sent.complete(null);
      return;
    }
    if (placed == Placement.FOLLOW) {
      // Re-sent after a restart: the furnace already runs (or ran) this very anneal; follow it.
      sent.complete(null);
      events.accept(new InstrumentEvent.Ack(c.commandId()));
    } else {
      write("setpoint_c", setpoint);
      write("ramp_c_per_min", number(c, "ramp_c_per_min"));
      write("dwell_min", number(c, "dwell_min"));
      tag(job);
      write("command", 1);
      sent.complete(null);
      events.accept(new InstrumentEvent.Ack(c.commandId()));
      awaitAccepted();
    }
    setState(InstrumentState.BUSY);
    double peak = Double.NEGATIVE_INFINITY;
    int lastStatus = -1;
    while (true) {
      Map<String, Double> in = readInputs("temperature_c", "status", "alarm");
      int status = in.get("status").intValue();
      peak = Math.max(peak, in.get("temperature_c"));
      if (status == 4) {
        setState(InstrumentState.ONLINE);
        events.accept(new InstrumentEvent.Done(c.commandId(),
            Map.of("peak_temperature_c", peak, "setpoint_c", setpoint)));
        return;
      }
      if (status == 5) {
        setState(InstrumentState.FAULT);
        events.accept(new InstrumentEvent.Error(c.commandId(), "FURNACE_FAULT",
            "furnace reports fault, alarm code " + in.get("alarm").intValue()));
        return;
      }
      if (status != lastStatus && status >= 1 && status <= 3) {
        events.accept(new InstrumentEvent.Progress(c.commandId(), status / 4.0));
        lastStatus = status;
      }
      checkStop();
      Thread.sleep(config.pollInterval().toMillis());
    }
  }

  private void sweep(InstrumentCommand c, CompletableFuture<Void> sent) throws Exception {
    double setpoint = number(c, "cell_temperature_c");
    for (String p : List.of("start_hz", "end_hz", "points_per_decade", "amplitude_mv")) {
      check(p, number(c, p));
    }
    check("cell_setpoint_c", setpoint);
    // Two device jobs per sweep: settle the cell (even tag), then sweep (odd tag). After a
    // restart the driver picks up at whichever the analyzer has already accepted.
    long settleJob = jobTag(c.commandId());
    long sweepJob = settleJob + 1;
    boolean sweepAccepted = accepted(sweepJob);
    boolean settleAccepted = !sweepAccepted && accepted(settleJob);
    if (!sweepAccepted && !settleAccepted) {
      switch (placeAnalyzerCommand(c, setpoint, settleJob)) {
        case REFUSED -> {
          sent.complete(null);
          return;
        }
        case FOLLOW_SETTLE -> settleAccepted = true;
        case FOLLOW -> sweepAccepted = true;
        default -> { }
      }
    }
    if (sweepAccepted || settleAccepted) {
      sent.complete(null);
      events.accept(new InstrumentEvent.Ack(c.commandId()));
    } else {
      write("cell_setpoint_c", setpoint);
      tag(settleJob);
      write("command", 3);
      sent.complete(null);
      events.accept(new InstrumentEvent.Ack(c.commandId()));
      awaitAccepted();
    }
    setState(InstrumentState.BUSY);
    double cellTemp = setpoint;
    if (!sweepAccepted) {
      cellTemp = settleAndStartSweep(c, setpoint, sweepJob);
    }
    awaitSweep();
    readSpectrum(c, cellTemp);
  }

  /** Waits for the cell to reach its setpoint, then starts the sweep; the cell temperature. */
  private double settleAndStartSweep(InstrumentCommand c, double setpoint, long sweepJob)
      throws Exception {
    double cellTemp;
    while (true) {
      Map<String, Double> in = readInputs("status", "cell_temperature_c");
      cellTemp = in.get("cell_temperature_c");
      if (in.get("status").intValue() == 4) {
        throw new IllegalStateException("analyzer reports an error while settling");
      }
      if (in.get("status").intValue() == 0 && Math.abs(cellTemp - setpoint) <= 0.5) {
        break;
      }
      Thread.sleep(config.pollInterval().toMillis());
    }
    events.accept(new InstrumentEvent.Progress(c.commandId(), 0.3));
    for (String p : List.of("start_hz", "end_hz", "points_per_decade", "amplitude_mv")) {
      write(p, number(c, p));
    }
    tag(sweepJob);
    write("command", 1);
    awaitAccepted();
    return cellTemp;
  }

  private void awaitSweep() throws Exception {
    while (true) {
      int status = readInputs("status").get("status").intValue();
      if (status == 3) {
        break;
      }
      if (status == 4) {
        throw new IllegalStateException("analyzer reports a sweep error");
      }
      Thread.sleep(config.pollInterval().toMillis());
    }
  }

  private void readSpectrum(InstrumentCommand c, double cellTemp) throws Exception {
    int n = readInputs("points").get("points").intValue();
    RegisterMap.Register start = map.get("points_start");
    List<List<Double>> points = new ArrayList<>(n);
    for (int offset = 0; offset < n * 6; offset += MAX_CHUNK_REGISTERS) {
      int first = start.address() + offset;
      int count = Math.min(MAX_CHUNK_REGISTERS, n * 6 - offset);
      int[] raw = values(retrying(() -> master.readInputRegisters(config.unitId(), first, count)));
      for (int k = 0; k + 5 < raw.length; k += 6) {
        points.add(List.of(start.decode(raw, k), start.decode(raw, k + 2), start.decode(raw, k + 4)));
      }
    }
    setState(InstrumentState.ONLINE);
    events.accept(new InstrumentEvent.Done(c.commandId(), Map.of("temperature_c", cellTemp, "points", points)));
  }

  /**
   * The device job tag of a command: an even number from a hash of its id, stable across
   * restarts (the odd number after it tags a second job of the same command).
   */
  static long jobTag(String commandId) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(commandId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long even = (crc.getValue() & 0x3FFF_FFFFL) << 1;
    return even == 0 ? 2 : even;
  }

  /** What to do with a command, from what the device says before anything is written. */
  private enum Placement {
    /** The command never ran: write it. */
    SEND,
    /** The device is running (or ran) this command: follow it, write nothing. */
    FOLLOW,
    /** The analyzer is settling the cell for this sweep: go on from there. */
    FOLLOW_SETTLE,
    /** An error event has been sent; nothing is written. */
    REFUSED
  }

  private static final String[] FURNACE_STATUS = {"idle", "ramping", "dwelling", "cooling", "done", "fault"};

  /**
   * Reads the furnace before an anneal is written (see the class comment). A command left armed
   * in the command register by an earlier orchestrator, never taken, is withdrawn first.
   */
  private Placement placeFurnaceCommand(InstrumentCommand c, double setpoint, long job) throws Exception {
    boolean withdrawn = withdrawArmedCommand();
    if (!withdrawn && accepted(job)) {
      // This very command was still armed a moment ago (the orchestrator stopped right after
      // writing it) and the device took it while we waited: it runs now; follow it.
      return Placement.FOLLOW;
    }
    Map<String, Double> in = readInputs("temperature_c", "status", "alarm");
    int status = in.get("status").intValue();
    double programmed = readHolding("setpoint_c");
    boolean same = !tagged() && !withdrawn && Math.abs(programmed - setpoint) <= 0.01;
    if (status == 0 && c.resent() && same) {
      in = settled(in);
      status = in.get("status").intValue();
    }
    String now = String.format("%s reports %s at %.0f °C (setpoint %.0f °C)", instrument,
        status >= 0 && status < FURNACE_STATUS.length ? FURNACE_STATUS[status] : "status " + status,
        in.get("temperature_c"), programmed);
    if (status == 5) {
      events.accept(new InstrumentEvent.Error(c.commandId(), "FURNACE_FAULT", now + ", alarm code "
          + in.get("alarm").intValue() + ": reset it after inspection; nothing was sent"));
      return Placement.REFUSED;
    }
    if (status >= 1 && status <= 3) {
      if (c.resent() && same) {
        return Placement.FOLLOW;
      }
      events.accept(new InstrumentEvent.Error(c.commandId(), "DEVICE_BUSY", now
          + ": it runs a program ionloop did not start or cannot place; nothing was sent"));
      return Placement.REFUSED;
    }
    if (status == 4 && c.resent() && same) {
      events.accept(new InstrumentEvent.Error(c.commandId(), Instrument.OUTCOME_UNKNOWN, now
          + ": was this " + c.commandId() + "? The furnace cannot tell this anneal from the one before"));
      return Placement.REFUSED;
    }
    return Placement.SEND;
  }

  /** The furnace's inputs once its status leaves idle, or as they are after {@link #SETTLE_WINDOW}. */
  private Map<String, Double> settled(Map<String, Double> idle) throws Exception {
    long until = System.nanoTime() + SETTLE_WINDOW.toNanos();
    Map<String, Double> in = idle;
    while (in.get("status").intValue() == 0 && System.nanoTime() < until) {
      Thread.sleep(Math.max(1, config.pollInterval().toMillis() / 4));
      in = readInputs("temperature_c", "status", "alarm");
    }
    return in;
  }

  /**
   * Reads the analyzer before a sweep is written: a resent sweep it is settling or sweeping for
   * (same cell setpoint) is followed; anything it runs otherwise is refused; a resent sweep it has
   * finished at that setpoint is a question for the operator; else it is sent.
   */
  private Placement placeAnalyzerCommand(InstrumentCommand c, double cellSetpoint, long settleJob) throws Exception {
    boolean withdrawn = withdrawArmedCommand();
    if (!withdrawn && accepted(settleJob + 1)) {
      return Placement.FOLLOW; // taken while we waited (see placeFurnaceCommand)
    }
    if (!withdrawn && accepted(settleJob)) {
      return Placement.FOLLOW_SETTLE;
    }
    int status = readInputs("status").get("status").intValue();
    boolean same = !tagged() && !withdrawn && Math.abs(readHolding("cell_setpoint_c") - cellSetpoint) <= 0.01;
    if (status == 1 || status == 2) {
      if (c.resent() && same) {
        return status == 1 ? Placement.FOLLOW_SETTLE : Placement.FOLLOW;
      }
      events.accept(new InstrumentEvent.Error(c.commandId(), "DEVICE_BUSY", instrument + " is "
          + (status == 1 ? "settling its cell" : "sweeping") + " for a command ionloop cannot place;"
          + " nothing was sent"));
      return Placement.REFUSED;
    }
    if (status == 3 && c.resent() && same) {
      // A finished sweep at this cell temperature: this command's, or the one before it. Without
      // a job tag the analyzer cannot say, and sweeping again would measure the pellet twice.
      events.accept(new InstrumentEvent.Error(c.commandId(), Instrument.OUTCOME_UNKNOWN, String.format(
          "%s reports a finished sweep at a cell setpoint of %.0f °C: was this %s? The analyzer cannot tell"
              + " this sweep from the one before (taken as done, the experiment goes on without this"
              + " temperature's spectrum)", instrument, cellSetpoint, c.commandId())));
      return Placement.REFUSED;
    }
    return Placement.SEND;
  }

  /**
   * Gives a command found in the command register the device's usual time to take it (it may
   * have been written a moment ago, by the orchestrator that stopped); one still there after
   * that is withdrawn (cleared): a busy device would otherwise run it later, unobserved. True
   * when one was withdrawn; the holding registers then hold its parameters, not the program's.
   */
  private boolean withdrawArmedCommand() throws Exception {
    int armed = (int) readHolding("command");
    boolean withdrawn = armed != 0 && !takenWithinAcceptWindow();
    if (withdrawn) {
      org.slf4j.LoggerFactory.getLogger(ModbusTransport.class).warn(
          "{}: withdrew command {} that the device had not taken in {} s", instrument, armed,
          ACCEPT_WINDOW.toSeconds());
    }
    return withdrawn;
  }

  /**
   * Waits up to the accept window for the device to clear the command register, i.e. take the
   * command; if it does not, clears the register itself (withdraws the command) and says false.
   */
  private boolean takenWithinAcceptWindow() throws Exception {
    long until = System.nanoTime() + ACCEPT_WINDOW.toNanos();
    while (readHolding("command") != 0) {
      if (System.nanoTime() > until) {
        RegisterMap.Register command = map.get("command");
        retrying(() -> master.writeSingleRegister(config.unitId(), command.address(), new SimpleRegister(0)));
        return false;
      }
      Thread.sleep(Math.max(1, config.pollInterval().toMillis() / 4));
    }
    return true;
  }

  /** One holding register's value (as a float where it is one). */
  private double readHolding(String name) throws Exception {
    RegisterMap.Register r = map.get(name);
    return r.decode(values(retrying(() -> master.readMultipleRegisters(config.unitId(), r.address(), r.words()))), 0);
  }

  /** Whether the device has already accepted the job (devices without job registers: never). */
  private boolean accepted(long job) throws Exception {
    return tagged() && readInputs("active_job").get("active_job").longValue() == job;
  }

  /**
   * Whether the device has job registers. Then its job tag says which command it ran, and a tag
   * that is not this command's means the program it runs or ran is another's: only a device
   * without them is judged by its setpoint (followed, or asked about).
   */
  private boolean tagged() {
    return map.has("job") && map.has("active_job");
  }

  /** Writes the job tag that goes with the next command, when the device has job registers. */
  private void tag(long job) throws Exception {
    if (tagged()) {
      write("job", job);
    }
  }

  /** Ends a poll loop when a stop was requested. */
  private void checkStop() throws Stopped {
    if (stopRequested) {
      throw new Stopped("interrupted by a stop request");
    }
  }

  /** Refuses a write to an undeclared, read-only or out-of-limit register, before the wire. */
  private void check(String name, double value) throws RefusedWrite {
    var refusal = map.refusal(name, value);
    if (refusal.isPresent()) {
      throw new RefusedWrite(instrument + ": " + refusal.get());
    }
  }

  private void write(String name, double value) throws Exception {
    check(name, value);
    RegisterMap.Register r = map.get(name);
    int[] words = r.encode(value);
    Register[] regs = new Register[words.length];
    for (int i = 0; i < words.length; i++) {
      regs[i] = new SimpleRegister(words[i]);
    }
    retrying(() -> words.length == 1
        ? master.writeSingleRegister(config.unitId(), r.address(), regs[0])
        : master.writeMultipleRegisters(config.unitId(), r.address(), regs));
  }

  /** Reads the named input registers in one request covering all of them. */
  private Map<String, Double> readInputs(String... names) throws Exception {
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (String n : names) {
      RegisterMap.Register r = map.get(n);
      lo = Math.min(lo, r.address());
      hi = Math.max(hi, r.address() + r.words() - 1);
    }
    final int first = lo;
    final int count = hi - lo + 1;
    int[] raw = values(retrying(() -> master.readInputRegisters(config.unitId(), first, count)));
    Map<String, Double> out = new java.util.HashMap<>();
    for (String n : names) {
      RegisterMap.Register r = map.get(n);
      out.put(n, r.decode(raw, r.address() - first));
    }
    return out;
  }

  /**
   * Waits until the device has cleared the command register, i.e. taken the command; one it has
   * not taken within 10 s is withdrawn before the failure is reported.
   */
  private void awaitAccepted() throws Exception {
    if (!takenWithinAcceptWindow()) {
      throw new IllegalStateException("device did not accept the command within 10 s; withdrawn"
          + " (command register cleared) so that it cannot run later");
    }
  }

  /** One Modbus request. */
  @FunctionalInterface
  private interface Request<T> {
    T call() throws Exception;
  }

  /** Runs a request, retrying a lost link with exponential backoff (100 ms … 1.6 s). */
  private <T> T retrying(Request<T> request) throws Exception {
    Exception last = null;
    long start = System.nanoTime();
    for (int attempt = 1; attempt <= RETRIES; attempt++) {
      try {
        if (!master.isConnected()) {
          master.connect();
        }
        return request.call();
      } catch (ModbusSlaveException e) {
        throw e; // the device answered with an exception code: retrying will not help
      } catch (InterruptedException e) {
        throw e; // closed: stop driving the device
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("closed during a request");
        }
        last = e;
        if (attempt < RETRIES) {
          setState(InstrumentState.OFFLINE);
          Thread.sleep(100L << (attempt - 1));
        }
      }
    }
    throw new Unreachable(String.format("lost %s:%d after %d attempts over %.1f s: %s",
        config.host(), config.port(), RETRIES, (System.nanoTime() - start) / 1e9,
        last == null ? "?" : last.getMessage()), last);
  }

  private static int[] values(InputRegister[] regs) {
    int[] out = new int[regs.length];
    for (int i = 0; i < regs.length; i++) {
      out[i] = regs[i].getValue();
    }
    return out;
  }

  private static double number(InstrumentCommand c, String name) {
    Object v = c.params().get(name);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("parameter '" + name + "' missing or not a number");
    }
    return n.doubleValue();
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

  /**
   * Stops driving the device at once: the command in progress is interrupted, not finished. A
   * driver that went on after close (its instrument actor restarted, a successor already talking
   * to the device) would write a second command the device cannot tell from the first.
   */
  @Override
  public void close() {
    io.shutdownNow();
    try {
      if (!io.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        org.slf4j.LoggerFactory.getLogger(ModbusTransport.class).warn("{}: the Modbus IO thread did not stop within 5 s", instrument);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (master != null) {
      master.disconnect();
    }
  }

  /** A command interrupted by "stop". */
  private static final class Stopped extends Exception {
    private static final long serialVersionUID = 1L;

    Stopped(String message) {
      super(message);
    }
  }

  /** A write the register map does not allow. */
  private static final class RefusedWrite extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedWrite(String message) {
      super(message);
    }
  }

  /** The device stopped answering. */
  private static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
