package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.ScriptedTransport;
import org.ionloop.instruments.SilentTransport;
import org.ionloop.planner.space.Candidate;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * When a driver cannot tell from a v1 device whether a re-sent command ran (a furnace "done" at
 * this anneal's setpoint), the experiment waits for the operator through the approval mechanism;
 * approving takes the step as done (recorded with who said so) and the protocol moves on.
 */
class OutcomeQuestionTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void theOperatorIsAskedAndApprovalTakesTheStepAsDone() {
    var registry = InstrumentRegistry.load(Path.of("instruments"));
    var spec = CampaignSpec.load(Path.of("campaigns/demo.yaml"));
    ProtocolSpec protocol = ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml"));
    var robot = KIT.spawn(Instrument.create(registry.find("robot-1").orElseThrow(), ScriptedTransport.done(
        c -> c.action().equals("measure_geometry") ? Map.of("thickness_mm", 1.0, "diameter_mm", 10.0) : Map.of())));
    var furnace = KIT.spawn(Instrument.create(registry.find("furnace-1").orElseThrow(), new ScriptedTransport(
        c -> new InstrumentEvent.Error(c.commandId(), Instrument.OUTCOME_UNKNOWN,
            "furnace-1 reports done at 25 °C (setpoint 525 °C): was this " + c.commandId() + "?"))));
    var analyzer = KIT.spawn(Instrument.create(registry.find("eis-1").orElseThrow(), new SilentTransport()));
    TestProbe<Store.Command> store = KIT.createTestProbe();
    TestProbe<ExperimentRunner.Outcome> parent = KIT.createTestProbe();
    var setup = new ExperimentRunner.Setup("c-test", protocol,
        Map.of("robot", java.util.List.of("robot-1"), "furnace", java.util.List.of("furnace-1"),
            "analyzer", java.util.List.of("eis-1")),
        Map.of("robot-1", robot, "furnace-1", furnace, "eis-1", analyzer), KIT.spawn(ResourceLocks.create()),
        store.getRef(), Runnable::run, spec.space().names(), spec.space().precursorCount(), spec.results());
    var runner = KIT.spawn(ExperimentRunner.create(setup, "c-test-e001",
        new Candidate("x", new double[] {0.625, 0.125, 0.25, 0.0, 525}), parent.getRef()));
    StoreRecord asked = drainUntil(store, r -> r instanceof StoreRecord.Event e && e.kind().equals("approval_requested"));
    assertEquals("outcome", ((StoreRecord.Event) asked).payload().get("kind"));
    var question = parent.expectMessageClass(ExperimentRunner.ApprovalNeeded.class, Duration.ofSeconds(10));
    assertEquals("anneal", question.stepId());
    assertTrue(question.prompt().contains("was this c-test-e001:anneal?") && question.prompt().contains("approve"),
        question.prompt());

    runner.tell(new ExperimentRunner.Approve("anneal", "alice"));
    var done = (StoreRecord.ReplyReceived) drainUntil(store, r -> r instanceof StoreRecord.ReplyReceived rr
        && rr.commandId().endsWith(":anneal"));
    assertEquals("DONE", done.state());
    assertEquals("alice", done.result().get("confirmed_by"));
    var next = (StoreRecord.CommandSent) drainUntil(store, r -> r instanceof StoreRecord.CommandSent);
    assertEquals("load-cell", next.stepId(), "the protocol moves on after the confirmed anneal");
  }

  /** Answers the runner's syncs and returns the first record written that matches. */
  private static StoreRecord drainUntil(TestProbe<Store.Command> store, java.util.function.Predicate<StoreRecord> match) {
    while (true) {
      Store.Command m = store.receiveMessage(Duration.ofSeconds(10));
      if (m instanceof Store.Sync sync) {
        sync.replyTo().tell(Store.Synced.INSTANCE);
      } else if (m instanceof Store.Write w && match.test(w.record())) {
        return w.record();
      } else if (m instanceof Store.WriteAll all) {
        for (StoreRecord r : all.records()) {
          if (match.test(r)) {
            return r;
          }
        }
      }
    }
  }
}
