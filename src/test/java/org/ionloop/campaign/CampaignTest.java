package org.ionloop.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.ionloop.TestCampaigns;
import org.ionloop.analysis.eis.ArrheniusFit;
import org.ionloop.analysis.eis.SampleAnalysis;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.Planner;
import org.ionloop.planner.space.Candidate;
import org.ionloop.protocols.ExperimentRunner;
import org.ionloop.protocols.ProtocolSpec;
import org.ionloop.protocols.ResourceLocks;
import org.ionloop.proposer.Proposer;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign actor on its own: the proposer and the planner are probes, each experiment is a
 * script that ends at once with the outcome a test gives, and time is manual. What it must do:
 * hand the planner every result with every request (a restarted planner has lost nothing), give
 * up waiting on a decision at its deadline, stop spending budget on an instrument that keeps
 * failing or a role with no station, and say in its end state whether experiments failed.
 */
class CampaignTest {
  static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  static final ManualTime TIME = ManualTime.get(KIT.system());
  static final ProtocolSpec PROTOCOL = ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml"));

  @TempDir
  Path dir;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A campaign under test and everything around it. */
  final class Harness {
    final TestProbe<Proposer.Command> proposer = KIT.createTestProbe();
    final TestProbe<Planner.Command> planner = KIT.createTestProbe();
    final TestProbe<Campaign.Update> listener = KIT.createTestProbe();
    final List<StoreRecord> records = new CopyOnWriteArrayList<>();
    final ActorRef<ResourceLocks.Command> locks = KIT.spawn(ResourceLocks.create());
    final CampaignSpec spec;
    final ActorRef<Campaign.Command> campaign;
    int decided;

    Harness(String budget, BiFunction<String, Candidate, ExperimentRunner.Outcome> outcomes) throws Exception {
      String text = TestCampaigns.demoCopy().replace("  experiments: 24\n  parallel: 4\n", budget);
      Path file = dir.resolve("c.yaml");
      Files.writeString(file, text);
      spec = CampaignSpec.load(file);
      ActorRef<Store.Command> store = KIT.spawn(Behaviors.receiveMessage(m -> {
        if (m instanceof Store.Write w) {
          records.add(w.record());
        } else if (m instanceof Store.Sync s) {
          s.replyTo().tell(Store.Synced.INSTANCE);
        }
        return Behaviors.same();
      }));
      var setup = new ExperimentRunner.Setup("c", PROTOCOL, spec.instruments(), Map.of(), locks, store,
          Runnable::run, spec.space().names(), spec.space().precursorCount(), spec.results());
      Campaign.Experiments scripted = (id, candidate, replay, replyTo) -> Behaviors.setup(ctx -> {
        replyTo.tell(outcomes.apply(id, candidate));
        return Behaviors.stopped();
      });
      var wiring = new Campaign.Wiring(proposer.getRef(), planner.getRef(), store, setup, listener.getRef(),
          null, scripted);
      campaign = KIT.spawn(Campaign.create("c", spec, wiring));
    }

    /** Answers the next proposal request with one candidate; returns the request. */
    Proposer.Propose propose() {
      var p = proposer.expectMessageClass(Proposer.Propose.class, Duration.ofSeconds(5));
      Candidate c = new Candidate("k" + decided, new double[] {0.6, 0.15, 0.25, 0.0, 500 + decided});
      decided++;
      p.replyTo().tell(new Proposer.Proposed(p.requestId(), List.of(c), "m1", 0, 0, 0, null, 0));
      return p;
    }

    /** Answers the next batch request by choosing every candidate offered; returns the request. */
    Planner.SelectBatch select() {
      var s = planner.expectMessageClass(Planner.SelectBatch.class, Duration.ofSeconds(5));
      var chosen = s.candidates().stream()
          .map(c -> new BatchSelector.Selection(c, 0.1, "test", null, null, null)).toList();
      s.replyTo().tell(new Planner.BatchSelected(s.requestId(), chosen, s.observations().size(), null, null));
      return s;
    }

