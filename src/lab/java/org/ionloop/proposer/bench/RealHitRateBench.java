package org.ionloop.proposer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ionloop.proposer.forward.ConductivityModel;
import org.ionloop.proposer.forward.MeasuredConductivities;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.proposer.model.OnnxDenoiser;
import org.ionloop.proposer.sampler.DdimSampler;

/**
 * The real-data proposer on held-out real materials, sampled in Java as a campaign samples it
 * (ONNX Runtime, DDIM, classifier-free guidance). For a target log10 σ at 25 °C a sample is a
 * <em>hit</em> when its nearest held-out test composition (total-variation distance over element
 * fractions) lies within {@link #RADIUS} and was measured within ±0.5 decades of the target; it is
 * <em>novel</em> when it lies farther than {@link #NOVEL} from every training composition. Beside
 * it: unconditional samples of the same model (guidance w = −1), a retrieval baseline (the 50
 * training materials measured nearest the target, novel by construction never), and, with a
 * forward model, the share the model predicts within ±0.5 decades (an oracle, not a measurement).
 */
public final class RealHitRateBench {
  public static final double RADIUS = 0.10;
  public static final double NOVEL = 0.05;
  static final double WINDOW = 0.5;

  /** Shares of samples, per target. */
  public record Target(double log10Sigma, double conditionalHit, double unconditionalHit, double retrievalHit,
      double conditionalNovelHit, double unique, double oracleHit, double unconditionalOracleHit) {}

  private RealHitRateBench() {}

  public static List<Target> run(Path modelDir, List<MeasuredConductivities.Row> rows, double[] targets, int n,
      double guidance, int steps, ConductivityModel oracle, long seed) {
    ModelCard card = ModelCard.load(modelDir.resolve("model-card.json"));
    if (!card.elementSpace()) {
      throw new IllegalArgumentException(modelDir + ": bench proposer --real needs an element-space model");
    }
    List<MeasuredConductivities.Row> train = rows.stream().filter(r -> r.split().equals("train") && !r.censored()).toList();
    List<MeasuredConductivities.Row> test = rows.stream().filter(r -> r.split().equals("test") && !r.censored()
        && r.temperatureC() >= 20 && r.temperatureC() <= 30).toList();
    List<Target> out = new ArrayList<>();
    try (OnnxDenoiser denoiser = new OnnxDenoiser(modelDir.resolve(card.file()), card.dimension(),
        card.condMean().length)) {
      DdimSampler sampler = new DdimSampler(denoiser, card);
      for (double t : targets) {
        double[] condition = {t, 1000 / 298.15};
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Double>> conditional = compositions(card, sampler.sample(condition, n, guidance, steps, rng));
        List<Map<String, Double>> unconditional = compositions(card, sampler.sample(condition, n, -1, steps, rng));
        List<Map<String, Double>> retrieved = train.stream().filter(r -> r.temperatureC() >= 20 && r.temperatureC() <= 30)
            .sorted(Comparator.comparingDouble(r -> Math.abs(r.log10Sigma() - t))).limit(50)
            .map(MeasuredConductivities.Row::fractions).toList();
        double novelHits = conditional.stream().filter(c -> hit(c, test, t) && nearest(c, train) > NOVEL).count();
        long distinct = conditional.stream().map(RealHitRateBench::rounded).distinct().count();
        out.add(new Target(t, share(conditional, test, t), share(unconditional, test, t), share(retrieved, test, t),
            novelHits / Math.max(1, conditional.size()), (double) distinct / Math.max(1, conditional.size()),
            oracle == null ? Double.NaN : oracleShare(conditional, oracle, t),
            oracle == null ? Double.NaN : oracleShare(unconditional, oracle, t)));
      }
    }
    return out;
  }

