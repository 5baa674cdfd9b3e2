package org.ionloop.proposer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ionloop.IonloopException;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.proposer.model.OnnxDenoiser;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The element-space proposer trained on measured electrolytes (models/proposer-sse, OBELiX and
 * the Liverpool table) serving campaigns whose precursors it was never told of: ONNX Runtime
 * gives the trainer's numbers, every kept sample is a feasible mixture of the campaign's
 * precursors, samples the precursors cannot make are dropped and counted, and a campaign with an
 * element the model does not know is told so when its file is read.
 */
class ElementSpaceProposerTest {
  static final Path MODEL = Path.of("models/proposer-sse");

  @TempDir
  Path dir;

  static float[] flat(JsonNode rows) {
    int n = rows.size();
    int d = rows.get(0).size();
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        out[i * d + k] = (float) rows.get(i).get(k).asDouble();
      }
    }
    return out;
  }

  @Test
  void onnxRuntimeMatchesPyTorchOnTheTrainerFixture() throws Exception {
    JsonNode f = new ObjectMapper().readTree(MODEL.resolve("fixture.json").toFile());
    ModelCard card = ModelCard.load(MODEL.resolve("model-card.json"));
    assertTrue(card.elementSpace());
    try (OnnxDenoiser d = new OnnxDenoiser(MODEL.resolve(card.file()), card.dimension(), card.condMean().length)) {
      float[] eps = d.predict(flat(f.get("x")), flat(f.get("t")), flat(f.get("cond")), flat(f.get("cond_mask")),
          f.get("x").size());
      float[] expected = flat(f.get("eps"));
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], eps[i], 1e-4, "eps[" + i + "]");
      }
    }
  }

  @Test
  void samplesBecomeFeasibleMixturesOfTheCampaignsPrecursors() {
    for (String campaign : List.of("campaigns/demo.yaml", "campaigns/halide-chlorides.yaml")) {
      DesignSpace space = CampaignSpec.load(Path.of(campaign)).space();
      try (DiffusionProposer p = new DiffusionProposer(MODEL, space, 2.0, 40)) {
        double[][] raw = p.sample(new double[] {-3.0, 25, Double.NaN}, 300, 7);
        assertEquals(300, raw.length);
        int kept = 0;
        for (double[] x : raw) {
          if (x == null) {
            continue; // too far from anything these precursors make: the caller counts it
          }
          kept++;
          double sum = 0;
          for (int k = 0; k < space.precursorCount(); k++) {
            assertTrue(x[k] >= -1e-9, campaign + ": " + space.label(x));
            sum += x[k];
          }
          assertEquals(1, sum, 1e-6, campaign + ": " + space.label(x));
          var anneal = space.process().get(0);
          assertTrue(x[space.precursorCount()] >= anneal.min() && x[space.precursorCount()] <= anneal.max());
        }
        assertTrue(kept > 0, campaign + ": no sample within " + DiffusionProposer.MAX_RESIDUAL
            + " of the precursors' reach");
        double[][] again = p.sample(new double[] {-3.0, 25, Double.NaN}, 300, 7);
        for (int i = 0; i < raw.length; i++) {
          assertTrue(raw[i] == null ? again[i] == null : java.util.Arrays.equals(raw[i], again[i]), "reproducible");
        }
      }
    }
  }

  @Test
  void aCampaignWithAnElementTheModelDoesNotKnowIsToldWhenItsFileIsRead() throws Exception {
    String halide = Files.readString(Path.of("campaigns/halide-chlorides.yaml"))
        .replace("protocol: ../protocols/", "protocol: " + org.ionloop.TestCampaigns.PROTOCOLS + "/")
        .replace("planner:\n", "conditioning: {log10_sigma_s_cm: -2.5, temperature_c: 25}\n"
            + "proposer: {model: proposer-sse}\nplanner:\n")
        .replace("  candidates: 256            # random feasible designs scored per decision (no proposer)\n", "");
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, halide);
    assertEquals("proposer-sse", CampaignSpec.load(ok).modelDir().getFileName().toString());

    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, halide.replace("InCl3", "CsCl"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(unknown));
    assertEquals("proposer.model", e.field());
    assertTrue(e.getMessage().contains("knows no Cs (in the campaign's precursors)"), e.getMessage());

    Path stability = dir.resolve("stability.yaml");
    Files.writeString(stability, halide.replace("temperature_c: 25}", "temperature_c: 25, e_hull_mev_per_atom: 20}"));
    SpecException s = assertThrows(SpecException.class, () -> CampaignSpec.load(stability));
    assertEquals("conditioning.e_hull_mev_per_atom", s.field());
    assertTrue(s.getMessage().contains("has no stability condition"), s.getMessage());

    DesignSpace space = CampaignSpec.load(ok).space();
    var withCs = new DesignSpace(List.of(new DesignSpace.Range("LiCl", "mol fraction", 0.5, 0.9),
        new DesignSpace.Range("CsCl", "mol fraction", 0.1, 0.5)), space.process());
    IonloopException m = assertThrows(IonloopException.class, () -> new DiffusionProposer(MODEL, withCs, 2, 10));
    assertTrue(m.getMessage().contains("knows no Cs"), m.getMessage());
  }

  /**
   * Before the lab has a result the planner has no surrogates; the forward model that ships with
   * the real-data proposer (fitted on the measured table's train split) keeps the half of a
   * proposal it ranks highest, so the first experiments are spread over promising compositions.
   */
  @Test
  void beforeTheLabHasDataTheForwardModelKeepsTheCandidatesItRanksHighest() {
    DesignSpace space = CampaignSpec.load(Path.of("campaigns/halide-chlorides.yaml")).space();
    double[] conditions = {-3.0, 25, Double.NaN};
    try (DiffusionProposer p = new DiffusionProposer(MODEL, space, 2.0, 20)) {
      assertTrue(p.prior().isPresent(), "proposer-sse comes with " + DiffusionProposer.FORWARD_MODEL);
      List<org.ionloop.planner.space.Candidate> candidates = new java.util.ArrayList<>();
      double[][] raw = p.sample(conditions, 120, 3);
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] != null) {
          candidates.add(new org.ionloop.planner.space.Candidate("s" + i, space.project(raw[i])));
        }
      }
      assertTrue(candidates.size() >= 8, candidates.size() + " reachable samples");
      List<org.ionloop.planner.space.Candidate> kept = Proposer.screenByPrior(p, candidates, conditions);
      assertEquals((int) Math.ceil(candidates.size() / 2.0), kept.size());
      java.util.function.ToDoubleFunction<org.ionloop.planner.space.Candidate> optimism = c -> {
        double[] f = p.elementFractions(c.x());
        java.util.Map<String, Double> composition = new java.util.LinkedHashMap<>();
        for (int k = 0; k < f.length; k++) {
          if (f[k] > 0) {
            composition.put(p.card().elements().get(k), f[k]);
          }
        }
        double[] mu = p.prior().get().predict(composition, 25);
        return mu[0] + mu[1];
      };
      double worstKept = kept.stream().mapToDouble(optimism).min().orElseThrow();
      double bestDropped = candidates.stream().filter(c -> !kept.contains(c)).mapToDouble(optimism).max().orElseThrow();
      assertTrue(worstKept >= bestDropped, "kept " + worstKept + " ≥ dropped " + bestDropped);
      assertEquals(kept, candidates.stream().filter(kept::contains).toList(), "in the proposal's order");
    }
    DesignSpace demo = CampaignSpec.load(Path.of("campaigns/demo.yaml")).space();
    try (DiffusionProposer simulated = new DiffusionProposer(Path.of("models/proposer"), demo, 2.0, 20)) {
      assertTrue(simulated.prior().isEmpty(), "the virtual lab's model has no forward model of measured data");
    }
  }
}
