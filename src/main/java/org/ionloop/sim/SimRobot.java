package org.ionloop.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentState;
import org.ionloop.instruments.mqtt.WireCodec;
import org.ionloop.instruments.mqtt.WireFormatException;
import org.ionloop.planner.space.Precursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A powder-handling robot (balance, ball mill, press, calipers, gripper) that is a real MQTT
 * client obeying wire contract v1: it reads its {@code cmd} topic, answers on {@code evt}, keeps a
 * retained {@code state} with an "offline" last will, and answers a repeated command id with its
 * last event instead of running the step again. Actions run one at a time, in simulated time.
 */
public final class SimRobot implements AutoCloseable {
  private static final long PUBLISH_WAIT_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(SimRobot.class);
  private final String lab;
  private final String id;
  private final VirtualBench bench;
  private final double timeScale;
  private final RandomGenerator rng;
  private final MqttClient client;
  private final ExecutorService arm;
  private final Map<String, byte[]> lastEvent = new ConcurrentHashMap<>();
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
    this.pelletFailureProbability = pelletFailureProbability;
    this.lab = lab;
    this.id = id;
    this.bench = bench;
    this.timeScale = timeScale;
    this.rng = rng;
    this.arm = Executors.newSingleThreadExecutor(r -> new Thread(r, "sim-robot-" + id));
    this.client = new MqttClient(brokerUrl, "sim-" + id, new MemoryPersistence());
    // Blocking publishes wait at most this long for the broker's acknowledgement: a robot must
    // not hang (and closing it must not hang a test or a shutdown) on a broker that went quiet.
    client.setTimeToWait(PUBLISH_WAIT_MS);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(1_000);
    o.setSocketFactory(org.ionloop.instruments.mqtt.NoDelaySocketFactory.plain());
    o.setWill(WireCodec.topic(lab, id, "state"),
        WireCodec.encodeState(InstrumentState.OFFLINE, Instant.now()), 1, true);
    if (username != null) {
      o.setUserName(username);
      o.setPassword(password.toCharArray());
    }
    client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverUri) {
        if (reconnect) { // a broker without our session forgot the subscription
          // Paho forbids blocking calls on its callback thread.
          new Thread(SimRobot.this::subscribe, "sim-" + id + "-resubscribe").start();
        }
      }

      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    });
    connectWithRetry(o);
    // The robot exists for the lab only once it listens: a broker that drops the fresh
    // connection would otherwise lose the commands sent before the reconnect resubscribes.
    for (int attempt = 1; !subscribe() && attempt < 5; attempt++) {
      awaitReconnect(Duration.ofSeconds(2));
    }
  }

  /** Subscribes to the command topic and announces ONLINE; false (logged) when it failed. */
  private boolean subscribe() {
    try {
      client.subscribe(WireCodec.topic(lab, id, "cmd"), 1, (topic, msg) -> onCommand(msg));
      publishState(InstrumentState.ONLINE);
      return true;
    } catch (MqttException e) {
      LOG.warn("{}: cannot subscribe: {}", id, e.getMessage());
      return false;
    }
  }

  private void awaitReconnect(Duration patience) {
    long until = System.nanoTime() + patience.toNanos();
    while (!client.isConnected() && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A broker that has just started may drop the first connection; try a few times. */
  private void connectWithRetry(MqttConnectOptions o) throws MqttException {
    for (int attempt = 1; ; attempt++) {
      try {
        client.connect(o);
        return;
      } catch (MqttException e) {
        if (attempt == 5) {
          throw e;
        }
        LOG.info("{}: connecting to the broker failed ({}), attempt {} of 5", id, e.getMessage(), attempt);
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void onCommand(MqttMessage msg) {
    InstrumentCommand cmd;
    try {
      cmd = WireCodec.decodeCommand(msg.getPayload());
    } catch (WireFormatException e) {
      LOG.warn("{}: rejected payload: {}", id, e.getMessage());
      if (e.commandId() != null) {
        publish(new InstrumentEvent.Error(e.commandId(), "BAD_PAYLOAD", e.getMessage()));
      }
      return;
    }
    byte[] previous = lastEvent.get(cmd.commandId());
    if (previous != null) {
      send(previous); // same id = same command: answer, never run twice
      return;
    }
    lastEvent.put(cmd.commandId(), WireCodec.encodeEvent(new InstrumentEvent.Ack(cmd.commandId()),
        Instant.now()));
    arm.execute(() -> execute(cmd));
  }

  private void execute(InstrumentCommand cmd) {
    publish(new InstrumentEvent.Ack(cmd.commandId()));
    publishState(InstrumentState.BUSY);
    InstrumentEvent outcome;
    try {
      Map<String, Object> result = perform(cmd);
      countExecution(cmd);
      outcome = new InstrumentEvent.Done(cmd.commandId(), result);
    } catch (SimFault f) {
      countExecution(cmd);
      outcome = new InstrumentEvent.Error(cmd.commandId(), f.code, f.getMessage());
    } catch (RuntimeException e) {
      outcome = new InstrumentEvent.Error(cmd.commandId(), "BAD_REQUEST", e.getMessage());
    }
    publish(outcome);
    publishState(InstrumentState.ONLINE);
  }

  private void countExecution(InstrumentCommand cmd) {
    Object sample = cmd.params().get("sample_id");
    Object to = cmd.params().get("to");
    bench.countExecution(id, cmd.action(), sample == null ? null : sample.toString(),
        to == null ? null : "to " + to);
  }

  private Map<String, Object> perform(InstrumentCommand cmd) {
    String sampleId = text(cmd, "sample_id");
    switch (cmd.action()) {
      case "dispense" -> {
        Object raw = cmd.params().get("masses_mg");
        if (!(raw instanceof Map<?, ?> masses) || masses.isEmpty()) {
          throw new IllegalArgumentException("dispense needs masses_mg {precursor: mg}");
        }
        Map<String, Double> moles = new LinkedHashMap<>();
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

  private static String text(InstrumentCommand cmd, String name) {
    Object v = cmd.params().get(name);
    if (v == null) {
      throw new IllegalArgumentException("parameter '" + name + "' is required");
    }
    return v.toString();
  }

  private static double number(InstrumentCommand cmd, String name) {
    if (!(cmd.params().get(name) instanceof Number n)) {
      throw new IllegalArgumentException("parameter '" + name + "' must be a number");
    }
    return n.doubleValue();
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private void sleepSim(double simSeconds) {
    long ms = Math.round(simSeconds * timeScale * 1000);
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void publish(InstrumentEvent e) {
    byte[] payload = WireCodec.encodeEvent(e, Instant.now());
    if (!(e instanceof InstrumentEvent.Progress)) {
      lastEvent.put(e.commandId(), payload);
    }
    send(payload);
  }

  private void send(byte[] payload) {
    try {
      client.publish(WireCodec.topic(lab, id, "evt"), payload, 1, false);
    } catch (MqttException ex) {
      LOG.warn("{}: cannot publish event: {}", id, ex.getMessage());
    }
  }

  private void publishState(InstrumentState s) {
    try {
      client.publish(WireCodec.topic(lab, id, "state"), WireCodec.encodeState(s, Instant.now()), 1, true);
    } catch (MqttException ex) {
      LOG.warn("{}: cannot publish state: {}", id, ex.getMessage());
    }
  }

  @Override
  public void close() {
    arm.shutdownNow();
    try {
      publishState(InstrumentState.OFFLINE);
      client.disconnect(1_000);
      client.close();
    } catch (MqttException e) {
      LOG.debug("{}: close: {}", id, e.getMessage());
    }
  }

  /** A physical failure the robot reports as an error event. */
  private static final class SimFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    SimFault(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