    /** One decision: a proposal, a batch, one experiment started (and at once ended by its script). */
    Planner.SelectBatch decide() {
      propose();
      return select();
    }

    <T extends Campaign.Update> T expectUpdate(Class<T> type) {
      return listener.fishForMessage(Duration.ofSeconds(5), u -> type.isInstance(u)
          ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
          : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).stream()
          .filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** Waits until the store has an event of this kind (the store writes after the campaign moves on). */
    void awaitRecorded(String kind) {
      listener.awaitAssert(Duration.ofSeconds(5), () -> {
        assertTrue(recorded(kind), "no " + kind + " in " + records);
        return null;
      });
    }

    boolean recorded(String kind) {
      return records.stream().anyMatch(r -> r instanceof StoreRecord.Event e && e.kind().equals(kind));
    }

    void awaitStates(List<String> expected) {
      listener.awaitAssert(Duration.ofSeconds(5), () -> {
        assertEquals(expected, states());
        return null;
      });
    }

    List<String> states() {
      return records.stream().filter(r -> r instanceof StoreRecord.CampaignStateChanged)
          .map(r -> ((StoreRecord.CampaignStateChanged) r).state()).toList();
    }
  }

  static ExperimentRunner.Outcome succeeded(String id, Candidate c, String... instruments) {
    var analysis = new SampleAnalysis.Result(List.of(), new ArrheniusFit.Result(0.3, 0.01, -2.5, 0.02, 4), null);
    var objectives = new java.util.LinkedHashMap<String, StoreRecord.Value>();
    objectives.put("log10_sigma25", new StoreRecord.Value(-2.5, 0.02));
    objectives.put("ea_ev", new StoreRecord.Value(0.3, 0.01));
    return new ExperimentRunner.Succeeded(id, c, objectives, analysis, 1.0, 10.0, java.util.Set.of(instruments));
  }

  static ExperimentRunner.Outcome failedOn(String instrument, String id, Candidate c) {
    return new ExperimentRunner.Failed(id, c, "step dispense failed on " + instrument + ": INSTRUMENT_ERROR jam",
        Map.of(), instrument);
  }

  @Test
  void thePlannerIsHandedEveryResultWithEveryRequest() throws Exception {
    Harness h = new Harness("  experiments: 3\n  parallel: 1\n", (id, c) -> succeeded(id, c, "robot-1"));
    for (int i = 0; i < 3; i++) {
      var request = h.decide();
      assertEquals(i, request.observations().size(), "request " + i + " carried " + request.observations().size());
    }
    var finished = h.expectUpdate(Campaign.Finished.class);
    assertEquals("COMPLETED", finished.state());
    assertEquals("3 of 3 experiments gave results", finished.reason());
  }

