package org.ionloop.sim;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Writes the proposer's base training set from the virtual lab's ground truth: compositions
 * (half spread over the simplex, half near the argyrodite locus x(P2S5) = 1/8), anneal
 * temperatures, a measurement temperature and the conditioning labels the model learns from.
 *
 * <p>CSV columns: Li2S, P2S5, LiCl, LiBr (mole fractions), anneal_c, temperature_c,
 * log10_sigma (S/cm at temperature_c), ea_ev, e_hull_mev.
 *
 * <p>Literature compounds of the system ({@link LiteratureTable}) can be appended: their
 * reported σ25 (and Ea where reported) at 25 °C, the energy above hull from the virtual lab,
 * each repeated {@code weight} times so a handful of measured facts are not drowned out.
 */
public final class TrainingDataGenerator {
  public static final String HEADER =
      "Li2S,P2S5,LiCl,LiBr,anneal_c,temperature_c,log10_sigma,ea_ev,e_hull_mev";
  private final MaterialModel model = new MaterialModel();

  /** Literature rows used in training by default. */
  public static final Path LITERATURE = Path.of("models/training/literature.csv");
  /** How often each literature row is repeated. */
  public static final int LITERATURE_WEIGHT = 20;

  /** Writes {@code rows} rows to {@code out}, reproducibly for a given generator state. */
  public void write(Path out, int rows, RandomGenerator rng) throws IOException {
    write(out, rows, rng, List.of(), 0);
  }

  /**
   * Writes {@code rows} virtual-lab rows and then the trainable literature rows, each
   * {@code weight} times; the number of literature rows written.
   */
  public int write(Path out, int rows, RandomGenerator rng, List<LiteratureTable.Entry> literature,
      int weight) throws IOException {
    writeVirtual(out, rows, rng);
    int added = 0;
    try (Writer w = Files.newBufferedWriter(out, java.nio.file.StandardOpenOption.APPEND)) {
      for (LiteratureTable.Entry e : literature) {
        if (!e.trainable(300, 650)) {
          continue;
        }
        MaterialModel.Truth t = model.truth(e.fractions(), e.annealC().getAsDouble());
        double ea = e.eaEv().orElse(t.eaEv());
        for (int k = 0; k < weight; k++) {
          w.write(String.format(java.util.Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.2f,%.2f,%.5f,%.5f,%.3f%n",
              e.fractions().get("Li2S"), e.fractions().get("P2S5"), e.fractions().get("LiCl"),
              e.fractions().get("LiBr"), e.annealC().getAsDouble(), 25.0, Math.log10(e.sigma25()), ea,
              t.eHullMeVPerAtom()));
          added++;
        }
      }
    }
    return added;
  }

  private void writeVirtual(Path out, int rows, RandomGenerator rng) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(out)) {
      w.write(HEADER);
      w.write('\n');
      for (int i = 0; i < rows; i++) {
        double[] f = i % 2 == 0 ? nearLocus(rng) : dirichlet(rng);
        double anneal = 300 + 350 * rng.nextDouble();
        double tempC = rng.nextDouble() < 0.4 ? 25 : 100 * rng.nextDouble();
        MaterialModel.Truth t = model.synthesise(
            Map.of("Li2S", f[0], "P2S5", f[1], "LiCl", f[2], "LiBr", f[3]), anneal, rng);
        double log10SigmaT = Math.log10(t.sigmaAt(tempC));
        w.write(String.format(java.util.Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.2f,%.2f,%.5f,%.5f,%.3f%n",
            f[0], f[1], f[2], f[3], anneal, tempC, log10SigmaT, t.eaEv(), t.eHullMeVPerAtom()));
      }
    }
  }

  /** A mixture near the argyrodite locus: x(P2S5) ≈ 1/8, halide content y ∈ [0, 2.2]. */
  private static double[] nearLocus(RandomGenerator rng) {
    double p = 0.125 + 0.02 * rng.nextGaussian();
    p = Math.max(0.05, Math.min(0.3, p));
    double y = 2.2 * rng.nextDouble();
    double halide = Math.min(0.6, 2 * y * p);
    double br = rng.nextDouble() < 0.3 ? 0 : rng.nextDouble();
    double li2s = 1 - p - halide;
    if (li2s < 0.05) {
      return dirichlet(rng);
    }
    return new double[] {li2s, p, halide * (1 - br), halide * br};
  }

  /** Uniform on the 4-simplex (Dirichlet(1,1,1,1)). */
  private static double[] dirichlet(RandomGenerator rng) {
    double[] g = new double[4];
    double s = 0;
    for (int i = 0; i < 4; i++) {
      g[i] = -Math.log(1 - rng.nextDouble());
      s += g[i];
    }
    for (int i = 0; i < 4; i++) {
      g[i] /= s;
    }
    return g;
  }
}
