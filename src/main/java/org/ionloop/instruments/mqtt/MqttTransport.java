package org.ionloop.instruments.mqtt;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentState;
import org.ionloop.instruments.InstrumentTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT wire contract v1 over Eclipse Paho: publishes {@code cmd} with QoS 1, subscribes to the
 * instrument's {@code evt} and retained {@code state}. Paho reconnects automatically; the
 * subscriptions are renewed on every (re)connect. Malformed payloads are logged and dropped.
 */
public final class MqttTransport implements InstrumentTransport {
  private static final Logger LOG = LoggerFactory.getLogger(MqttTransport.class);
  private final String brokerUrl;
  private final String lab;
  private final String instrument;
  private final MqttAsyncClient client;
  private volatile Consumer<InstrumentEvent> events = e -> {};
  private volatile Consumer<InstrumentState> states = s -> {};
  private volatile Runnable reconnected = () -> {};
  private final MqttSecurity security;
  private volatile InstrumentState state = InstrumentState.OFFLINE;

  /**
   * @param brokerUrl e.g. {@code tcp://127.0.0.1:1883}
   * @param clientId  unique per connection; a persistent session is kept under it
   */
  public MqttTransport(String brokerUrl, String clientId, String lab, String instrument) {
    this(brokerUrl, clientId, lab, instrument, MqttSecurity.NONE);
  }

  /**
   * @param security username/password and TLS trust for the broker
   */
  public MqttTransport(String brokerUrl, String clientId, String lab, String instrument,
      MqttSecurity security) {
    this.security = security;
    this.brokerUrl = brokerUrl;
    this.lab = lab;
    this.instrument = instrument;
    try {
      this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("bad MQTT broker URL " + brokerUrl + ": " + e.getMessage(), e);
    }
    client.setCallback(new Callback());
    // Commands published while the link is down wait in memory and go out on reconnect.
    org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions buffer =
        new org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions();
    buffer.setBufferEnabled(true);
    buffer.setBufferSize(1000);
    buffer.setPersistBuffer(false);
    buffer.setDeleteOldestMessages(false);
    client.setBufferOpts(buffer);
  }

  @Override
  public CompletionStage<Void> connect() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(2_000);
    o.setKeepAliveInterval(10);
    o.setConnectionTimeout(5);
    o.setMaxInflight(1000);
    security.apply(o);
    CompletableFuture<Void> done = new CompletableFuture<>();
    // Connected means subscribed: a command sent before the subscription is in place could be
    // acknowledged, or even finished, by the instrument on a topic nobody here listens to yet.
    CompletableFuture<Void> linked = new CompletableFuture<>();
    linked.whenComplete((ok, err) -> {
      if (err != null) {
        done.completeExceptionally(err);
      } else {
        subscribe(done);
      }
    });
    try {
      client.connect(o, null, listener(linked));
    } catch (MqttException e) {
      linked.completeExceptionally(e);
    }
    return done;
  }

  /** Subscribes to the instrument's events and state; {@code done} completes on the SUBACK. */
  private void subscribe(CompletableFuture<Void> done) {
    try {
      client.subscribe(new String[] {topic("evt"), topic("state")}, new int[] {1, 1}, null,
          listener(done));
    } catch (MqttException e) {
      done.completeExceptionally(e);
    }
  }

  @Override
  public CompletionStage<Void> send(InstrumentCommand command) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      MqttMessage m = new MqttMessage(WireCodec.encodeCommand(command, Instant.now()));
      m.setQos(1);
      client.publish(topic("cmd"), m, null, listener(sent));
    } catch (MqttException e) {
      sent.completeExceptionally(e);
    }
    return sent;
  }

  private String topic(String kind) {
    return WireCodec.topic(lab, instrument, kind);
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
  public void onReconnected(Runnable action) {
    this.reconnected = action;
  }

  @Override
  public InstrumentState state() {
    return state;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(2_000);
      }
      client.close();
    } catch (MqttException e) {
      LOG.debug("{}: close: {}", instrument, e.getMessage());
    }
  }

  private static IMqttActionListener listener(CompletableFuture<Void> f) {
    return new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        f.complete(null);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        f.completeExceptionally(e);
      }
    };
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        // a broker restarted without persistence has forgotten the subscription
        CompletableFuture<Void> resubscribed = new CompletableFuture<>();
        resubscribed.whenComplete((ok, err) -> {
          if (err != null) {
            LOG.warn("{}: subscribe failed on {}: {}", instrument, brokerUrl, err.getMessage());
          }
        });
        subscribe(resubscribed);
        LOG.info("{}: reconnected to {}", instrument, serverUri);
        reconnected.run();
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warn("{}: connection to {} lost: {}", instrument, brokerUrl,
          cause == null ? "?" : cause.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        if (topic.endsWith("/evt") && message.getPayload().length == 0) {
          return; // a cleared retained event (below): nothing happened
        }
        if (topic.endsWith("/evt") && message.isRetained()) {
          // An event is something that just happened; a retained one is replayed to every new
          // subscriber, so acting on it would repeat the past. Contract v1 never retains evt.
          LOG.warn("{}: dropped a retained event on {} and cleared it (instruments must not retain evt)",
              instrument, topic);
          clearRetained(topic);
          return;
        }
        if (topic.endsWith("/evt")) {
          events.accept(WireCodec.decodeEvent(message.getPayload()));
        } else if (topic.endsWith("/state")) {
          state = WireCodec.decodeState(message.getPayload());
          states.accept(state);
        }
      } catch (WireFormatException e) {
        LOG.warn("{}: dropped malformed payload on {}: {}", instrument, topic, e.getMessage());
      }
    }

    private void clearRetained(String topic) {
      try {
        client.publish(topic, new byte[0], 1, true);
      } catch (MqttException e) {
        LOG.warn("{}: could not clear the retained event on {}: {}", instrument, topic, e.getMessage());
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
