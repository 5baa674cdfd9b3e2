package org.ionloop.proposer.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ionloop.chemistry.CompositionDescriptors;
import org.ionloop.planner.gp.GaussianProcess;

/**
 * A forward model of the proposer's condition: log10 σ at a temperature from composition alone.
 * A Gaussian process (the planner's own, with learned ARD length scales and noise) over a
 * composition's Magpie-style descriptors ({@link CompositionDescriptors}) and 1000/T, the
 * Arrhenius coordinate, so one model serves every measurement temperature. It is what a lab has
 * before its first result: a prior for ranking proposals and an oracle for the proposer's bench,
 * with its own uncertainty.
 *
 * <p>Censored rows (only a bound is known) are left out of the fit rather than taken as exact.
 */
public final class ConductivityModel {
  private final GaussianProcess gp;
  private final double[] lo;
  private final double[] hi;

  private ConductivityModel(GaussianProcess gp, double[] lo, double[] hi) {
    this.gp = gp;
    this.lo = lo;
    this.hi = hi;
  }

  /** Fits the model on the uncensored rows. */
  public static ConductivityModel fit(List<MeasuredConductivities.Row> rows, long seed) {
    return build(rows, null, seed);
  }

  /**
   * The model with hyper-parameters fitted before ({@link #save}): conditioned on the rows only,
   * in a fraction of a second instead of minutes, so a campaign can have it at its start.
   */
  public static ConductivityModel conditioned(List<MeasuredConductivities.Row> rows,
      org.ionloop.planner.gp.GpHyperparameters hyperparameters) {
    return build(rows, hyperparameters, 0);
  }

  /** Writes the fitted hyper-parameters (JSON), to be {@link #load}ed with the same table. */
  public void save(java.nio.file.Path file, String table) throws java.io.IOException {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var node = json.createObjectNode();
    node.put("model", "GP on composition descriptors and 1000/T (ConductivityModel)");
    node.put("table", table);
    var hp = node.putArray("hyperparameters_packed");
    for (double v : gp.hyperparameters().pack()) {
      hp.add(v);
    }
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
  }

  /**
   * The model saved in {@code file}, conditioned on the train split of {@code table}.
   *
   * @throws IllegalArgumentException naming the file when it is not such a model
   */
  public static ConductivityModel load(java.nio.file.Path file, java.nio.file.Path table) throws java.io.IOException {
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
    var packed = node.path("hyperparameters_packed");
    if (!packed.isArray() || packed.size() < 3) {
      throw new IllegalArgumentException(file + ": no hyperparameters_packed array");
    }
    double[] p = new double[packed.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = packed.get(i).asDouble();
    }
    List<MeasuredConductivities.Row> train = MeasuredConductivities.read(table).stream()
        .filter(r -> r.split().equals("train")).toList();
    return conditioned(train, org.ionloop.planner.gp.GpHyperparameters.unpack(p));
  }

  private static ConductivityModel build(List<MeasuredConductivities.Row> rows,
      org.ionloop.planner.gp.GpHyperparameters known, long seed) {
    List<double[]> features = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (MeasuredConductivities.Row r : rows) {
      if (!r.censored()) {
        features.add(features(r.fractions(), r.temperatureC()));
        y.add(r.log10Sigma());
      }
    }
    if (features.size() < 2) {
      throw new IllegalArgumentException("a conductivity model needs at least 2 uncensored measurements, got "
          + features.size());
    }
    int d = features.get(0).length;
    double[] lo = new double[d];
    double[] hi = new double[d];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] f : features) {
      for (int k = 0; k < d; k++) {
        lo[k] = Math.min(lo[k], f[k]);
        hi[k] = Math.max(hi[k], f[k]);
      }
    }
    double[][] x = features.stream().map(f -> unit(f, lo, hi)).toArray(double[][]::new);
    double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
    if (known != null && known.dimension() != d) {
      throw new IllegalArgumentException("saved hyper-parameters are for " + known.dimension() + " features, these rows"
          + " have " + d);
    }
    GaussianProcess gp = known != null ? GaussianProcess.condition(x, ys, known)
        : GaussianProcess.fit(x, ys, null, GaussianProcess.FitSettings.THOROUGH, new SplittableRandom(seed));
    return new ConductivityModel(gp, lo, hi);
  }

  /**
   * Predicted log10 σ (S/cm) and its standard deviation (the latent function's, without the
   * measurement noise).
   */
  public double[] predict(Map<String, Double> fractions, double temperatureC) {
    double[] p = gp.predict(unit(features(fractions, temperatureC), lo, hi));
    return new double[] {p[0], Math.sqrt(Math.max(0, p[1]))};
  }

  /** The fitted measurement-noise SD, log10 units: how far two measurements of one material differ. */
  public double noiseSd() {
    return gp.noiseSd();
  }

  private static double[] features(Map<String, Double> fractions, double temperatureC) {
    double[] d = CompositionDescriptors.of(fractions);
    double[] f = java.util.Arrays.copyOf(d, d.length + 1);
    f[d.length] = 1000 / (temperatureC + 273.15);
    return f;
  }

  /** Scaled to the training box; constant features map to 0.5 (they carry nothing). */
  private static double[] unit(double[] f, double[] lo, double[] hi) {
    double[] u = new double[f.length];
    for (int k = 0; k < f.length; k++) {
      u[k] = hi[k] > lo[k] ? (f[k] - lo[k]) / (hi[k] - lo[k]) : 0.5;
    }
    return u;
  }
}
