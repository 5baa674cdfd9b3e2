package org.ionloop.sim;

import com.ghgande.j2mod.modbus.ModbusException;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.ionloop.analysis.eis.Circuit;
import org.ionloop.analysis.eis.Conductivity;

/**
 * An impedance analyzer with a heated cell behind Modbus TCP, register map v1 (DESIGN §6).
 * The spectrum of the sample in the cell comes from the circuit {@code p(Rb,CPEb)-CPEel}: bulk
 * resistance Rb = L/(σ(T)·A) from the sample's true conductivity and pellet geometry, geometric
 * capacitance ε0·εr·A/L (εr = 30, nb = 0.95), gold blocking electrodes 2 µF/cm² (nel = 0.85),
 * plus 0.5 % Gaussian noise of |Z| on each component.
 */
public final class SimAnalyzer extends ModbusSimulator {
  /** Most points one sweep may hold (the input block from register 100). */
  public static final int MAX_POINTS = 200;
  private static final double EPS0 = 8.8541878128e-12;
  private static final double NOISE = 0.005;
  private static final Circuit PELLET = Circuit.parse("p(Rb,CPEb)-CPEel");
  private final String id;
  private final VirtualBench bench;
  private final MaterialModel model = new MaterialModel();
  private final SampleDraws draws;
  private double cellC = 25;
  private double cellSetpoint = 25;
  private int status;
  private double sweepLeftS;

  public SimAnalyzer(String id, int port, VirtualBench bench, RandomGenerator rng, double timeScale)
      throws ModbusException {
    this(id, "127.0.0.1", port, bench, rng, timeScale);
  }

  /** An analyzer listening on {@code bind} (e.g. 0.0.0.0 in a container). */
  public SimAnalyzer(String id, String bind, int port, VirtualBench bench, RandomGenerator rng,
      double timeScale) throws ModbusException {
    super(id, bind, port, 1, 13, 100 + 6 * MAX_POINTS, timeScale);
    this.id = id;
    this.bench = bench;
    this.draws = new SampleDraws(rng);
    synchronized (image) {
      setInputFloat(2, cellC);
    }
  }

  public String id() {
    return id;
  }

  @Override
  protected void scan(double dt) {
    int command = holding(10);
    // The command register is cleared last, after status and job tag: a driver that sees it
    // cleared must never read the status of the previous run.
    boolean taken = command != 0;
    if (command != 0 && isRepeatOfAcceptedJob(11, 4)) {
      command = 0; // the same job again (a driver restarted mid-handshake): run it once
    }
    long acceptedJob = command != 0 ? holdingUint32(11) : -1;
    if (command != 0) {
      if (command == 3) {
        cellSetpoint = holdingFloat(7);
        status = 1;
      } else if (command == 1) {
        status = 2;
        sweepLeftS = 120;
      } else if (command == 2) {
        status = 0;
      }
    }
    double rate = 20.0 / 60 * dt; // 20 °C/min
    cellC = Math.abs(cellSetpoint - cellC) <= rate ? cellSetpoint
        : cellC + Math.signum(cellSetpoint - cellC) * rate;
    if (status == 1 && cellC == cellSetpoint) {
      status = 0;
    }
    if (status == 2) {
      sweepLeftS -= dt;
      if (sweepLeftS <= 0) {
        status = sweep() ? 3 : 4;
      }
    }
    setInput(0, status);
    setInputFloat(2, cellC);
    if (acceptedJob >= 0) {
      setInputUint32(4, acceptedJob);
    }
    if (taken) {
      // The tag goes with the command it came with: a later command without one (a v1 driver)
      // is a new command, not a repeat of the one accepted before.
      setHolding(11, 0);
      setHolding(12, 0);
      setHolding(10, 0);
    }
  }

  /** Writes the spectrum of the sample in the cell; false when there is nothing to measure. */
  private boolean sweep() {
    // The material's properties are fixed the first time it is measured, after its anneal.
    Optional<VirtualBench.Sample> in = bench.updateAt(id, x -> {
      if (x.truth == null && !Double.isNaN(x.thicknessMm)) {
        x.truth = model.synthesise(x.fractions, x.peakAnnealC, draws.of(x.id, "synthesis"));
      }
    });
    if (in.isEmpty() || Double.isNaN(in.get().thicknessMm)) {
      setInput(3, 1);
      return false;
    }
    VirtualBench.Sample s = in.get();
    bench.countExecution(id, "eis_sweep", s.id, Math.round(cellSetpoint) + " °C");
    double startHz = holdingFloat(0);
    double endHz = holdingFloat(2);
    int ppd = Math.max(1, holding(4));
    double decades = Math.abs(Math.log10(startHz / endHz));
    int n = Math.min(MAX_POINTS, (int) Math.round(decades * ppd) + 1);
    double sigma = s.truth.sigmaAt(cellC);
    RandomGenerator rng = draws.of(s.id, "eis_sweep " + Math.round(cellSetpoint * 10));
    double areaM2 = Math.PI * Math.pow(s.diameterMm / 2000, 2);
    double lengthM = s.thicknessMm / 1000;
    double[] p = {Conductivity.resistanceOhm(sigma, s.thicknessMm, s.diameterMm),
        EPS0 * 30 * areaM2 / lengthM, 0.95, 2e-6 * areaM2 * 1e4, 0.85};
    for (int i = 0; i < n; i++) {
      double f = startHz * Math.pow(endHz / startHz, n == 1 ? 0 : (double) i / (n - 1));
      double[] z = PELLET.impedance(2 * Math.PI * f, p);
      double mod = Math.hypot(z[0], z[1]);
      setInputFloat(100 + 6 * i, f);
      setInputFloat(102 + 6 * i, z[0] + NOISE * mod * rng.nextGaussian());
      setInputFloat(104 + 6 * i, z[1] + NOISE * mod * rng.nextGaussian());
    }
    setInput(1, n);
    return true;
  }
}
