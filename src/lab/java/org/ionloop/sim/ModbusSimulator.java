package org.ionloop.sim;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ionloop.instruments.modbus.RegisterCodec;

/**
 * Base of the simulated Modbus TCP devices: a j2mod slave on 127.0.0.1 with a process image and
 * a PLC-like scan cycle that runs the device physics every few milliseconds. Subclasses implement
 * {@link #scan(double)}; register access is synchronised on the image.
 */
abstract class ModbusSimulator implements AutoCloseable {
  private static final long SCAN_MS = 2;
  protected final SimpleProcessImage image;
  protected final double timeScale;
  private final ModbusSlave slave;
  private final ScheduledExecutorService scanner;
  private final int port;
  private long lastScanNanos = System.nanoTime();

  /**
   * @param timeScale real seconds per simulated second
   */
  ModbusSimulator(String name, int port, int unitId, int holding, int input, double timeScale)
      throws ModbusException {
    this(name, "127.0.0.1", port, unitId, holding, input, timeScale);
  }

  /**
   * @param bind      address to listen on (loopback in tests; all interfaces in a container)
   * @param timeScale real seconds per simulated second
   */
  ModbusSimulator(String name, String bind, int port, int unitId, int holding, int input,
      double timeScale) throws ModbusException {
    this.port = port;
    this.timeScale = timeScale;
    this.image = new SimpleProcessImage(unitId);
    for (int i = 0; i < holding; i++) {
      image.addRegister(new SimpleRegister(0));
    }
    for (int i = 0; i < input; i++) {
      image.addInputRegister(new SimpleInputRegister(0));
    }
    this.slave = ModbusSlaveFactory.createTCPSlave(address(bind), port, 4, false);
    slave.addProcessImage(unitId, image);
    slave.open();
    this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sim-" + name);
      t.setDaemon(true);
      return t;
    });
    scanner.scheduleAtFixedRate(this::tick, SCAN_MS, SCAN_MS, TimeUnit.MILLISECONDS);
  }

  private static InetAddress address(String bind) throws ModbusException {
    try {
      return InetAddress.getByName(bind);
    } catch (java.net.UnknownHostException e) {
      throw new ModbusException("cannot listen on " + bind + ": " + e.getMessage());
    }
  }

  private void tick() {
    long now = System.nanoTime();
    double realSeconds = (now - lastScanNanos) / 1e9;
    lastScanNanos = now;
    double simSeconds = timeScale <= 0 ? 1e6 : realSeconds / timeScale;
    synchronized (image) {
      scan(simSeconds);
    }
  }

  /** One scan: read commands, advance physics by {@code simSeconds}, update input registers. */
  protected abstract void scan(double simSeconds);

  public int port() {
    return port;
  }

  protected int holding(int i) {
    return image.getRegister(i).getValue();
  }

  protected void setHolding(int i, int v) {
    image.getRegister(i).setValue(v);
  }

  protected float holdingFloat(int i) {
    return RegisterCodec.toFloat(holding(i), holding(i + 1));
  }

  /**
   * Whether the command now in the command register carries the job tag of the job already
   * accepted (holding {@code jobRegister}, input {@code activeJobRegister}): such a command is
   * the same job sent again and must not run a second time.
   */
  protected boolean isRepeatOfAcceptedJob(int jobRegister, int activeJobRegister) {
    long job = holdingUint32(jobRegister);
    long active = ((long) image.getInputRegister(activeJobRegister).getValue() << 16)
        | image.getInputRegister(activeJobRegister + 1).getValue();
    return job != 0 && job == active;
  }

  protected long holdingUint32(int i) {
    return ((long) holding(i) << 16) | holding(i + 1);
  }

  protected void setInputUint32(int i, long v) {
    setInput(i, (int) ((v >>> 16) & 0xFFFF));
    setInput(i + 1, (int) (v & 0xFFFF));
  }

  protected void setInput(int i, int v) {
    ((SimpleInputRegister) image.getInputRegister(i)).setValue(v);
  }

  protected void setInputFloat(int i, double v) {
    int[] r = RegisterCodec.toRegisters((float) v);
    setInput(i, r[0]);
    setInput(i + 1, r[1]);
  }

  @Override
  public synchronized void close() {
    if (!scanner.isShutdown()) {
      scanner.shutdownNow();
      ModbusSlaveFactory.close(slave);
    }
  }
}
