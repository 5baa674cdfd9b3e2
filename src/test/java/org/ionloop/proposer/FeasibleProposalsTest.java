package org.ionloop.proposer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What the proposer hands the planner: feasible, charge-neutral, and nothing already made. */
class FeasibleProposalsTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void formulasOfPrecursorMixturesAreChargeNeutral() {
    Formula argyrodite = Formula.of(Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25));
    assertEquals("Li6.00PS5.00Cl", argyrodite.toString());
    assertEquals(0, argyrodite.netCharge(), 1e-12);
    assertEquals("Li5.50PS4.50Cl1.50", Formula.of(Map.of("Li2S", 0.5, "P2S5", 0.125, "LiCl", 0.375)).toString());
    // Any compound is a precursor by its formula; what is not a formula is refused.
    assertEquals(0, Formula.of(Map.of("LiNO3", 0.5, "La(NO3)3·6H2O", 0.5)).netCharge(), 1e-12);
    assertEquals("Li7.00La3.00Zr2.00O12.00", Formula.of(Map.of("Li2O", 3.5, "La2O3", 1.5, "ZrO2", 2.0)).toString());
    assertThrows(IllegalArgumentException.class, () -> Formula.of(Map.of("LiXx", 1.0)));
  }

  @Test
  void samplesOfDesignsAlreadyMadeAreDroppedAndCounted() {
    DesignSpace space = CampaignSpec.load(Path.of("campaigns/demo.yaml")).space();
    TestProbe<Proposer.Proposed> replies = KIT.createTestProbe();
    var first = KIT.spawn(Proposer.create(new DiffusionProposer(Path.of("models/proposer"), space, 2.0, 10),
        space, ForkJoinPool.commonPool(), new SplittableRandom(9)));
    first.tell(new Proposer.Propose("a", new double[] {-2, 25, 0}, 32, replies.getRef()));
    Proposer.Proposed a = replies.receiveMessage(Duration.ofSeconds(30));
    assertTrue(a.candidates().size() > 20, "few duplicates within one request: " + a.duplicates());
    a.candidates().forEach(c -> assertTrue(space.isFeasible(c.x()), c.toString()));

    // The same seed proposes the same designs; all of them are already made now.
    var second = KIT.spawn(Proposer.create(new DiffusionProposer(Path.of("models/proposer"), space, 2.0, 10),
        space, ForkJoinPool.commonPool(), new SplittableRandom(9)));
    List<double[]> made = a.candidates().stream().map(Candidate::x).toList();
    second.tell(new Proposer.Propose("b", new double[] {-2, 25, 0}, 32, replies.getRef(), made));
    Proposer.Proposed b = replies.receiveMessage(Duration.ofSeconds(30));
    assertEquals(0, b.candidates().size(), "every sample repeats a design already made");
    assertEquals(32, b.duplicates());
  }
}
