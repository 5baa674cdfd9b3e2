package org.ionloop.sim;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * In-process MQTT broker (Moquette) on 127.0.0.1 for the demo: in-memory, anonymous, one port.
 * A lab uses Mosquitto instead (docker-compose.yml).
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** The largest MQTT packet the broker takes, as deploy/mosquitto/mosquitto.conf sets it. */
  public static final int MAX_PACKET_BYTES = 65536;

  private final Server server = new Server();
  private final int port;

  public EmbeddedBroker(int port) {
    this.port = port;
    Properties p = new Properties();
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    // Moquette otherwise reports usage to its authors' server; a lab network must not see that.
    p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
    // The same limit as the lab's Mosquitto (deploy/mosquitto: max_packet_size): a message the
    // demo delivers is one a lab delivers. Moquette's own default (8 kB) dropped legitimate
    // messages; a larger one costs only its sender the connection (EmbeddedBrokerAbuseTest).
    p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_PACKET_BYTES));
    try {
      server.startServer(new MemoryConfig(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded MQTT broker on port " + port, e);
    }
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
