package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.ScriptedTransport;
import org.ionloop.planner.space.Candidate;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An instrument's "done" whose result the runner cannot use fails that experiment with the
 * reason, recorded, and the runner ends normally: before, a missing {@code thickness_mm} threw a
 * ClassCastException/NullPointerException out of the runner, which stopped without telling the
 * campaign or freeing its stations.
 */
class MalformedResultTest {
  static final ActorTestKit KIT = ActorTestKit.create();
  static final ProtocolSpec PROTOCOL = ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml"));

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  static ProtocolStep step(String id) {
    return PROTOCOL.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void geometryAndSpectraAreCheckedBeforeTheyAreUsed() {
    ProtocolStep geometry = step("geometry");
    assertNull(ExperimentRunner.malformed(geometry, Map.of("thickness_mm", 1.0, "diameter_mm", 10.0)));
    assertTrue(ExperimentRunner.malformed(geometry, Map.of("diameter_mm", 10.0)).contains("thickness_mm"));
    assertTrue(ExperimentRunner.malformed(geometry, Map.of("thickness_mm", "1", "diameter_mm", 10.0)).contains("thickness_mm"));
    assertTrue(ExperimentRunner.malformed(geometry, Map.of("thickness_mm", -1.0, "diameter_mm", 10.0)).contains("thickness_mm"));
    ProtocolStep eis = PROTOCOL.steps().stream().filter(s -> !s.temperaturesC().isEmpty()).findFirst().orElseThrow();
    List<List<Double>> good = List.of(List.of(1e6, 10.0, -1.0), List.of(1e3, 100.0, -50.0), List.of(1.0, 200.0, -5.0));
    assertNull(ExperimentRunner.malformed(eis, Map.of("points", good, "temperature_c", 25.0)));
    assertTrue(ExperimentRunner.malformed(eis, Map.of("temperature_c", 25.0)).contains("points"));
    assertTrue(ExperimentRunner.malformed(eis, Map.of("points", good.subList(0, 2), "temperature_c", 25.0)).contains("at least 3"));
    assertTrue(ExperimentRunner.malformed(eis, Map.of("points", List.of(List.of(0.0, 1.0, 1.0), good.get(1), good.get(2)),
        "temperature_c", 25.0)).contains("point 0"));
    assertTrue(ExperimentRunner.malformed(eis, Map.of("points", List.of("x", "y", "z"), "temperature_c", 25.0)).contains("point 0"));
    assertTrue(ExperimentRunner.malformed(eis, Map.of("points", good)).contains("temperature_c"));
  }

  @Test
  void aRobotsGeometryWithoutThicknessFailsTheExperimentWithTheReason() {
    var registry = InstrumentRegistry.load(Path.of("instruments"));
    var spec = CampaignSpec.load(Path.of("campaigns/demo.yaml"));
    // Every robot command succeeds; measure_geometry forgets thickness_mm.
    var robot = KIT.spawn(Instrument.create(registry.find("robot-1").orElseThrow(), ScriptedTransport.done(
        c -> c.action().equals("measure_geometry") ? Map.of("diameter_mm", 10.0) : Map.of())));
    TestProbe<Store.Command> store = KIT.createTestProbe();
    TestProbe<ExperimentRunner.Outcome> parent = KIT.createTestProbe();
    var setup = new ExperimentRunner.Setup("c-test", PROTOCOL, spec.instruments(), Map.of("robot-1", robot),
        KIT.spawn(ResourceLocks.create()), store.getRef(), Runnable::run, spec.space().names(),
        spec.space().precursorCount(), spec.results());
    var runner = KIT.spawn(ExperimentRunner.create(setup, "c-test-e001",
        new Candidate("x", new double[] {0.625, 0.125, 0.25, 0.0, 525}), parent.getRef()));
    StoreRecord.ReplyReceived failedReply = null;
    while (failedReply == null) {
      Store.Command m = store.receiveMessage(java.time.Duration.ofSeconds(10));
      if (m instanceof Store.Sync sync) {
        sync.replyTo().tell(Store.Synced.INSTANCE);
      } else if (m instanceof Store.Write w && w.record() instanceof StoreRecord.ReplyReceived r
          && r.state().equals("FAILED")) {
        failedReply = r;
      }
    }
    assertEquals("BAD_RESULT", failedReply.result().get("code"));
    var outcome = parent.expectMessageClass(ExperimentRunner.Failed.class);
    assertTrue(outcome.reason().contains("malformed result") && outcome.reason().contains("thickness_mm"),
        outcome.reason());
    TestProbe<Object> watcher = KIT.createTestProbe();
    watcher.expectTerminated(runner, java.time.Duration.ofSeconds(5));
  }
}
