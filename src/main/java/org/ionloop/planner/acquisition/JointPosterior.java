package org.ionloop.planner.acquisition;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ionloop.planner.gp.GaussianProcess;

/**
 * Correlated posterior samples of every objective at a fixed set of baseline points (measured
 * points worth keeping, running experiments, points already put in this batch), and samples at
 * any further point drawn <i>jointly</i> with them, reusing the same normal draws for every
 * candidate (common random numbers, so comparing candidates is not drowned in MC noise).
 *
 * <p>With baseline covariance Σ_BB = L Lᵀ and baseline samples f_B = μ_B + L z_B, a candidate x
 * gets f_x = μ_x + wᵀz_B + √(σ²_x − wᵀw)·z_x where w = L⁻¹Σ_Bx: exactly the joint Gaussian
 * (Daulton et al., NeurIPS 2021, "cached Cholesky" form of qNEHVI). Objectives are modelled
 * independently.
 *
 * <p>{@linkplain #ofRecordedValues Recorded values} are the alternative to the latent function:
 * each sample then adds the GP's noise term, drawn independently per point, to the latent
 * sample. That is what a measurement of the point will record, when the value recorded is what
 * counts (a pool of fixed measurements), rather than the smooth property behind it.
 */
public final class JointPosterior {
  private final GaussianProcess[] models;
  private final double[][] baseline;
  private final int samples;
  private final GaussianProcess.Projection[][] projections;
  private final double[][] choleskyLower;
  /** baseline draws zB[objective][sample][point] and candidate draws zX[objective][sample]. */
  private final double[][][] zBaseline;
  private final double[][] zCandidate;
  /** Samples at the baseline: [sample][point][objective]. */
  private final double[][][] baselineSamples;
  /** Candidate projections shared by the picks of one decision, or null. */
  private final ProjectionCache cache;
  /** Noise draws added to every sample ([objective][sample]) for recorded values, or null. */
  private final double[][] zCandidateNoise;

  /**
   * @param models   one GP per objective, on unit-cube inputs
   * @param baseline baseline points in the unit cube (may be empty)
   */
  public JointPosterior(GaussianProcess[] models, double[][] baseline, int samples,
      RandomGenerator rng) {
    this(models, baseline, samples, rng, null);
  }

  /**
   * @param cache projections of candidates, shared by every pick of a decision; null projects
   *              each candidate on demand
   */
  public JointPosterior(GaussianProcess[] models, double[][] baseline, int samples,
      RandomGenerator rng, ProjectionCache cache) {
    this(models, baseline, samples, rng, cache, false);
  }

  /**
   * Samples of what measuring the points would record: the latent function plus the GP's noise,
   * independent between points (the baseline's too: running experiments and points already
   * chosen are yet to be recorded). Measured points belong outside: their recorded values are
   * known.
   */
  public static JointPosterior ofRecordedValues(GaussianProcess[] models, double[][] baseline,
      int samples, RandomGenerator rng, ProjectionCache cache) {
    return new JointPosterior(models, baseline, samples, rng, cache, true);
  }

