package org.ionloop.proposer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.space.DesignSpace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping the proposer's model while requests are in flight loses and fails none of them. */
class HotSwapTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir
  Path dir;

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** The committed model under another version label (a stand-in for a retrained one). */
  private DiffusionProposer model(String version, DesignSpace space) throws Exception {
    Path d = Files.createDirectories(dir.resolve(version));
    Files.copy(Path.of("models/proposer/diffusion.onnx"), d.resolve("diffusion.onnx"));
    Files.writeString(d.resolve("model-card.json"), Files.readString(Path.of("models/proposer/model-card.json"))
        .replace("\"version\": \"diffusion-v1\"", "\"version\": \"" + version + "\""));
    return new DiffusionProposer(d, space, 2.0, 10);
  }

  @Test
  void everyRequestIsAnsweredByTheModelItStartedOnWhileModelsAreSwapped() throws Exception {
    DesignSpace space = CampaignSpec.load(Path.of("campaigns/demo.yaml")).space();
    var proposer = KIT.spawn(Proposer.create(model("m0", space), space, ForkJoinPool.commonPool(),
        new SplittableRandom(1)));
    TestProbe<Proposer.Proposed> replies = KIT.createTestProbe();
    TestProbe<Proposer.Swapped> swaps = KIT.createTestProbe();
    int requests = 40;
    for (int i = 0; i < requests; i++) {
      proposer.tell(new Proposer.Propose("r" + i, new double[] {-2, 25, 0}, 32, replies.getRef()));
      if (i % 10 == 9) {
        proposer.tell(new Proposer.Swap(model("m" + (i / 10 + 1), space), swaps.getRef()));
      }
    }
    Set<String> ids = new HashSet<>();
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      Proposer.Proposed p = replies.receiveMessage(Duration.ofSeconds(60));
      assertNull(p.failure(), p.requestId() + " failed: " + p.failure());
      assertEquals(32, p.candidates().size());
      p.candidates().forEach(c -> assertTrue(space.isFeasible(c.x()), c.toString()));
      ids.add(p.requestId());
      versions.add(p.modelVersion());
    }
    assertEquals(requests, ids.size(), "every request answered once");
    List<String> swapped = swaps.receiveSeveralMessages(4, Duration.ofSeconds(10)).stream()
        .map(s -> s.from() + "→" + s.to()).toList();
    assertEquals(List.of("m0→m1", "m1→m2", "m2→m3", "m3→m4"), swapped);
    assertTrue(versions.size() >= 2, "requests were served by several models: " + versions);
    // After the swaps, new requests go to the newest model.
    proposer.tell(new Proposer.Propose("after", new double[] {-2, 25, 0}, 8, replies.getRef()));
    assertEquals("m4", replies.receiveMessage(Duration.ofSeconds(30)).modelVersion());
  }
}