  /**
   * A family the model never saw: how many of its samples, restricted to the family's elements
   * and conditioned on {@code target}, land within {@link #RADIUS} of a real member of the family
   * measured within 0.5 decades of the target or above — against its unconditional samples in
   * the same elements.
   *
   * @return {conditional share, unconditional share, members that count}
   */
  public static double[] familyHoldOut(Path modelDir, List<MeasuredConductivities.Row> rows, String familyRegex,
      List<String> elements, double target, int n, double guidance, int steps, long seed) {
    ModelCard card = ModelCard.load(modelDir.resolve("model-card.json"));
    java.util.regex.Pattern family = java.util.regex.Pattern.compile(familyRegex, java.util.regex.Pattern.CASE_INSENSITIVE);
    List<MeasuredConductivities.Row> members = rows.stream().filter(r -> family.matcher(r.family()).find()
        && !r.censored() && r.temperatureC() >= 20 && r.temperatureC() <= 30 && r.log10Sigma() >= target - WINDOW)
        .toList();
    double[] fixed = new double[card.dimension()];
    for (int k = 0; k < fixed.length; k++) {
      fixed[k] = elements.contains(card.elements().get(k)) ? Double.NaN
          : (0 - card.encoding().mean()[k]) / card.encoding().scale();
    }
    try (OnnxDenoiser denoiser = new OnnxDenoiser(modelDir.resolve(card.file()), card.dimension(),
        card.condMean().length)) {
      DdimSampler sampler = new DdimSampler(denoiser, card, fixed);
      SplittableRandom rng = new SplittableRandom(seed);
      double[] condition = {target, 1000 / 298.15};
      List<Map<String, Double>> conditional = compositions(card, sampler.sample(condition, n, guidance, steps, rng));
      List<Map<String, Double>> unconditional = compositions(card, sampler.sample(condition, n, -1, steps, rng));
      return new double[] {nearMember(conditional, members), nearMember(unconditional, members), members.size()};
    }
  }

  private static double nearMember(List<Map<String, Double>> samples, List<MeasuredConductivities.Row> members) {
    if (samples.isEmpty()) {
      return 0;
    }
    return (double) samples.stream().filter(c -> members.stream().anyMatch(m -> tv(c, m.fractions()) <= RADIUS))
        .count() / samples.size();
  }

  private static List<Map<String, Double>> compositions(ModelCard card, double[][] samples) {
    List<Map<String, Double>> out = new ArrayList<>();
    for (double[] s : samples) {
      Map<String, Double> c = new LinkedHashMap<>();
      double total = 0;
      for (int k = 0; k < s.length; k++) {
        if (s[k] > 1e-4) {
          c.put(card.elements().get(k), s[k]);
          total += s[k];
        }
      }
      if (total > 0) {
        double sum = total;
        c.replaceAll((e, v) -> v / sum);
        out.add(c);
      }
    }
    return out;
  }

  private static double share(List<Map<String, Double>> samples, List<MeasuredConductivities.Row> test, double t) {
    return samples.isEmpty() ? 0 : (double) samples.stream().filter(c -> hit(c, test, t)).count() / samples.size();
  }

  private static double oracleShare(List<Map<String, Double>> samples, ConductivityModel oracle, double t) {
    long inside = 0;
    for (Map<String, Double> c : samples) {
      try {
        inside += Math.abs(oracle.predict(c, 25)[0] - t) <= WINDOW ? 1 : 0;
      } catch (IllegalArgumentException unknownProperty) {
        // an element without a Magpie property: the oracle cannot say
      }
    }
    return samples.isEmpty() ? 0 : (double) inside / samples.size();
  }

  /** The nearest held-out composition lies within the radius and was measured near the target. */
  static boolean hit(Map<String, Double> c, List<MeasuredConductivities.Row> test, double t) {
    MeasuredConductivities.Row best = null;
    double bestD = Double.POSITIVE_INFINITY;
    for (MeasuredConductivities.Row r : test) {
      double d = tv(c, r.fractions());
      if (d < bestD) {
        bestD = d;
        best = r;
      }
    }
    return best != null && bestD <= RADIUS && Math.abs(best.log10Sigma() - t) <= WINDOW;
  }

  private static double nearest(Map<String, Double> c, List<MeasuredConductivities.Row> rows) {
    return rows.stream().mapToDouble(r -> tv(c, r.fractions())).min().orElse(Double.POSITIVE_INFINITY);
  }

  /** Total-variation distance between two compositions (element fractions summing to 1). */
  static double tv(Map<String, Double> a, Map<String, Double> b) {
    double d = 0;
    for (Map.Entry<String, Double> e : a.entrySet()) {
      d += Math.abs(e.getValue() - b.getOrDefault(e.getKey(), 0.0));
    }
    for (Map.Entry<String, Double> e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) {
        d += e.getValue();
      }
    }
    return d / 2;
  }

  private static String rounded(Map<String, Double> c) {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(c).forEach((e, v) -> sb.append(e).append(Math.round(v * 100)));
    return sb.toString();
  }
}
