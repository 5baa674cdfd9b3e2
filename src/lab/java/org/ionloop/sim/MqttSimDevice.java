package org.ionloop.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated station that is a real MQTT client obeying wire contract v1: it reads its
 * {@code cmd} topic, answers on {@code evt}, keeps a retained {@code state} with an "offline"
 * last will, and answers a repeated command id with its last event instead of running the step
 * again. Actions run one at a time, in simulated time; subclasses say what an action does
 * ({@link #perform}).
 */
abstract class MqttSimDevice implements AutoCloseable {
  private static final long PUBLISH_WAIT_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(MqttSimDevice.class);
  protected final String lab;
  protected final String id;
  protected final VirtualBench bench;
  protected final double timeScale;
  private final MqttClient client;
  private final ExecutorService arm;
  private final Map<String, byte[]> lastEvent = new ConcurrentHashMap<>();

  /**
   * @param timeScale real seconds per simulated second (1 = real time, 0 = instant)
   * @param username  broker user of this device (null for anonymous)
   * @param password  its password
   */
  protected MqttSimDevice(String brokerUrl, String lab, String id, VirtualBench bench, double timeScale,
      String username, String password) throws MqttException {
    this.lab = lab;
    this.id = id;
    this.bench = bench;
    this.timeScale = timeScale;
    this.arm = Executors.newSingleThreadExecutor(r -> new Thread(r, "sim-" + id));
    this.client = new MqttClient(brokerUrl, "sim-" + id, new MemoryPersistence());
    // Blocking publishes wait at most this long for the broker's acknowledgement: a device must
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
          new Thread(MqttSimDevice.this::subscribe, "sim-" + id + "-resubscribe").start();
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
    // The device exists for the lab only once it listens: a broker that drops the fresh
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

  protected void countExecution(InstrumentCommand cmd) {
    Object sample = cmd.params().get("sample_id");
    Object to = cmd.params().get("to");
    bench.countExecution(id, cmd.action(), sample == null ? null : sample.toString(),
        to == null ? null : "to " + to);
  }
  /**
   * Runs one action and returns its result for the {@code done} event.
   *
   * @throws SimFault for a physical failure the device reports with its code
   * @throws RuntimeException for a request it cannot follow (BAD_REQUEST)
   */
  protected abstract Map<String, Object> perform(InstrumentCommand cmd);

  protected static String text(InstrumentCommand cmd, String name) {
    Object v = cmd.params().get(name);
    if (v == null) {
      throw new IllegalArgumentException("parameter '" + name + "' is required");
    }
    return v.toString();
  }

  protected static double number(InstrumentCommand cmd, String name) {
    if (!(cmd.params().get(name) instanceof Number n)) {
      throw new IllegalArgumentException("parameter '" + name + "' must be a number");
    }
    return n.doubleValue();
  }

  protected void sleepSim(double simSeconds) {
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

  /** A physical failure the device reports as an error event. */
  protected static final class SimFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    protected SimFault(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
