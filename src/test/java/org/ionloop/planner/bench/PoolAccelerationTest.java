package org.ionloop.planner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ionloop.planner.space.CandidatePool;
import org.junit.jupiter.api.Test;

/**
 * The planner replayed on two real, fully measured pools ({@code src/test/resources/pools}, see
 * SOURCES.md): it must find the top 1 % no later, on average over fixed seeds, than the figures
 * reported in the README plus one seed-to-seed standard deviation. A change that loses the
 * acceleration fails here, not only in a benchmark someone has to remember to run.
 */
class PoolAccelerationTest {

  static CandidatePool pool(String name, String objective) throws Exception {
    try {
      Path file = Path.of(PoolAccelerationTest.class.getResource("/pools/" + name).toURI());
      return CandidatePool.read(file, List.of(objective), Set.of());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  @Test
  void p3htFindsBothTargetsWellBeforeRandomPicking() throws Exception {
    // Measured (10 seeds, q = 1, 5 random starters, the pool goal of the best recorded values):
    // first target 13.2 ± 5.5, second 49.6 ± 15.5 experiments; random picking needs 59.7 and
    // 119.3, scikit-learn's GP + EI (bench/gp_ei_pool.py, 20 seeds) 30.1 and 63.5. Before the
    // tie-break among equal (zero) Monte-Carlo improvements, the second came at 114.5: the planner
    // scanned the file in row order.
    PoolBench.Result r = PoolBench.run(pool("p3ht.csv", "conductivity_measured_s_cm"), true, 0.01, 0, 10, 1, 5,
        178, 128, null);
    assertTrue(mean(r.first()) <= 13.2 + 5.5, "first target after " + Arrays.toString(r.first()));
    assertTrue(mean(r.all()) <= 49.6 + 15.5, "both targets after " + Arrays.toString(r.all())
        + " (random " + r.randomExpectation(2) + ")");
  }

  @Test
  void oerPlateFindsHalfTheTopOnePercentTenTimesSoonerThanRandom() throws Exception {
    // Measured (5 seeds, q = 1): half of the 21 targets after 82.8 ± 16.9 experiments; random
    // picking needs 1061 (12.8×). The bound, 99.7, is still 10.6× faster than random. The test
    // runs the first three seeds (103, 56, 82) to keep the suite short.
    PoolBench.Result r = PoolBench.run(pool("oer_3496.csv", "overpotential"), false, 0.01, 0, 3, 1, 5, 110, 128,
        null);
    double half = mean(r.half());
    assertTrue(half <= 82.8 + 16.9, "half the targets after " + Arrays.toString(r.half()));
    assertTrue(r.randomExpectation(r.halfIndex()) / half >= 10, "acceleration " + r.randomExpectation(r.halfIndex()) / half);
  }

  @Test
  void onTheSkewedOerPlateTheOutputWarpFindsHalfTheTopOnePercentSooner() throws Exception {
    // Measured (q = 1, --output-warp yeo-johnson): half of the 21 targets after 73.8 ± 10.9
    // experiments over 10 seeds, against 85.4 ± 18.9 without the warp. The first three seeds
    // (56, 69, 71: 65.3) run here, against the 10-seed mean plus its spread.
    PoolBench.Result r = PoolBench.run(pool("oer_3496.csv", "overpotential"), false, 0.01, 0, 3, 1, 5, 110,
        org.ionloop.planner.PoolCampaign.defaultSettings()
            .withOutputWarp(org.ionloop.planner.BatchSelector.OutputWarp.YEO_JOHNSON), null);
    double half = mean(r.half());
    assertTrue(half <= 73.8 + 10.9, "half the targets after " + Arrays.toString(r.half()));
  }

  @Test
  void onMeasuredElectrolytesTheSurrogatePredictsHeldOutRowsBetterThanTheMean() throws Exception {
    // The Liverpool table as a pool (campaigns/pools, CC BY 4.0). 5-fold: MAE 0.95 decades with
    // composition descriptors, 0.99 with raw fractions, 1.74 predicting the mean.
    CandidatePool fractions = CandidatePool.read(Path.of("campaigns/pools/liverpool-rt.csv"), List.of("log10_sigma"),
        Set.of());
    PoolBench.CrossValidation cv = PoolBench.crossValidate(fractions.asCompositionDescriptors(), 3, 0);
    assertTrue(cv.mae() < 0.7 * cv.baselineMae(), "MAE " + cv.mae() + " against the mean's " + cv.baselineMae());
  }
}
