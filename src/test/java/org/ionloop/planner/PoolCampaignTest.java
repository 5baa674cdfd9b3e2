package org.ionloop.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.ionloop.planner.space.CandidatePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolCampaignTest {
  @TempDir
  Path dir;

  @Test
  void measuresEachRowAtMostOnceAndFindsTheBestBeforeRandomWould() throws Exception {
    // 400 rows on a grid; the objective peaks at (0.7, 0.3).
    StringBuilder csv = new StringBuilder("id,a,b,y\n");
    int id = 0;
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 20; j++) {
        double a = i / 19.0;
        double b = j / 19.0;
        double y = -((a - 0.7) * (a - 0.7) + (b - 0.3) * (b - 0.3));
        csv.append("r").append(id++).append(',').append(a).append(',').append(b).append(',')
            .append(y).append('\n');
      }
    }
    Path f = dir.resolve("pool.csv");
    Files.writeString(f, csv);
    CandidatePool pool = CandidatePool.read(f, List.of("y"), Set.of());
    PoolCampaign campaign = new PoolCampaign(pool, new double[] {1},
        BatchSelector.Settings.defaults().withMcSamples(32), 5);
    double best = -((13 / 19.0 - 0.7) * (13 / 19.0 - 0.7) + (6 / 19.0 - 0.3) * (6 / 19.0 - 0.3));
    int[] foundAt = {-1};
    var steps = campaign.run(60, 4, new SplittableRandom(3), (step, n) -> {
      if (step.objectives()[0] >= best - 1e-12 && foundAt[0] < 0) {
        foundAt[0] = n;
      }
      return false;
    });
    assertEquals(60, steps.size());
    Set<Integer> rows = new HashSet<>();
    steps.forEach(s -> assertTrue(rows.add(s.row()), "row measured twice: " + s.row()));
    // Random picking needs (400 + 1)/2 ≈ 200 draws on average to hit the single best row.
    assertTrue(foundAt[0] > 0 && foundAt[0] <= 40, "best row found at " + foundAt[0]);
  }
}
