package org.ionloop.instruments.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.SimRobot;
import org.ionloop.sim.VirtualBench;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MQTT path against a real Mosquitto broker: Instrument actor → Paho → broker → SimRobot. */
class MosquittoIT {
  static final ActorTestKit KIT = ActorTestKit.create();
  static MosquittoBroker broker;
  static SimRobot robot;
  static final VirtualBench BENCH = new VirtualBench();
  static akka.actor.typed.ActorRef<Instrument.Command> instrument;
  static final InstrumentSpec SPEC = InstrumentSpec.load(Path.of("instruments/robot-1.yaml"));

  @BeforeAll
  static void start() throws Exception {
    broker = new MosquittoBroker();
    robot = new SimRobot(broker.url(), "demo-lab", "robot-1", BENCH, 0, new SplittableRandom(1), 0);
    instrument = KIT.spawn(Instrument.create(SPEC,
        new MqttTransport(broker.url(), "orchestrator-it", "demo-lab", "robot-1")));
  }

  @AfterAll
  static void stop() throws Exception {
    KIT.shutdownTestKit();
    robot.close();
    broker.close();
  }

  Instrument.Completed run(String id, String action, Map<String, Object> params) {
    TestProbe<Instrument.Event> probe = KIT.createTestProbe();
    instrument.tell(new Instrument.Execute(id, action, params, Duration.ofSeconds(10), probe.getRef()));
    probe.expectMessage(Duration.ofSeconds(10), new Instrument.Accepted(id));
    return probe.expectMessageClass(Instrument.Completed.class, Duration.ofSeconds(10));
  }

  @Test
  void dispensesAndMeasuresThroughMosquitto() {
    run("it-1:dispense", "dispense", Map.of("sample_id", "it-1",
        "masses_mg", Map.of("Li2S", 400.0, "P2S5", 300.0, "LiCl", 300.0)));
    assertTrue(BENCH.find("it-1").isPresent());
    assertEquals(3, BENCH.find("it-1").get().fractions().size());
  }

  @Test
  void replaysLastEventForDuplicateCommandIdWithoutRunningTwice() throws Exception {
    run("it-2:dispense", "dispense", Map.of("sample_id", "it-2", "masses_mg", Map.of("Li2S", 500.0)));
    int before = BENCH.executions("robot-1", "dispense");
    // Publish the very same command again, as a driver does after a reconnect.
    MqttClient raw = new MqttClient(broker.url(), "replayer", new MemoryPersistence());
    raw.connect();
    TestProbe<String> events = KIT.createTestProbe();
    raw.subscribe(WireCodec.topic("demo-lab", "robot-1", "evt"), 1,
        (t, m) -> events.getRef().tell(new String(m.getPayload())));
    raw.publish(WireCodec.topic("demo-lab", "robot-1", "cmd"), WireCodec.encodeCommand(
        new org.ionloop.instruments.InstrumentCommand("it-2:dispense", "dispense",
            Map.of("sample_id", "it-2", "masses_mg", Map.of("Li2S", 500.0)), Duration.ofSeconds(5)),
        java.time.Instant.now()), 1, false);
    String replay = events.receiveMessage(Duration.ofSeconds(5));
    assertTrue(replay.contains("\"id\":\"it-2:dispense\"") && replay.contains("\"done\""), replay);
    events.expectNoMessage(Duration.ofMillis(300));
    assertEquals(before, BENCH.executions("robot-1", "dispense"), "the robot ran the step twice");
    raw.disconnect();
    raw.close();
  }

  @Test
  void garbageOnTheEventTopicIsIgnoredAndTheInstrumentKeepsWorking() throws Exception {
    MqttClient raw = new MqttClient(broker.url(), "vandal", new MemoryPersistence());
    raw.connect();
    raw.publish(WireCodec.topic("demo-lab", "robot-1", "evt"), "{not json".getBytes(), 1, false);
    raw.publish(WireCodec.topic("demo-lab", "robot-1", "evt"), "{\"v\":1}".getBytes(), 1, false);
    raw.disconnect();
    raw.close();
    run("it-3:dispense", "dispense", Map.of("sample_id", "it-3", "masses_mg", Map.of("Li2S", 500.0)));
    run("it-3:press", "press", Map.of("sample_id", "it-3", "mpa", 370, "diameter_mm", 10));
    Instrument.Completed g = run("it-3:geometry", "measure_geometry", Map.of("sample_id", "it-3"));
    assertTrue(g.result().containsKey("thickness_mm"));
  }
}
