package org.ionloop.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;
import org.junit.jupiter.api.Test;

class BatchSelectorTest {
  final DesignSpace space = new DesignSpace(List.of(new DesignSpace.Range("A", "", 0, 1),
      new DesignSpace.Range("B", "", 0, 1)), List.of(new DesignSpace.Range("T", "", 0, 1)));

  List<Candidate> grid() {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      for (int j = 0; j <= 10; j++) {
        out.add(new Candidate("c" + i + "-" + j, new double[] {i / 10.0, 1 - i / 10.0, j / 10.0}));
      }
    }
    return out;
  }

  /** Two conflicting objectives: f1 = a, f2 = 1 − a, both peaked at t = 0.5. */
  static double[] objectives(double[] x) {
    double bump = -4 * (x[2] - 0.5) * (x[2] - 0.5);
    return new double[] {x[0] + bump, 1 - x[0] + bump};
  }

  @Test
  void neverChoosesAPendingPointOrTheSamePointTwice() {
    List<Candidate> cands = grid();
    List<BatchSelector.Observation> obs = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 8; i++) {
      double[] x = cands.get(rng.nextInt(cands.size())).x();
      obs.add(new BatchSelector.Observation(x, objectives(x)));
    }
    List<Candidate> pending = cands.subList(50, 54);
    var selector = new BatchSelector(space, new double[] {-2, -2}, 6, 64);
    var chosen = selector.select(obs, cands, pending, 4, rng);
    assertEquals(4, chosen.size());
    var ids = new HashSet<String>();
    for (var s : chosen) {
      assertFalse(pending.contains(s.candidate()), "chose pending " + s.candidate());
      assertTrue(ids.add(s.candidate().id()), "chose twice " + s.candidate());
      assertEquals("qEHVI-KB", s.method());
    }
  }

  @Test
  void spaceFillsBeforeEnoughResults() {
    var selector = new BatchSelector(space, new double[] {-2, -2}, 6, 64);
    var chosen = selector.select(List.of(), grid(), List.of(), 3, new SplittableRandom(1));
    assertEquals(3, chosen.size());
    chosen.forEach(s -> assertEquals("space-filling", s.method()));
  }

  @Test
  void ehviPrefersTheRidgeOverTheValley() {
    List<Candidate> cands = grid();
    List<BatchSelector.Observation> obs = new ArrayList<>();
    for (Candidate c : cands) {
      if (c.get(2) == 0.0 || c.get(2) == 1.0 || (c.get(2) == 0.2 && c.get(0) == 0.5)) {
        obs.add(new BatchSelector.Observation(c.x(), objectives(c.x())));
      }
    }
    var selector = new BatchSelector(space, new double[] {-2, -2}, 6, 128);
    var chosen = selector.select(obs, cands, List.of(), 1, new SplittableRandom(2));
    double t = chosen.get(0).candidate().get(2);
    assertTrue(t > 0.25 && t < 0.75, "chose t = " + t);
  }
}