  private JointPosterior(GaussianProcess[] models, double[][] baseline, int samples,
      RandomGenerator rng, ProjectionCache cache, boolean recordedValues) {
    this.models = models.clone();
    this.cache = cache;
    this.baseline = baseline.clone();
    this.samples = samples;
    int m = baseline.length;
    int objectives = models.length;
    projections = new GaussianProcess.Projection[objectives][m];
    choleskyLower = new double[objectives][];
    zBaseline = new double[objectives][samples][m];
    zCandidate = new double[objectives][samples];
    baselineSamples = new double[samples][m][objectives];
    // Recorded values take as many noise draws again, from further coordinates of the same
    // sequence: a second sequence would repeat the first's points, shifted, and so correlate
    // each noise draw with its point's latent draw.
    int latentDimensions = objectives * (m + 1);
    double[][] draws = NormalDraws.of(samples, recordedValues ? 2 * latentDimensions : latentDimensions, rng);
    for (int j = 0; j < objectives; j++) {
      for (int i = 0; i < m; i++) {
        projections[j][i] = models[j].project(baseline[i]);
      }
      double[] means = new double[m];
      double[][] cov = models[j].jointCovariance(baseline, projections[j], means);
      choleskyLower[j] = cholesky(cov, models[j].outputScale());
      for (int s = 0; s < samples; s++) {
        for (int i = 0; i < m; i++) {
          zBaseline[j][s][i] = draws[s][j * (m + 1) + i];
        }
        zCandidate[j][s] = draws[s][j * (m + 1) + m];
        for (int i = 0; i < m; i++) {
          double v = means[i];
          for (int k = 0; k <= i; k++) {
            v += choleskyLower[j][i * m + k] * zBaseline[j][s][k];
          }
          baselineSamples[s][i][j] = v;
        }
      }
    }
    zCandidateNoise = recordedValues ? new double[objectives][samples] : null;
    for (int j = 0; recordedValues && j < objectives; j++) {
      double sd = models[j].noiseSd();
      for (int s = 0; s < samples; s++) {
        for (int i = 0; i < m; i++) {
          baselineSamples[s][i][j] += sd * draws[s][latentDimensions + j * (m + 1) + i];
        }
        zCandidateNoise[j][s] = draws[s][latentDimensions + j * (m + 1) + m];
      }
    }
  }

  /** Lower Cholesky factor (row-major m × m) with growing jitter for near-duplicate points. */
  private static double[] cholesky(double[][] cov, double scale) {
    int m = cov.length;
    if (m == 0) {
      return new double[0];
    }
    for (double jitter = 1e-10; jitter < 1; jitter *= 10) {
      DMatrixRMaj a = new DMatrixRMaj(cov);
      for (int i = 0; i < m; i++) {
        a.add(i, i, jitter * scale * scale);
      }
      CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
      if (chol.decompose(a)) {
        return chol.getT(null).data;
      }
    }
    throw new IllegalStateException("baseline posterior covariance is not positive definite");
  }

  public int samples() {
    return samples;
  }

  public int objectives() {
    return models.length;
  }

  public int baselineSize() {
    return baseline.length;
  }

  /** Sample s of objective values at baseline point i. Do not modify. */
  public double[] baselineSample(int s, int i) {
    return baselineSamples[s][i];
  }

  /** Sample s of objective values at every baseline point, in baseline order. Do not modify. */
  public List<double[]> baselineSamples(int s) {
    return Arrays.asList(baselineSamples[s]);
  }

  /**
   * Joint samples at candidate u (unit cube), consistent with the baseline samples.
   *
   * @return [sample][objective]
   */
  public double[][] sample(double[] u) {
    int m = baseline.length;
    double[][] out = new double[samples][models.length];
    double[] w = new double[m];
    GaussianProcess.Projection[] projected = cache != null ? cache.of(u) : null;
    for (int j = 0; j < models.length; j++) {
      GaussianProcess gp = models[j];
      GaussianProcess.Projection p = projected != null ? projected[j] : gp.project(u);
      double mean = gp.toUnits(p.standardisedMean());
      double variance = gp.variance(p);
      double[] l = choleskyLower[j];
      // w = L⁻¹ Σ_Bx by forward substitution
      double ww = 0;
      for (int i = 0; i < m; i++) {
        double v = gp.covariance(u, p, baseline[i], projections[j][i]);
        for (int k = 0; k < i; k++) {
          v -= l[i * m + k] * w[k];
        }
        w[i] = v / l[i * m + i];
        ww += w[i] * w[i];
      }
      double conditionalSd = Math.sqrt(Math.max(variance - ww, 0));
      double noiseSd = zCandidateNoise != null ? gp.noiseSd() : 0;
      for (int s = 0; s < samples; s++) {
        double v = mean + conditionalSd * zCandidate[j][s]
            + (noiseSd > 0 ? noiseSd * zCandidateNoise[j][s] : 0);
        double[] z = zBaseline[j][s];
        for (int i = 0; i < m; i++) {
          v += w[i] * z[i];
        }
        out[s][j] = v;
      }
    }
    return out;
  }
}
