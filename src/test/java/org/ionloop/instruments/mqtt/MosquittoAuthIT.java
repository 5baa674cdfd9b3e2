package org.ionloop.instruments.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    addUser(passwd, "auditor", "auditor-secret", false);
    // The repository's ACL, plus a test-only auditor who may read everything, to see what a
    // rule let through. The packet limit is the one in deploy/mosquitto/mosquitto.conf.
    Path acl = passwd.resolveSibling("acl");
    Files.writeString(acl, Files.readString(Path.of("deploy/mosquitto/acl")) + "\nuser auditor\ntopic read #\n");
    broker = new MosquittoBroker("allow_anonymous false\npassword_file " + passwd + "\nacl_file " + acl
        + "\nmax_packet_size 65536\n");
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
    commandRoundTrip("auth-1");
  }

  static void commandRoundTrip(String id) {
    TestProbe<Instrument.Event> probe = KIT.createTestProbe();
    orchestrator.tell(new Instrument.Execute(id, "dispense", Map.of("sample_id", id,
        "masses_mg", Map.of("Li2S", 100.0)), Duration.ofSeconds(10), probe.getRef()));
    probe.expectMessage(Duration.ofSeconds(10), new Instrument.Accepted(id));
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
  void theCommittedAclIsTheOneTheInstrumentFilesGive() throws Exception {
    assertEquals(BrokerAcl.of(org.ionloop.instruments.InstrumentRegistry.load(Path.of("instruments")).all()),
        Files.readString(Path.of("deploy/mosquitto/acl")),
        "regenerate it: bin/ionloop deploy broker-acl --instruments instruments > deploy/mosquitto/acl");
  }

  @Test
  void aRobotCannotPublishEventsOrStateIntoAnotherLab() throws Exception {
    MqttClient auditor = connect("auditor-lab", "auditor", "auditor-secret");
    TestProbe<String> seen = KIT.createTestProbe();
    auditor.subscribe("ionloop/v1/#", 1, (t, m) -> {
      if (t.startsWith("ionloop/v1/other-lab/")) {
        seen.getRef().tell(t);
      }
    });
    MqttClient rogue = connect("rogue-lab", "robot-1", "robot-1-secret");
    rogue.publish("ionloop/v1/other-lab/robot-1/evt", "{\"event\":\"done\"}".getBytes(), 1, false);
    rogue.publish("ionloop/v1/other-lab/robot-1/state", "{\"state\":\"idle\"}".getBytes(), 1, false);
    rogue.publish("ionloop/v1/other-lab/furnace-9/evt", "{\"event\":\"done\"}".getBytes(), 1, false);
    // A marker on the robot's own topic, published after the others on the same connection:
    // once the auditor has it, the broker has dealt with everything before it.
    TestProbe<String> own = KIT.createTestProbe();
    auditor.subscribe(WireCodec.topic("demo-lab", "robot-1", "evt"), 1, (t, m) -> {
      if (new String(m.getPayload()).contains("marker")) {
        own.getRef().tell("marker");
      }
    });
    rogue.publish(WireCodec.topic("demo-lab", "robot-1", "evt"), "{\"marker\":1}".getBytes(), 1, false);
    own.expectMessage(Duration.ofSeconds(10), "marker");
    seen.expectNoMessage(Duration.ofMillis(200));
    rogue.disconnect();
    auditor.disconnect();
  }

  @Test
  void aRetainedEventIsDroppedAndClearedWhenTheOrchestratorConnects() throws Exception {
    String evt = WireCodec.topic("demo-lab", "robot-1", "evt");
    MqttClient rogue = connect("rogue-retain", "robot-1", "robot-1-secret");
    rogue.publish(evt, "{\"id\":\"stale\",\"event\":\"done\",\"result\":{}}".getBytes(), 1, true);
    rogue.disconnect();
    // Mosquitto accepts the retained publish (it cannot refuse one per topic). The orchestrator
    // subscribed to evt, and one (re)connecting after a crash, which would be handed the retained
    // event as a replay of the past, drop it and clear it from the broker.
    MqttTransport restarted = new MqttTransport(broker.url(), "orchestrator-restarted", "demo-lab", "robot-1",
        new MqttSecurity("ionloop", "orchestrator-secret".toCharArray(), null));
    java.util.List<Object> acted = new java.util.concurrent.CopyOnWriteArrayList<>();
    restarted.onEvent(acted::add);
    restarted.connect().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (holdsRetained(evt) && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertFalse(holdsRetained(evt), "the retained event was cleared");
    assertTrue(acted.isEmpty(), "the retained event was not acted on: " + acted);
    restarted.close();
  }

  /**
   * Whether the broker holds a retained message on {@code topic}: a newcomer subscribes, then
   * the orchestrator publishes a marker; a retained message would reach the newcomer before it.
   */
  static boolean holdsRetained(String topic) throws Exception {
    MqttClient newcomer = connect("newcomer-" + System.nanoTime(), "auditor", "auditor-secret");
    java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
    newcomer.subscribe(topic, 1, (t, m) -> got.add(m.isRetained() && m.getPayload().length > 0 ? "retained"
        : new String(m.getPayload())));
    MqttClient marker = connect("marker-" + System.nanoTime(), "ionloop", "orchestrator-secret");
    marker.publish(topic, "marker".getBytes(), 1, false);
    boolean retained = false;
    for (String m = got.poll(10, java.util.concurrent.TimeUnit.SECONDS); m != null && !m.equals("marker");
        m = got.poll(10, java.util.concurrent.TimeUnit.SECONDS)) {
      retained |= m.equals("retained");
    }
    marker.disconnect();
    newcomer.disconnect();
    return retained;
  }

  @Test
  void anOversizedPacketDisconnectsItsSenderAndNoOneElse() throws Exception {
    MqttClient flooder = connect("flooder", "robot-1", "robot-1-secret");
    try {
      flooder.publish(WireCodec.topic("demo-lab", "robot-1", "evt"), new byte[100_000], 1, false);
    } catch (MqttException expected) {
      // the broker drops the connection before it acknowledges
    }
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (flooder.isConnected() && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertFalse(flooder.isConnected(), "a 100 kB packet must cost its sender the connection");
    flooder.close();
    commandRoundTrip("after-flood");
  }

  @Test
  void anonymousClientsAreRefused() {
    assertThrows(MqttException.class, () -> connect("anonymous", null, null));
  }
}
