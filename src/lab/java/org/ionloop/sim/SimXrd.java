package org.ionloop.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.ionloop.instruments.InstrumentCommand;

/**
 * A powder X-ray diffractometer with automatic phase quantification, on MQTT, wire contract v1
 * ({@link MqttSimDevice}). Action {@code xrd_scan} measures the sample in its stage and reports
 * {@code phase_purity} (mass fraction of the target argyrodite phase, 0–1) with its standard
 * error {@code phase_purity_se} and the scan range; the purity follows the virtual material model
 * ({@link MaterialModel#phasePurity}) with a Rietveld-like scatter of 0.01.
 */
public final class SimXrd extends MqttSimDevice {
  private static final double PURITY_SD = 0.01;
  private final MaterialModel truth = new MaterialModel();
  private final SampleDraws draws;

  public SimXrd(String brokerUrl, String lab, String id, VirtualBench bench, double timeScale,
      RandomGenerator rng) throws MqttException {
    this(brokerUrl, lab, id, bench, timeScale, rng, null, null);
  }

  /**
   * @param username broker user of this station (null for anonymous)
   * @param password its password
   */
  public SimXrd(String brokerUrl, String lab, String id, VirtualBench bench, double timeScale,
      RandomGenerator rng, String username, String password) throws MqttException {
    super(brokerUrl, lab, id, bench, timeScale, username, password);
    this.draws = new SampleDraws(rng);
  }

  @Override
  protected Map<String, Object> perform(InstrumentCommand cmd) {
    if (!cmd.action().equals("xrd_scan")) {
      throw new IllegalArgumentException("unknown action '" + cmd.action() + "'");
    }
    String sampleId = text(cmd, "sample_id");
    double from = number(cmd, "two_theta_start");
    double to = number(cmd, "two_theta_end");
    if (!(to > from)) {
      throw new IllegalArgumentException("two_theta_end must be above two_theta_start");
    }
    VirtualBench.Sample s = bench.at(id).orElseThrow(() -> new SimFault("NO_SAMPLE",
        "no sample on the stage of " + id));
    if (!s.id.equals(sampleId)) {
      throw new SimFault("WRONG_SAMPLE", "the stage of " + id + " holds " + s.id + ", not " + sampleId);
    }
    sleepSim(60 * (to - from) / 2); // 2° per minute
    double purity = truth.phasePurity(s.fractions, s.peakAnnealC)
        + PURITY_SD * draws.of(sampleId, "xrd " + from + "-" + to).nextGaussian();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("phase_purity", Math.round(Math.max(0, Math.min(1, purity)) * 1e4) / 1e4);
    result.put("phase_purity_se", PURITY_SD);
    result.put("two_theta_start", from);
    result.put("two_theta_end", to);
    return result;
  }
}
