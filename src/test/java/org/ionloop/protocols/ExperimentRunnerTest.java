package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.planner.space.Candidate;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A robot that never answers: the step's deadline fails the experiment, recorded, no hang, and the robot shows FAULT. */
class ExperimentRunnerTest {
  static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  static final ManualTime TIME = ManualTime.get(KIT.system());

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void aSilentRobotFailsTheExperimentAtTheStepDeadline() {
    var registry = InstrumentRegistry.load(Path.of("instruments"));
    var spec = CampaignSpec.load(Path.of("campaigns/demo.yaml"));
    ProtocolSpec protocol = ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml"));
    // The robot's transport accepts commands and never says a word back.
    var robot = KIT.spawn(Instrument.create(registry.find("robot-1").orElseThrow(),
        new org.ionloop.instruments.SilentTransport()));
    TestProbe<Store.Command> store = KIT.createTestProbe();
    TestProbe<ExperimentRunner.Outcome> parent = KIT.createTestProbe();
    var setup = new ExperimentRunner.Setup("c-test", protocol, spec.instruments(),
        Map.of("robot-1", robot), KIT.spawn(ResourceLocks.create()), store.getRef(), Runnable::run,
        spec.space().names(), spec.space().precursorCount(), spec.results());
    Candidate c = new Candidate("x", new double[] {0.625, 0.125, 0.25, 0.0, 525});
    KIT.spawn(ExperimentRunner.create(setup, "c-test-e001", c, parent.getRef()));

    // Nothing physical happens before the campaign's record of the experiment is committed.
    var sync = store.expectMessageClass(Store.Sync.class);
    store.expectNoMessage(Duration.ofMillis(100));
    sync.replyTo().tell(Store.Synced.INSTANCE);
    var sent = (StoreRecord.CommandSent) ((Store.Write) store.receiveMessage()).record();
    assertEquals("dispense", sent.action());
    // The command goes to the robot only once its record is committed.
    store.expectMessageClass(Store.Sync.class).replyTo().tell(Store.Synced.INSTANCE);
    TIME.timePasses(Duration.ofMinutes(29)); // dispense deadline is PT30M
    parent.expectNoMessage(Duration.ofMillis(100));
    TIME.timePasses(Duration.ofMinutes(2));
    var reply = (StoreRecord.ReplyReceived) ((Store.Write) store.receiveMessage()).record();
    assertEquals("FAILED", reply.state());
    assertEquals("TIMEOUT", reply.result().get("code"));
    var outcome = parent.expectMessageClass(ExperimentRunner.Failed.class);
    assertTrue(outcome.reason().contains("step dispense failed on robot-1: TIMEOUT"), outcome.reason());
    assertTrue(outcome.reason().contains("has said nothing since it was sent"), outcome.reason());
    // The operator sees which instrument stopped answering.
    TestProbe<Instrument.Description> described = KIT.createTestProbe();
    robot.tell(new Instrument.Describe(described.getRef()));
    assertEquals(org.ionloop.instruments.InstrumentState.FAULT, described.receiveMessage().state());
  }
}
