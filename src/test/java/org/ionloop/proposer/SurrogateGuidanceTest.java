package org.ionloop.proposer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.acquisition.OptimisticImprovement;
import org.ionloop.planner.gp.GaussianProcess;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.sim.MaterialModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Surrogate guidance moves the proposer's samples towards what the planner's surrogates favour,
 * without leaving the simplex, and does nothing at weight 0.
 */
class SurrogateGuidanceTest {
  static final double[] TARGET = {-2.0, 25, 20};
  static DesignSpace space;
  static DiffusionProposer proposer;

  @BeforeAll
  static void load() {
    space = CampaignSpec.load(Path.of("campaigns/demo.yaml")).space();
    proposer = new DiffusionProposer(Path.of("models/proposer"), space, 0.0, 30);
  }

  @AfterAll
  static void close() {
    proposer.close();
  }

  @Test
  void aScoreThatFavoursBromideRaisesTheBromideOfTheSamples() {
    int libr = space.names().indexOf("LiBr");
    ToDoubleFunction<double[]> bromide = x -> x[libr];
    double[][] plain = proposer.sample(TARGET, 256, 5);
    double[][] guided = proposer.sample(TARGET, 256, 5, bromide, 1.0);
    double before = mean(plain, bromide);
    double after = mean(guided, bromide);
    assertTrue(after > before + 0.02, "mean LiBr fraction " + before + " → " + after);
    for (double[] x : guided) {
      double sum = 0;
      for (int k = 0; k < space.precursorCount(); k++) {
        assertTrue(x[k] >= 0 && Double.isFinite(x[k]), java.util.Arrays.toString(x));
        sum += x[k];
      }
      assertEquals(1.0, sum, 1e-9, "fractions stay on the simplex");
    }
  }

  @Test
  void weightZeroOrNoScoreIsThePlainSampler() {
    double[][] plain = proposer.sample(TARGET, 16, 7);
    double[][] none = proposer.sample(TARGET, 16, 7, null, 3.0);
    double[][] zero = proposer.sample(TARGET, 16, 7, x -> x[0], 0.0);
    for (int i = 0; i < plain.length; i++) {
      assertEquals(java.util.Arrays.toString(plain[i]), java.util.Arrays.toString(none[i]));
      assertEquals(java.util.Arrays.toString(plain[i]), java.util.Arrays.toString(zero[i]));
    }
    assertThrows(IllegalArgumentException.class, () -> proposer.sample(TARGET, 4, 7, x -> 0, -1));
  }

  @Test
  void thePlannersSurrogatesSteerSamplesTowardsMoreHypervolume() {
    // Twelve designs measured on the virtual lab's truth; GPs fitted on them as the planner does.
    MaterialModel truth = new MaterialModel();
    SplittableRandom rng = new SplittableRandom(11);
    List<double[]> designs = new ArrayList<>();
    List<double[]> objectives = new ArrayList<>();
    double[][] start = proposer.sample(TARGET, 12, 99);
    for (double[] x : start) {
      double[] p = space.project(x);
      MaterialModel.Truth t = truth.truth(fractions(p), p[space.precursorCount()]);
      designs.add(p);
      objectives.add(new double[] {t.log10Sigma25(), -t.eaEv()});
    }
    double[][] unit = designs.stream().map(space::toUnitCube).toArray(double[][]::new);
    GaussianProcess[] models = new GaussianProcess[2];
    for (int k = 0; k < 2; k++) {
      int m = k;
      double[] y = objectives.stream().mapToDouble(o -> o[m]).toArray();
      models[k] = GaussianProcess.fit(unit, y, null, GaussianProcess.FitSettings.THOROUGH, rng);
    }
    OptimisticImprovement score = new OptimisticImprovement(models, space, objectives,
        new double[] {-6, -0.65}, 1.0);
    double before = mean(proposer.sample(TARGET, 256, 21), score);
    double after = mean(proposer.sample(TARGET, 256, 21, score, 1.0), score);
    assertTrue(after > before * 1.2, "mean optimistic improvement " + before + " → " + after);
  }

  private Map<String, Double> fractions(double[] x) {
    Map<String, Double> f = new LinkedHashMap<>();
    for (int k = 0; k < space.precursorCount(); k++) {
      f.put(space.names().get(k), x[k]);
    }
    return f;
  }

  private static double mean(double[][] xs, ToDoubleFunction<double[]> f) {
    double s = 0;
    for (double[] x : xs) {
      s += f.applyAsDouble(x);
    }
    return s / xs.length;
  }
}
