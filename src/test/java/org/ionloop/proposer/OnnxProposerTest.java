package org.ionloop.proposer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.ionloop.IonloopException;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.proposer.model.OnnxDenoiser;
import org.ionloop.sim.MaterialModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed ONNX model, run through DJL's OnnxRuntime engine. */
class OnnxProposerTest {
  static final Path MODEL = Path.of("models/proposer");
  static DiffusionProposer proposer;

  @BeforeAll
  static void load() {
    proposer = new DiffusionProposer(MODEL, CampaignSpec.load(Path.of("campaigns/demo.yaml")).space(), 2.0, 40);
  }

  @AfterAll
  static void close() {
    proposer.close();
  }

  @Test
  void onnxRuntimeMatchesPyTorchOnTheTrainerFixture() throws Exception {
    JsonNode f = new ObjectMapper().readTree(MODEL.resolve("fixture.json").toFile());
    int n = f.get("x").size();
    ModelCard card = ModelCard.load(MODEL.resolve("model-card.json"));
    try (OnnxDenoiser d = new OnnxDenoiser(MODEL.resolve(card.file()), 4, 3)) {
      float[] eps = d.predict(flat(f.get("x")), flat(f.get("t")), flat(f.get("cond")),
          flat(f.get("cond_mask")), n);
      float[] expected = flat(f.get("eps"));
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], eps[i], 1e-4, "eps[" + i + "]");
      }
    }
  }

  @Test
  void samplingWithAFixedSeedIsReproducible() {
    double[] c = {-2.0, 25, 20};
    double[][] a = proposer.sample(c, 16, 99);
    double[][] b = proposer.sample(c, 16, 99);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], 0);
    }
  }

  @Test
  void samplesLieOnTheSimplexWithoutClipping() {
    for (double[] x : proposer.sample(new double[] {-2.0, 25, 20}, 64, 5)) {
      assertEquals(1, x[0] + x[1] + x[2] + x[3], 1e-9);
      for (int k = 0; k < 4; k++) {
        assertTrue(x[k] > 0);
      }
    }
  }

  @Test
  void conditioningOnHighConductivityMovesSamplesTowardsIt() {
    MaterialModel truth = new MaterialModel();
    double high = meanTrueLog10Sigma(truth, proposer.sample(new double[] {-1.8, 25, 20}, 200, 1));
    double low = meanTrueLog10Sigma(truth, proposer.sample(new double[] {-6.0, 25, 60}, 200, 1));
    assertTrue(high > low + 1.0, "high-target mean " + high + " vs low-target mean " + low);
  }

  @Test
  void refusesAModelThatDoesNotMatchTheDesignSpace() {
    var other = new org.ionloop.planner.space.DesignSpace(java.util.List.of(
        new org.ionloop.planner.space.DesignSpace.Range("Li2S", "", 0, 1),
        new org.ionloop.planner.space.DesignSpace.Range("LiI", "", 0, 1)), java.util.List.of());
    var e = assertThrows(IonloopException.class, () -> new DiffusionProposer(MODEL, other, 1, 10));
    assertTrue(e.getMessage().contains("design space"), e.getMessage());
  }

  static double meanTrueLog10Sigma(MaterialModel m, double[][] xs) {
    double s = 0;
    for (double[] x : xs) {
      s += m.truth(java.util.Map.of("Li2S", x[0], "P2S5", x[1], "LiCl", x[2], "LiBr", x[3]), x[4])
          .log10Sigma25();
    }
    return s / xs.length;
  }

  static float[] flat(JsonNode rows) {
    int cols = rows.get(0).size();
    float[] out = new float[rows.size() * cols];
    for (int i = 0; i < rows.size(); i++) {
      for (int k = 0; k < cols; k++) {
        out[i * cols + k] = (float) rows.get(i).get(k).asDouble();
      }
    }
    return out;
  }
}
