package org.ionloop.proposer.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.DiffusionProposer;
import org.ionloop.sim.MaterialModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real PyTorch trainer (Debian's python3-torch) as a subprocess, on a small base set and a
 * campaign's worth of measurements: a model that passes validation is handed over, one that
 * does not is rejected and the current model is untouched, and a missing or failing trainer is
 * a clear reason, never a crash.
 */
class RetrainerIT {
  static DesignSpace space;
  static DiffusionProposer current;
  static List<MeasuredRow> measured = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeAll
  static void setUp() {
    space = CampaignSpec.load(Path.of("campaigns/demo.yaml")).space();
    current = new DiffusionProposer(Path.of("models/proposer"), space, 2.0, 20);
    MaterialModel truth = new MaterialModel();
    SplittableRandom rng = new SplittableRandom(4);
    for (int e = 0; e < 20; e++) {
      double[] x = space.sample(rng);
      var t = truth.truth(Map.of("Li2S", x[0], "P2S5", x[1], "LiCl", x[2], "LiBr", x[3]), x[4]);
      for (double temp : new double[] {25, 50, 75, 100}) {
        measured.add(new MeasuredRow("e" + e, x, temp, Math.log10(t.sigmaAt(temp)), t.eaEv()));
      }
    }
  }

  @AfterAll
  static void tearDown() {
    current.close();
  }

  private static Retrainer.Settings quick(double tolerance) {
    return new Retrainer.Settings(Retrainer.Settings.DEFAULT.command(), 3, null, 10, tolerance,
        Duration.ofMinutes(5)).withBaseDataOf(current);
  }

  @Test
  void aModelThatPassesValidationIsHandedOverAndOneThatFailsIsRejected() throws Exception {
    var accepted = new Retrainer(quick(1e9)).retrain(current, space, 2.0, 20, measured, dir,
        "diffusion-v1-r1", 11, line -> { });
    assertTrue(accepted.accepted(), accepted.reason());
    assertNotNull(accepted.model());
    assertEquals("diffusion-v1-r1", accepted.model().version());
    assertTrue(Double.isFinite(accepted.currentLoss()) && Double.isFinite(accepted.candidateLoss()),
        accepted.reason());
    assertEquals(4 * 4, accepted.heldOutRows() - 300, "every fifth experiment (4 of 20) is held out");
    assertEquals(1500 + 2 * 20 - 300 + 16 * 4 * 10, accepted.trainingRows(),
        "base rows, two literature compounds × 20, measured rows × 10; 300 base rows held out");
    assertTrue(Files.exists(accepted.directory().resolve("train.log")));
    assertEquals(8, accepted.model().sample(new double[] {-2, 25, 0}, 8, 1).length);
    accepted.model().close();

    // Same data, no tolerance for any loss at all: rejected, nothing handed over.
    var strict = new Retrainer(quick(-1)).retrain(current, space, 2.0, 20, measured, dir,
        "diffusion-v1-r2", 11, line -> { });
    assertFalse(strict.accepted());
    assertNull(strict.model());
    assertTrue(strict.reason().contains("rejected, the current model stays"), strict.reason());
    assertEquals("diffusion-v1", current.version());
    assertEquals(4, current.sample(new double[] {-2, 25, 0}, 4, 1).length, "the current model still samples");
  }

  @Test
  void aMissingOrFailingTrainerIsAReasonNotACrash() {
    var missing = new Retrainer(quick(0.1).withCommand(List.of("/nonexistent/python3", "train.py")))
        .retrain(current, space, 2.0, 20, measured, dir, "v-missing", 1, line -> { });
    assertFalse(missing.accepted());
    assertTrue(missing.reason().contains("apt-get install python3-torch"), missing.reason());

    var failing = new Retrainer(quick(0.1).withCommand(List.of("/usr/bin/python3", "-c",
        "import sys; print('boom'); sys.exit(3)"))).retrain(current, space, 2.0, 20, measured, dir,
        "v-failing", 1, line -> { });
    assertFalse(failing.accepted());
    assertTrue(failing.reason().contains("exited with 3") && failing.reason().contains("boom"), failing.reason());
  }
}
