package org.ionloop.instruments.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.SimRobot;
import org.ionloop.sim.VirtualBench;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository's Mosquitto ACL (deploy/mosquitto/acl) on a real broker with passwords. */
class MosquittoAuthIT {
  static final ActorTestKit KIT = ActorTestKit.create();
  static final VirtualBench BENCH = new VirtualBench();
  static MosquittoBroker broker;
  static SimRobot robot;
  static akka.actor.typed.ActorRef<Instrument.Command> orchestrator;

  @BeforeAll
  static void start() throws Exception {
    Path passwd = Files.createTempDirectory("mqtt-auth").resolve("passwd");
    addUser(passwd, "ionloop", "orchestrator-secret", true);
    addUser(passwd, "robot-1", "robot-1-secret", false);
    addUser(passwd, "robot-2", "robot-2-secret", false);
    broker = new MosquittoBroker("allow_anonymous false\npassword_file " + passwd + "\nacl_file "
        + Path.of("deploy/mosquitto/acl").toAbsolutePath() + "\n");
    robot = new SimRobot(broker.url(), "demo-lab", "robot-1", BENCH, 0, new SplittableRandom(1), 0,
        "robot-1", "robot-1-secret");
    InstrumentSpec spec = InstrumentSpec.load(Path.of("instruments/robot-1.yaml"));
    orchestrator = KIT.spawn(Instrument.create(spec, new MqttTransport(broker.url(), "orchestrator-auth",
        "demo-lab", "robot-1", new MqttSecurity("ionloop", "orchestrator-secret".toCharArray(), null))));
  }

  static void addUser(Path file, String user, String password, boolean create) throws Exception {
    ProcessBuilder pb = create
        ? new ProcessBuilder("mosquitto_passwd", "-c", "-b", file.toString(), user, password)
        : new ProcessBuilder("mosquitto_passwd", "-b", file.toString(), user, password);
    assertEquals(0, pb.inheritIO().start().waitFor(), "mosquitto_passwd for " + user);
  }

  @AfterAll
  static void stop() throws Exception {
    KIT.shutdownTestKit();
    robot.close();
    broker.close();
  }

  static MqttClient connect(String clientId, String user, String password) throws MqttException {
    MqttClient c = new MqttClient(broker.url(), clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    if (user != null) {
      o.setUserName(user);
      o.setPassword(password.toCharArray());
    }
    c.connect(o);
    return c;
  }

  static byte[] dispense(String id) {
    return WireCodec.encodeCommand(new InstrumentCommand(id, "dispense", Map.of("sample_id", id,
        "masses_mg", Map.of("Li2S", 100.0)), Duration.ofSeconds(5)), Instant.now());
  }

  @Test
  void theOrchestratorCommandsTheRobot() {
    TestProbe<Instrument.Event> probe = KIT.createTestProbe();
    orchestrator.tell(new Instrument.Execute("auth-1", "dispense", Map.of("sample_id", "auth-1",
        "masses_mg", Map.of("Li2S", 100.0)), Duration.ofSeconds(10), probe.getRef()));
    probe.expectMessage(Duration.ofSeconds(10), new Instrument.Accepted("auth-1"));
    probe.expectMessageClass(Instrument.Completed.class, Duration.ofSeconds(10));
  }

  @Test
  void aRobotsCredentialsCannotPublishACommand() throws Exception {
    MqttClient rogue = connect("rogue-robot-1", "robot-1", "robot-1-secret");
    TestProbe<String> events = KIT.createTestProbe();
    MqttClient watcher = connect("watcher", "ionloop", "orchestrator-secret");
    watcher.subscribe(WireCodec.topic("demo-lab", "robot-1", "evt"), 1,
        (t, m) -> events.getRef().tell(new String(m.getPayload())));
    int before = BENCH.executions("robot-1", "dispense");
    rogue.publish(WireCodec.topic("demo-lab", "robot-1", "cmd"), dispense("rogue-1"), 1, false);
    events.expectNoMessage(Duration.ofMillis(700));
    assertEquals(before, BENCH.executions("robot-1", "dispense"), "the broker let a robot issue a command");
    rogue.disconnect();
    watcher.disconnect();
  }

  @Test
  void aRobotCannotReadAnotherRobotsCommands() throws Exception {
    MqttClient snoop = connect("snoop", "robot-2", "robot-2-secret");
    TestProbe<String> seen = KIT.createTestProbe();
    snoop.subscribe(WireCodec.topic("demo-lab", "robot-1", "cmd"), 1,
        (t, m) -> seen.getRef().tell(new String(m.getPayload())));
    MqttClient boss = connect("boss", "ionloop", "orchestrator-secret");
    boss.publish(WireCodec.topic("demo-lab", "robot-1", "cmd"), dispense("auth-snoop"), 1, false);
    seen.expectNoMessage(Duration.ofMillis(700));
    snoop.disconnect();
    boss.disconnect();
  }

  @Test
  void anonymousClientsAreRefused() {
    assertThrows(MqttException.class, () -> connect("anonymous", null, null));
  }
}
