package org.ionloop.instruments.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentProbes;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.SimRobot;
import org.ionloop.sim.VirtualBench;
import org.junit.jupiter.api.Test;

/**
 * The broker (a real Mosquitto process, with persistence) is stopped and restarted while a
 * robot is milling: the command still completes, exactly once.
 */
class BrokerRestartIT {
  @Test
  void aCommandSurvivesABrokerRestartAndRunsExactlyOnce() throws Exception {
    ActorTestKit kit = ActorTestKit.create();
    VirtualBench bench = new VirtualBench();
    try (MosquittoBroker broker = new MosquittoBroker("allow_anonymous true\npersistence true\n"
        + "persistence_location ${dir}/\nautosave_interval 1\n")) {
      // 60 simulated minutes of milling take 3 s of real time.
      SimRobot robot = new SimRobot(broker.url(), "demo-lab", "robot-1", bench, 3.0 / 3600,
          new SplittableRandom(1), 0);
      try {
        var spec = InstrumentSpec.load(Path.of("instruments/robot-1.yaml"));
        var instrument = kit.spawn(Instrument.create(spec,
            new MqttTransport(broker.url(), "orchestrator-restart", "demo-lab", "robot-1")));
        TestProbe<Instrument.Event> probe = kit.createTestProbe();
        instrument.tell(new Instrument.Execute("r-1:dispense", "dispense", Map.of("sample_id", "r-1",
            "masses_mg", Map.of("Li2S", 100.0)), Duration.ofSeconds(30), probe.getRef()));
        probe.expectMessage(Duration.ofSeconds(10), new Instrument.Accepted("r-1:dispense"));
        probe.expectMessageClass(Instrument.Completed.class, Duration.ofSeconds(30));
        instrument.tell(new Instrument.Execute("r-1:mill", "mill", Map.of("sample_id", "r-1",
            "rpm", 400, "minutes", 60), Duration.ofSeconds(60), probe.getRef()));
        probe.expectMessage(Duration.ofSeconds(10), new Instrument.Accepted("r-1:mill"));
        broker.stop();
        Thread.sleep(1000); // the outage itself (a scenario's length, not a wait for something)
        broker.start();
        Instrument.Event end = InstrumentProbes.awaitEnd(probe, Duration.ofSeconds(40));
        assertEquals(Instrument.Completed.class, end.getClass(), end.toString());
        // A later command is a barrier: a duplicate of the first mill would have arrived before it.
        instrument.tell(new Instrument.Execute("r-2:mill", "mill", Map.of("sample_id", "r-1",
            "rpm", 400, "minutes", 1), Duration.ofSeconds(60), probe.getRef()));
        assertEquals(Instrument.Completed.class, InstrumentProbes.awaitEnd(probe, Duration.ofSeconds(40)).getClass());
        assertEquals(2, bench.executions("robot-1", "mill"), "each mill ran exactly once");
      } finally {
        robot.close();
      }
    } finally {
      kit.shutdownTestKit();
    }
  }
}