  @Test
  void aProposerThatDoesNotAnswerPausesTheCampaignAtTheDeadlineAndResumeAsksAgain() throws Exception {
    Harness h = new Harness("  experiments: 2\n  parallel: 1\n  decision_timeout: PT2M\n",
        (id, c) -> succeeded(id, c, "robot-1"));
    h.proposer.expectMessageClass(Proposer.Propose.class); // never answered
    TIME.timePasses(Duration.ofSeconds(119));
    h.listener.expectNoMessage(Duration.ofMillis(100));
    TIME.timePasses(Duration.ofSeconds(2));
    var paused = h.expectUpdate(Campaign.Paused.class);
    assertTrue(paused.reason().startsWith("the proposer did not answer decision c-d1 within PT2M"), paused.reason());
    h.awaitRecorded("decision_timed_out");
    h.awaitStates(List.of("RUNNING", "PAUSED"));
    TestProbe<StatusReply<akka.Done>> reply = KIT.createTestProbe();
    h.campaign.tell(new Campaign.Resume(reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    h.decide();
    h.decide();
    assertEquals("COMPLETED", h.expectUpdate(Campaign.Finished.class).state());
  }

  @Test
  void aPlannerThatDoesNotAnswerPausesTheCampaignToo() throws Exception {
    Harness h = new Harness("  experiments: 2\n  parallel: 1\n  decision_timeout: PT1M\n",
        (id, c) -> succeeded(id, c, "robot-1"));
    h.propose();
    h.planner.expectMessageClass(Planner.SelectBatch.class); // never answered
    TIME.timePasses(Duration.ofSeconds(61));
    var paused = h.expectUpdate(Campaign.Paused.class);
    assertTrue(paused.reason().startsWith("the planner did not answer"), paused.reason());
    h.proposer.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void anInstrumentFailingExperimentsInARowPausesTheCampaignInsteadOfSpendingItsBudget() throws Exception {
    Harness h = new Harness("  experiments: 10\n  parallel: 1\n  max_consecutive_failures: 3\n",
        (id, c) -> failedOn("robot-1", id, c));
    h.decide();
    h.decide();
    h.decide();
    var paused = h.expectUpdate(Campaign.Paused.class);
    assertTrue(paused.reason().startsWith("robot-1 failed 3 experiments in a row"), paused.reason());
    h.proposer.expectNoMessage(Duration.ofMillis(300));
    h.awaitStates(List.of("RUNNING", "PAUSED"));
    // The operator has looked at the robot: the campaign carries on, the count starts again.
    TestProbe<StatusReply<akka.Done>> reply = KIT.createTestProbe();
    h.campaign.tell(new Campaign.Resume(reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    h.decide();
    h.decide();
    h.proposer.expectMessageClass(Proposer.Propose.class);
  }

  @Test
  void failuresSpreadOverInstrumentsWithSuccessesBetweenDoNotPause() throws Exception {
    var n = new java.util.concurrent.atomic.AtomicInteger();
    // robot-1 fails every other experiment; the ones between succeed on it.
    Harness h = new Harness("  experiments: 6\n  parallel: 1\n  max_consecutive_failures: 2\n",
        (id, c) -> n.getAndIncrement() % 2 == 0 ? failedOn("robot-1", id, c) : succeeded(id, c, "robot-1"));
    for (int i = 0; i < 6; i++) {
      h.decide();
    }
    var finished = h.expectUpdate(Campaign.Finished.class);
    assertEquals("COMPLETED_WITH_FAILURES", finished.state());
    assertEquals("3 of 6 experiments gave results, 3 failed", finished.reason());
    assertTrue(!h.states().contains("PAUSED"), h.states().toString());
  }

  @Test
  void aRoleWithNoStationInServicePausesBeforeAnotherSampleIsMadeAndAReleaseCarriesOn() throws Exception {
    var n = new java.util.concurrent.atomic.AtomicInteger();
    Harness h = new Harness("  experiments: 3\n  parallel: 1\n", (id, c) -> n.getAndIncrement() == 0
        ? new ExperimentRunner.Failed(id, c, "step anneal failed on furnace-1", Map.of(
            "furnace-1", "pellet inside", "furnace-2", "pellet inside"), "furnace-1")
        : succeeded(id, c, "robot-1", "furnace-1"));
    h.decide();
    var paused = h.expectUpdate(Campaign.Paused.class);
    assertTrue(paused.reason().startsWith("no furnace in service: furnace-1 (pellet inside)"), paused.reason());
    h.proposer.expectNoMessage(Duration.ofMillis(300));
    TestProbe<StatusReply<akka.Done>> reply = KIT.createTestProbe();
    h.campaign.tell(new Campaign.ReleaseStation("furnace-9", "ops", "looked", reply.getRef()));
    assertTrue(reply.receiveMessage().getError().getMessage().contains("not out of service"));
    h.campaign.tell(new Campaign.ReleaseStation("furnace-2", "ops", "emptied and cleaned", reply.getRef()));
    assertTrue(reply.receiveMessage().isSuccess());
    h.awaitRecorded("station_released");
    h.decide();
    h.decide();
    var finished = h.expectUpdate(Campaign.Finished.class);
    assertEquals("COMPLETED_WITH_FAILURES", finished.state());
    assertEquals(3, org.ionloop.store.CampaignHistory.exitCodeOf(finished.state()));
  }
}
