package org.ionloop.sim;

import com.ghgande.j2mod.modbus.ModbusException;

/**
 * A tube furnace behind Modbus TCP, register map v1 (DESIGN §6): holding 0–1 setpoint °C,
 * 2–3 ramp °C/min, 4–5 dwell min, 6 command (1 run, 2 stop, 3 reset fault; cleared on
 * acceptance), 7–8 job tag; input 0–1 temperature °C, 2 status (0 idle, 1 ramping, 2 dwelling,
 * 3 cooling, 4 done, 5 fault), 3 alarm code, 4–5 job tag of the last accepted command. Its own over-temperature protection faults above
 * {@code maxTempC} (alarm 2) whatever the orchestrator asks. The sample inside takes the peak
 * temperature of the run as its anneal temperature.
 */
public final class SimFurnace extends ModbusSimulator {
  private static final int IDLE = 0;
  private static final int RAMPING = 1;
  private static final int DWELLING = 2;
  private static final int DONE = 4;
  private static final int FAULT = 5;
  private final String id;
  private final VirtualBench bench;
  private final double maxTempC;
  private double temperatureC = 25;
  private int status = IDLE;
  private double dwellLeftS;
  private double setpoint;
  private double rampPerS;

  public SimFurnace(String id, int port, VirtualBench bench, double maxTempC, double timeScale)
      throws ModbusException {
    this(id, "127.0.0.1", port, bench, maxTempC, timeScale);
  }

  /** A furnace listening on {@code bind} (e.g. 0.0.0.0 in a container). */
  public SimFurnace(String id, String bind, int port, VirtualBench bench, double maxTempC,
      double timeScale) throws ModbusException {
    super(id, bind, port, 1, 9, 6, timeScale);
    this.id = id;
    this.bench = bench;
    this.maxTempC = maxTempC;
    synchronized (image) {
      publish(0);
    }
  }

  public String id() {
    return id;
  }

  @Override
  protected void scan(double dt) {
    int command = holding(6);
    int alarm = 0;
    // The command register is cleared last, after status and job tag: a driver that sees it
    // cleared must never read the status of the previous run.
    boolean taken = command != 0;
    if (command != 0 && isRepeatOfAcceptedJob(7, 4)) {
      command = 0; // the same job again (a driver restarted mid-handshake): run it once
    }
    long acceptedJob = command != 0 ? holdingUint32(7) : -1;
    if (command != 0) {
      if (command == 1 && status != FAULT) {
        setpoint = holdingFloat(0);
        rampPerS = Math.max(0.01, holdingFloat(2)) / 60;
        dwellLeftS = holdingFloat(4) * 60;
        if (setpoint > maxTempC) {
          status = FAULT;
          alarm = 2;
        } else {
          status = RAMPING;
          bench.countExecution(id, "anneal", bench.at(id).map(VirtualBench.Sample::id).orElse(null),
              setpoint + " °C");
        }
      } else if (command == 2) {
        status = IDLE;
        setpoint = 25;
        bench.countExecution(id, "stop");
      } else if (command == 3 && status == FAULT) {
        status = IDLE;
      }
    }
    if (status == RAMPING) {
      double step = rampPerS * dt;
      temperatureC = Math.abs(setpoint - temperatureC) <= step ? setpoint
          : temperatureC + Math.signum(setpoint - temperatureC) * step;
      if (temperatureC == setpoint) {
        status = DWELLING;
      }
    } else if (status == DWELLING) {
      dwellLeftS -= dt;
      if (dwellLeftS <= 0) {
        double peak = setpoint;
        bench.updateAt(id, s -> s.peakAnnealC = Math.max(s.peakAnnealC, peak));
        temperatureC = 25; // cooling is not modelled: the robot waits for a safe temperature
        status = DONE;
      }
    } else if (status == IDLE || status == DONE) {
      temperatureC = 25;
    }
    publish(alarm);
    if (acceptedJob >= 0) {
      setInputUint32(4, acceptedJob);
    }
    if (taken) {
      // The tag goes with the command it came with: a later command without one (a v1 driver)
      // is a new command, not a repeat of the one accepted before.
      setHolding(7, 0);
      setHolding(8, 0);
      setHolding(6, 0);
    }
  }

  private void publish(int alarm) {
    setInputFloat(0, temperatureC);
    setInput(2, status);
    if (alarm != 0) {
      setInput(3, alarm);
    }
  }
}
