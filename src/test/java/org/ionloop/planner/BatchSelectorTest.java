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
import org.ionloop.planner.space.FixedSum;
import org.ionloop.planner.space.LinearConstraint;
import org.junit.jupiter.api.Test;

class BatchSelectorTest {
  final DesignSpace space = new DesignSpace(List.of(new DesignSpace.Range("A", "", 0, 1),
      new DesignSpace.Range("B", "", 0, 1)), List.of(new DesignSpace.Range("T", "", 0, 1)));

  static final BatchSelector.Settings FAST = BatchSelector.Settings.defaults().withMcSamples(64);

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

  List<BatchSelector.Observation> randomObservations(List<Candidate> cands, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<BatchSelector.Observation> obs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = cands.get(rng.nextInt(cands.size())).x();
      obs.add(new BatchSelector.Observation(x, objectives(x)));
    }
    return obs;
  }

  @Test
  void aBatchNeverRepeatsAPendingPointOrItself() {
    List<Candidate> cands = grid();
    List<Candidate> pending = cands.subList(50, 54);
    for (BatchSelector.Method method : BatchSelector.Method.values()) {
      var selector = new BatchSelector(space, new double[] {-2, -2}, 2, FAST.withMethod(method));
      var chosen = selector.select(randomObservations(cands, 8, 3), cands, pending, 4,
          new SplittableRandom(3));
      assertEquals(4, chosen.size());
      var ids = new HashSet<String>();
      for (var s : chosen) {
        assertFalse(pending.contains(s.candidate()), "chose pending " + s.candidate());
        assertTrue(ids.add(s.candidate().id()), "chose twice " + s.candidate());
        assertEquals(method == BatchSelector.Method.QNEHVI ? "qNEHVI" : "qParEGO", s.method());
      }
    }
  }

  @Test
  void continuousBatchesStayAwayFromPendingPoints() {
    var selector = new BatchSelector(space, null, 2, FAST);
    var obs = randomObservations(grid(), 10, 4);
    List<Candidate> pending = List.of(new Candidate("p", new double[] {0.5, 0.5, 0.5}));
    var chosen = selector.select(obs, List.of(), pending, 3, new SplittableRandom(5));
    assertEquals(3, chosen.size());
    for (var s : chosen) {
      double[] u = space.toUnitCube(s.candidate().x());
      double d = Math.abs(u[0] - 0.5) + Math.abs(u[2] - 0.5);
      assertTrue(d > 1e-6, "repeated the pending point: " + s.candidate());
      assertTrue(space.isFeasible(s.candidate().x()));
    }
  }

  @Test
  void spaceFillsBeforeEnoughResults() {
    var selector = new BatchSelector(space, new double[] {-2, -2}, 2, FAST);
    var chosen = selector.select(List.of(), grid(), List.of(), 3, new SplittableRandom(1));
    assertEquals(3, chosen.size());
    chosen.forEach(s -> assertEquals("space-filling", s.method()));
  }

  @Test
  void selectionsReportTheNoiseTheSurrogatesAssume() {
    List<Candidate> cands = grid();
    var learned = new BatchSelector(space, new double[] {-2, -2}, 2, FAST)
        .select(randomObservations(cands, 12, 6), cands, List.of(), 2, new SplittableRandom(6));
    var known = new BatchSelector(space, new double[] {-2, -2}, 2,
        FAST.withNoiseSd(new double[] {0.05, Double.NaN}))
        .select(randomObservations(cands, 12, 6), cands, List.of(), 2, new SplittableRandom(6));
    for (var s : known) {
      assertEquals(0.05, s.noiseSd()[0], 1e-9, "the known noise, in the objective's unit");
      assertTrue(s.noiseSd()[1] > 0 && s.noiseSd()[1] < 0.05, "fitted on noise-free data: "
          + s.noiseSd()[1]);
    }
    assertTrue(learned.get(0).noiseSd()[0] < 0.05, "learned " + learned.get(0).noiseSd()[0]);
    // Before there are surrogates there is no noise to report.
    var early = new BatchSelector(space, new double[] {-2, -2}, 2, FAST)
        .select(List.of(), cands, List.of(), 1, new SplittableRandom(1));
    assertEquals(null, early.get(0).noiseSd());
  }

  @Test
  void prefersTheRidgeOverTheValley() {
    List<Candidate> cands = grid();
    List<BatchSelector.Observation> obs = new ArrayList<>();
    for (Candidate c : cands) {
      if (c.get(2) == 0.0 || c.get(2) == 1.0 || (c.get(2) == 0.2 && c.get(0) == 0.5)) {
        obs.add(new BatchSelector.Observation(c.x(), objectives(c.x())));
      }
    }
    var selector = new BatchSelector(space, new double[] {-2, -2}, 2, FAST);
    var chosen = selector.select(obs, cands, List.of(), 1, new SplittableRandom(2));
    double t = chosen.get(0).candidate().get(2);
    assertTrue(t > 0.25 && t < 0.75, "chose t = " + t);
  }

  @Test
  void everyProposedPointSatisfiesTheConstraints() {
    // Four fractions with bounds, a halide cap (A2 + A3 ≤ 0.4), a fixed-sum pair (A0 + A1 = 0.6),
    // a ratio (A0 − 2·A1 ≥ 0 ⇔ −A0 + 2·A1 ≤ 0) and a discrete setting.
    List<DesignSpace.Range> fractions = List.of(new DesignSpace.Range("A0", "", 0.1, 0.8),
        new DesignSpace.Range("A1", "", 0.05, 0.5), new DesignSpace.Range("A2", "", 0, 0.5),
        new DesignSpace.Range("A3", "", 0, 0.5));
    List<DesignSpace.Range> process = List.of(new DesignSpace.Range("T", "°C", 300, 600),
        new DesignSpace.Range("rpm", "", 200, 600, new double[] {200, 400, 600}));
    DesignSpace constrained = new DesignSpace(fractions, process,
        List.of(new LinearConstraint("A2 + A3 ≤ 0.4", new double[] {0, 0, 1, 1, 0, 0}, 0.4),
            new LinearConstraint("A0 − 2 A1 ≥ 0", new double[] {-1, 2, 0, 0, 0, 0}, 0)),
        List.of(new FixedSum("A0 + A1 = 0.6", new int[] {0, 1}, 0.6)));
    SplittableRandom rng = new SplittableRandom(8);
    List<BatchSelector.Observation> obs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double[] x = constrained.sample(rng);
      obs.add(new BatchSelector.Observation(x, new double[] {x[0] + x[2] - 0.001 * x[4],
          x[3] - x[0] + 0.001 * x[5]}));
    }
    for (BatchSelector.Method method : BatchSelector.Method.values()) {
      var selector = new BatchSelector(constrained, null, 2, FAST.withMethod(method));
      for (var s : selector.select(obs, List.of(), List.of(), 4, rng)) {
        double[] x = s.candidate().x();
        assertTrue(constrained.maxViolation(x) <= 1e-9, "violation "
            + constrained.maxViolation(x) + " at " + java.util.Arrays.toString(x));
        double sum = x[0] + x[1] + x[2] + x[3];
        assertEquals(1, sum, 1e-9);
        assertEquals(0.6, x[0] + x[1], 1e-9);
        assertTrue(x[2] + x[3] <= 0.4 + 1e-9);
        assertTrue(x[0] - 2 * x[1] >= -1e-9);
        assertTrue(x[5] == 200 || x[5] == 400 || x[5] == 600, "rpm " + x[5]);
      }
    }
  }

  /**
   * Beyond 300 results a large pool is screened by optimistic bounds before the exact
   * acquisition: on a seeded case the screen (4 000 rows to 1 000) keeps the row the exact
   * acquisition over all of them picks.
   */
  @Test
  void theScreenKeepsTheRowTheExactAcquisitionPicks() {
    DesignSpace cube = new DesignSpace(List.of(), List.of(new DesignSpace.Range("x", "", 0, 1),
        new DesignSpace.Range("y", "", 0, 1), new DesignSpace.Range("z", "", 0, 1)));
    SplittableRandom data = new SplittableRandom(17);
    List<BatchSelector.Observation> observed = new ArrayList<>();
    for (int i = 0; i < 320; i++) {
      double[] x = {data.nextDouble(), data.nextDouble(), data.nextDouble()};
      observed.add(new BatchSelector.Observation(x, new double[] {bumps(x) + 0.01 * data.nextGaussian()}));
    }
    List<Candidate> open = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      open.add(new Candidate("r" + i, new double[] {data.nextDouble(), data.nextDouble(), data.nextDouble()}));
    }
    var settings = BatchSelector.Settings.defaults().withInitialPoints(0);
    var screened = new BatchSelector(cube, null, 1, settings).select(observed, open, List.of(), 1, new SplittableRandom(5));
    var exact = new BatchSelector(cube, null, 1, settings.withScreenKeep(0))
        .select(observed, open, List.of(), 1, new SplittableRandom(5));
    assertEquals(exact.get(0).candidate().id(), screened.get(0).candidate().id());
    assertEquals(exact.get(0).acquisitionValue(), screened.get(0).acquisitionValue(), 1e-12);
  }

  /**
   * A warped planner reports its prediction in the objective's units: for a row next to a
   * measured one, near that row's value (not the transformed scale, which is standardised).
   */
  @Test
  void aWarpedPlannerPredictsInTheObjectivesUnits() {
    DesignSpace line = new DesignSpace(List.of(), List.of(new DesignSpace.Range("x", "", 0, 1)));
    List<BatchSelector.Observation> observed = new ArrayList<>();
    List<Candidate> open = new ArrayList<>();
    for (int i = 0; i <= 40; i++) {
      double x = i / 40.0;
      // a minimised overpotential in volts, oriented for maximisation: skewed, best at x = 0.3
      double value = -(0.35 + 0.4 * Math.pow(Math.abs(x - 0.3), 1.5) + 2 * Math.pow(x - 0.3, 4));
      if (i % 2 == 0) {
        observed.add(new BatchSelector.Observation(new double[] {x}, new double[] {value}));
      } else {
        open.add(new Candidate("r" + i, new double[] {x}));
      }
    }
    var settings = BatchSelector.Settings.defaults().withInitialPoints(0)
        .withOutputWarp(BatchSelector.OutputWarp.YEO_JOHNSON);
    var chosen = new BatchSelector(line, null, 1, settings).select(observed, open, List.of(), 1,
        new SplittableRandom(3)).get(0);
    double x = chosen.candidate().x()[0];
    double truth = -(0.35 + 0.4 * Math.pow(Math.abs(x - 0.3), 1.5) + 2 * Math.pow(x - 0.3, 4));
    assertEquals(0.3, x, 0.1, "the warped planner looks near the best measured rows");
    assertEquals(truth, chosen.predictedMean()[0], 0.02, "prediction in volts");
    assertTrue(chosen.predictedSd()[0] > 0 && chosen.predictedSd()[0] < 0.05, "sd " + chosen.predictedSd()[0]);
  }

  private static double bumps(double[] x) {
    return Math.exp(-20 * ((x[0] - 0.7) * (x[0] - 0.7) + (x[1] - 0.3) * (x[1] - 0.3)))
        + 0.6 * Math.exp(-30 * ((x[1] - 0.8) * (x[1] - 0.8) + (x[2] - 0.2) * (x[2] - 0.2)));
  }
}
