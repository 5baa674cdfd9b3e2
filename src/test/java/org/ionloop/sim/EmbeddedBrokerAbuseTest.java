package org.ionloop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's in-process broker holds when clients misbehave: an oversized message, bytes that are
 * not MQTT, and a client flooding the robot's command topic cost the offender its connection (or
 * nothing), never a well-behaved client's. Before, one ~30 kB message wedged delivery to robot-1.
 */
class EmbeddedBrokerAbuseTest {
  static final String TOPIC = "ionloop/v1/demo-lab/robot-1/cmd";
  EmbeddedBroker broker;
  MqttClient robot;
  MqttClient orchestrator;
  final BlockingQueue<String> robotGot = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    broker = new EmbeddedBroker(Ports.free());
    robot = client("robot-1");
    robot.subscribe(TOPIC, 1, (t, m) -> {
      String text = new String(m.getPayload(), StandardCharsets.UTF_8);
      if (text.startsWith("ok")) {
        robotGot.add(text);
      }
    });
    orchestrator = client("orchestrator");
  }

  @AfterEach
  void stop() throws Exception {
    for (MqttClient c : new MqttClient[] {robot, orchestrator}) {
      if (c != null && c.isConnected()) {
        c.disconnectForcibly(0, 500);
      }
    }
    broker.close();
  }

  MqttClient client(String id) throws MqttException {
    MqttClient c = new MqttClient(broker.url(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    c.connect(o);
    return c;
  }

  /** The orchestrator's next command reaches the robot, over connections that were never dropped. */
  void wellBehavedClientsStillTalk(String after) throws Exception {
    orchestrator.publish(TOPIC, ("ok after " + after).getBytes(StandardCharsets.UTF_8), 1, false);
    assertEquals("ok after " + after, robotGot.poll(10, TimeUnit.SECONDS), "robot-1 got nothing after " + after);
    assertTrue(robot.isConnected() && orchestrator.isConnected());
  }

  @Test
  void aLargeMessageWithinTheLabsLimitIsDelivered() throws Exception {
    byte[] big = new byte[30_000];
    java.util.Arrays.fill(big, (byte) 'x');
    big[0] = 'o';
    big[1] = 'k';
    orchestrator.publish(TOPIC, big, 1, false);
    String got = robotGot.poll(10, TimeUnit.SECONDS);
    assertEquals(30_000, got == null ? 0 : got.length(), "a 30 kB command (under the 64 kB limit) must arrive");
    wellBehavedClientsStillTalk("a 30 kB message");
  }

  @Test
  void anOversizedMessageCostsOnlyItsSender() throws Exception {
    for (int size : new int[] {70_000, 1_000_000}) {
      MqttClient attacker = client("attacker-" + size);
      attacker.setTimeToWait(2000); // its publish is never acknowledged: the broker drops it
      try {
        attacker.publish(TOPIC, new byte[size], 1, false);
      } catch (MqttException dropped) {
        // over the broker's limit the sender is disconnected: that is the point
      }
      attacker.disconnectForcibly(0, 500);
      attacker.close(true);
      wellBehavedClientsStillTalk(size + " bytes");
    }
  }

  @Test
  void bytesThatAreNotMqttCostOnlyTheirSender() throws Exception {
    for (byte[] garbage : new byte[][] {
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, // CONNECT with a malformed length
        {0x30, 0x7f, 0, 5, 'a', 'b'}}) { // a PUBLISH before CONNECT
      try (Socket s = new Socket("127.0.0.1", Integer.parseInt(broker.url().replaceAll(".*:", "")))) {
        OutputStream out = s.getOutputStream();
        out.write(garbage);
        out.flush();
      }
      wellBehavedClientsStillTalk("garbage " + garbage[0]);
    }
  }

  @Test
  void aClientFloodingTheRobotsTopicDoesNotCutTheRobotOff() throws Exception {
    MqttClient flood = client("flood");
    byte[] junk = new byte[4000];
    for (int i = 0; i < 5000; i++) {
      flood.publish(TOPIC, junk, 0, false);
    }
    wellBehavedClientsStillTalk("5000 messages of 4 kB");
    flood.disconnectForcibly(0, 500);
  }
}
