package org.ionloop.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.planner.space.Precursor;

/**
 * A powder-handling robot (balance, ball mill, press, calipers, gripper) on MQTT, wire contract
 * v1 ({@link MqttSimDevice}).
 */
public final class SimRobot extends MqttSimDevice {
  private final SampleDraws draws;
  private final double pelletFailureProbability;

  /** A robot whose pellets crack at the ground truth's rate. */
  public SimRobot(String brokerUrl, String lab, String id, VirtualBench bench, double timeScale,
      RandomGenerator rng) throws MqttException {
    this(brokerUrl, lab, id, bench, timeScale, rng, MaterialModel.PELLET_FAILURE_PROBABILITY);
  }

  /**
   * @param timeScale real seconds per simulated second (1 = real time, 0 = instant)
   * @param pelletFailureProbability chance that a pressed pellet cracks (a failed synthesis)
   */
  public SimRobot(String brokerUrl, String lab, String id, VirtualBench bench, double timeScale,
      RandomGenerator rng, double pelletFailureProbability) throws MqttException {
    this(brokerUrl, lab, id, bench, timeScale, rng, pelletFailureProbability, null, null);
  }

  /**
   * @param username broker user of this robot (null for anonymous)
   * @param password its password
   */
  public SimRobot(String brokerUrl, String lab, String id, VirtualBench bench, double timeScale,
      RandomGenerator rng, double pelletFailureProbability, String username, String password)
      throws MqttException {
    super(brokerUrl, lab, id, bench, timeScale, username, password);
    this.pelletFailureProbability = pelletFailureProbability;
    this.draws = new SampleDraws(rng);
  }

  @Override
  protected Map<String, Object> perform(InstrumentCommand cmd) {
    String sampleId = text(cmd, "sample_id");
    switch (cmd.action()) {
      case "dispense" -> {
        Object raw = cmd.params().get("masses_mg");
        if (!(raw instanceof Map<?, ?> masses) || masses.isEmpty()) {
          throw new IllegalArgumentException("dispense needs masses_mg {precursor: mg}");
        }
        Map<String, Double> moles = new LinkedHashMap<>();
        RandomGenerator rng = draws.of(sampleId, "dispense");
        double total = 0;
        for (Map.Entry<?, ?> e : masses.entrySet()) {
          String name = e.getKey().toString();
          Precursor p = Precursor.byName(name).orElseThrow(
              () -> new IllegalArgumentException("no hopper holds precursor " + name));
          double mg = ((Number) e.getValue()).doubleValue() * (1 + 0.002 * rng.nextGaussian());
          moles.put(name, Math.max(0, mg) / p.molarMassGPerMol());
          total += moles.get(name);
        }
        for (Map.Entry<String, Double> e : moles.entrySet()) {
          e.setValue(e.getValue() / total);
        }
        bench.create(sampleId, moles);
        sleepSim(60.0 * masses.size());
        return Map.of("dispensed_precursors", masses.size());
      }
      case "mill" -> {
        sample(sampleId);
        sleepSim(60 * number(cmd, "minutes"));
        return Map.of();
      }
      case "press" -> {
        sample(sampleId);
        sleepSim(120);
        RandomGenerator rng = draws.of(sampleId, "press");
        if (rng.nextDouble() < pelletFailureProbability) {
          throw new SimFault("PELLET_CRACKED", "pellet of " + sampleId + " cracked on release");
        }
        double thickness = 0.9 + 0.3 * rng.nextDouble();
        double diameter = number(cmd, "diameter_mm");
        bench.update(sampleId, s -> s.pressed(thickness, diameter));
        return Map.of();
      }
      case "measure_geometry" -> {
        VirtualBench.Sample s = sample(sampleId);
        sleepSim(30);
        if (Double.isNaN(s.thicknessMm)) {
          throw new SimFault("NO_PELLET", sampleId + " has not been pressed");
        }
        RandomGenerator rng = draws.of(sampleId, "measure_geometry");
        return Map.of("thickness_mm", round3(s.thicknessMm + 0.002 * rng.nextGaussian()),
            "diameter_mm", round3(s.diameterMm + 0.002 * rng.nextGaussian()));
      }
      case "transfer" -> {
        sample(sampleId);
        String to = text(cmd, "to");
        try {
          bench.move(sampleId, to);
        } catch (IllegalStateException e) {
          throw new SimFault("STATION_OCCUPIED", e.getMessage());
        }
        sleepSim(45);
        return Map.of("location", to);
      }
      default -> throw new IllegalArgumentException("unknown action '" + cmd.action() + "'");
    }
  }

  private VirtualBench.Sample sample(String sampleId) {
    return bench.find(sampleId).orElseThrow(
        () -> new IllegalArgumentException("no sample " + sampleId + " on the bench"));
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
