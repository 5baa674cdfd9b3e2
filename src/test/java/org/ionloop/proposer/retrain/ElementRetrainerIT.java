package org.ionloop.proposer.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.DiffusionProposer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-data proposer (models/proposer-sse) fine-tuned on a halide campaign's results by the
 * real trainer (Debian's python3-torch): the lab's mixtures become element fractions, each cell
 * temperature a row; the table's test split and every fifth experiment are held out; the table is
 * OBELiX and Liverpool rows and the lab's, never a simulator's; the new model loads, says what it
 * was fine-tuned from, and can itself be fine-tuned again; a model worse on the held-out rows is
 * refused and the current one stays.
 */
class ElementRetrainerIT {
  @TempDir
  Path dir;

  /** Ten experiments of the halide campaign, σ at four temperatures (Arrhenius, Ea 0.35 eV). */
  private static List<MeasuredRow> results(DesignSpace space) {
    List<MeasuredRow> rows = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(8);
    for (int e = 0; e < 10; e++) {
      double[] x = space.sample(rng);
      double log25 = -4.5 + 2 * x[1] + rng.nextDouble() * 0.2; // more YCl3, more conductive
      for (double t : new double[] {25, 50, 75, 100}) {
        double arrhenius = -0.35 / (8.617e-5 * Math.log(10)) * (1 / (t + 273.15) - 1 / 298.15);
        rows.add(new MeasuredRow(String.format("c1-e%03d", e), x, t, log25 + arrhenius, 0.35));
      }
    }
    return rows;
  }

  private static Retrainer.Settings settings(DiffusionProposer model, int epochs, double tolerance) {
    return new Retrainer.Settings(List.of("/usr/bin/python3", "models/training/train_element_diffusion.py"), epochs,
        null, 5, tolerance, Duration.ofMinutes(10)).withBaseDataOf(model);
  }

  @Test
  void theRealDataModelIsFineTunedOnTheLabsResultsAndValidatedOnHeldOutRealAndLabRows() throws Exception {
    DesignSpace space = CampaignSpec.load(Path.of("campaigns/halide-chlorides.yaml")).space();
    List<MeasuredRow> measured = results(space);
    try (DiffusionProposer current = new DiffusionProposer(Path.of("models/proposer-sse"), space, 2.0, 20)) {
      Retrainer.Outcome o = new ElementRetrainer(settings(current, 3, 10.0)).retrain(current, space, 2.0, 20,
          measured, dir, "sse-elements-v1-r1", 1, line -> { });
      assertTrue(o.accepted(), o.reason());
      assertTrue(o.reason().contains("real test split") && o.reason().contains("the lab's held-out rows (8)"),
          "two of ten experiments held out, four temperatures each: " + o.reason());
      assertTrue(Double.isFinite(o.currentLoss()) && Double.isFinite(o.candidateLoss()), o.reason());

      List<String> table = Files.readAllLines(o.directory().resolve("train.csv"));
      long labRows = table.stream().filter(l -> l.startsWith("train,lab:")).count();
      assertEquals(8 * 4 * 5, labRows, "eight experiments × four temperatures × weight 5");
      assertTrue(table.get(0).startsWith("# Derived from OBELiX"), "the attribution travels with the table");
      for (String line : table) {
        if (!line.startsWith("#") && !line.startsWith("split,")) {
          String source = line.split(",", 3)[1];
          assertTrue(source.startsWith("obelix") || source.startsWith("liverpool") || source.startsWith("lab:"),
              "real rows and the lab's only: " + line);
        }
      }
      assertFalse(table.stream().anyMatch(l -> l.contains("lab:c1-e004") || l.contains("lab:c1-e009")),
          "held-out experiments are not trained on");

      try (DiffusionProposer tuned = o.model()) {
        assertNotNull(tuned);
        JsonNode card = new ObjectMapper().readTree(tuned.modelDir().resolve("model-card.json").toFile());
        assertEquals("sse-elements-v1", card.path("training").path("fine_tuned_from").asText());
        assertEquals(8 * 4 * 5, card.path("training").path("lab_rows").asInt());
        double[][] designs = tuned.sample(new double[] {-3, 25, 0}, 32, 2);
        assertTrue(java.util.Arrays.stream(designs).anyMatch(java.util.Objects::nonNull), "it proposes mixtures");
        // …and is itself the base of the next round (its card names the same real table).
        Retrainer.Outcome refused = new ElementRetrainer(settings(tuned, 1, -1)).retrain(tuned, space, 2.0, 20,
            measured, dir, "sse-elements-v1-r2", 2, line -> { });
        assertFalse(refused.accepted(), refused.reason());
        assertNull(refused.model());
        assertTrue(refused.reason().contains("rejected, the current model stays"), refused.reason());
      }
    }
  }
}
