package org.ionloop.proposer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ionloop.proposer.forward.ConductivityModel;
import org.ionloop.proposer.forward.MeasuredConductivities;

/**
 * The forward model on held-out real materials: fitted on the table's train split, scored on its
 * test split (OBELiX's own, designed to keep near-duplicates apart), next to two baselines any
 * model must beat — the training mean, and the nearest training composition's value (element
 * fractions, L1 distance) — and with the share of test values inside the model's ±2 SD.
 */
public final class ForwardModelBench {
  /** Errors in decades of σ (log10 S/cm) over the uncensored test rows. */
  public record Result(int trainRows, int testRows, double mae, double rmse, double meanMae,
      double nearestMae, double coverage2Sd, double roomTemperatureMae, int roomTemperatureRows,
      double fitSeconds, double noiseSd) {}

  private ForwardModelBench() {}

  public static Result run(List<MeasuredConductivities.Row> rows, long seed) {
    return run(rows, seed, null, null);
  }

  /** As {@link #run(List, long)}; with {@code save}, also writes the fitted model there. */
  public static Result run(List<MeasuredConductivities.Row> rows, long seed, java.nio.file.Path save, String table) {
    List<MeasuredConductivities.Row> train = rows.stream().filter(r -> r.split().equals("train")).toList();
    List<MeasuredConductivities.Row> test = rows.stream().filter(r -> r.split().equals("test") && !r.censored()).toList();
    long t0 = System.nanoTime();
    ConductivityModel model = ConductivityModel.fit(train, seed);
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    if (save != null) {
      try {
        model.save(save, table);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + save, e);
      }
    }
    List<MeasuredConductivities.Row> usable = train.stream().filter(r -> !r.censored()).toList();
    double mean = usable.stream().mapToDouble(MeasuredConductivities.Row::log10Sigma).average().orElseThrow();
    double abs = 0;
    double sq = 0;
    double meanAbs = 0;
    double nearestAbs = 0;
    int covered = 0;
    double rtAbs = 0;
    int rt = 0;
    for (MeasuredConductivities.Row r : test) {
      double[] p = model.predict(r.fractions(), r.temperatureC());
      double err = p[0] - r.log10Sigma();
      abs += Math.abs(err);
      sq += err * err;
      meanAbs += Math.abs(mean - r.log10Sigma());
      nearestAbs += Math.abs(nearest(usable, r).log10Sigma() - r.log10Sigma());
      double sd = Math.hypot(p[1], model.noiseSd());
      covered += Math.abs(err) <= 2 * sd ? 1 : 0;
      if (r.temperatureC() >= 20 && r.temperatureC() <= 30) {
        rtAbs += Math.abs(err);
        rt++;
      }
    }
    int n = test.size();
    return new Result(usable.size(), n, abs / n, Math.sqrt(sq / n), meanAbs / n, nearestAbs / n, (double) covered / n,
        rt == 0 ? Double.NaN : rtAbs / rt, rt, fitSeconds, model.noiseSd());
  }

  /** The training row whose composition is closest (L1 over element fractions), nearest in temperature on ties. */
  static MeasuredConductivities.Row nearest(List<MeasuredConductivities.Row> train, MeasuredConductivities.Row r) {
    MeasuredConductivities.Row best = null;
    double bestD = Double.POSITIVE_INFINITY;
    for (MeasuredConductivities.Row t : train) {
      double d = l1(t.fractions(), r.fractions()) + 1e-4 * Math.abs(t.temperatureC() - r.temperatureC());
      if (d < bestD) {
        bestD = d;
        best = t;
      }
    }
    return best;
  }

  private static double l1(Map<String, Double> a, Map<String, Double> b) {
    double d = 0;
    List<String> keys = new ArrayList<>(a.keySet());
    b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(keys::add);
    for (String k : keys) {
      d += Math.abs(a.getOrDefault(k, 0.0) - b.getOrDefault(k, 0.0));
    }
    return d;
  }
}
