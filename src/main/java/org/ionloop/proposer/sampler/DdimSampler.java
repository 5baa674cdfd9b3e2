package org.ionloop.proposer.sampler;

import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.proposer.model.OnnxDenoiser;

/**
 * Deterministic DDIM sampling (η = 0; Song, Meng &amp; Ermon, ICLR 2021) with classifier-free
 * guidance (Ho &amp; Salimans, 2022):
 * <pre>
 *   ε̂ = (1 + w)·ε_θ(x_t, t, c) − w·ε_θ(x_t, t, ∅)
 *   x̂0 = (x_t − √(1−ᾱ_t)·ε̂) / √ᾱ_t            (clipped to ±4 standard deviations)
 *   x_{t'} = √ᾱ_{t'}·x̂0 + √(1−ᾱ_{t'})·ε̂
 * </pre>
 * over {@code steps} evenly spaced timesteps. The conditional and unconditional passes share one
 * batched ONNX call. The result is decoded from the model's space (standardised ilr coordinates
 * + scaled process settings) to natural units: fractions on the simplex via the inverse ilr,
 * which is a softmax of V·z and therefore always sums to 1 — no clip-and-renormalise.
 *
 * <p><b>Surrogate guidance.</b> Given a score of designs (the planner's surrogates, higher is
 * better) and a weight λ, each step of the second half of the trajectory moves x̂0 by
 * up to λ·{@link #SURROGATE_STEP} model standard deviations up the score's gradient (central
 * differences through the decoding, so the score may be any black box; measured against the
 * batch's median gradient, so λ means the same for any score scale and samples where the score is
 * flat stay where the prior put them) and re-derives ε̂ from the moved x̂0, so the trajectory stays
 * consistent with it.
 * The first half is left to the diffusion prior: it decides the composition family, guidance then
 * refines within it (as in universal guidance, Bansal et al., 2023).
 */
public final class DdimSampler {
  /** Step along the normalised score gradient per guided DDIM step, in model standard deviations. */
  public static final double SURROGATE_STEP = 0.1;
  private static final double FINITE_DIFFERENCE = 1e-2;
  private final OnnxDenoiser denoiser;
  private final ModelCard card;
  private final double[] alphaBar;
  /** Model-space values x̂0 is held at in every step (NaN: free), or null for none. */
  private final double[] fixed;

  public DdimSampler(OnnxDenoiser denoiser, ModelCard card) {
    this(denoiser, card, null);
  }

  /**
   * A sampler whose x̂0 keeps {@code fixed[k]} in every dimension k where it is not NaN: the
   * replacement method of inpainting (as in RePaint, Lugmayr et al., CVPR 2022), here to keep an
   * element-space model to the elements a campaign's precursors hold, every other element held
   * at "absent" while the free ones are denoised around it.
   */
  public DdimSampler(OnnxDenoiser denoiser, ModelCard card, double[] fixed) {
    this.denoiser = denoiser;
    this.card = card;
    this.alphaBar = card.alphasCumprod();
    this.fixed = fixed == null ? null : fixed.clone();
  }

  /**
   * Draws {@code n} samples.
   *
   * @param conditions raw condition values in the card's order (e.g. log10 σ, T °C, E_hull)
   * @param guidance   classifier-free guidance weight w (0 = plain conditional)
   * @param steps      DDIM steps (1..T)
   * @param rng        source of the initial noise
   * @return n × (precursors + process) design vectors in natural units
   */
  public double[][] sample(double[] conditions, int n, double guidance, int steps,
      RandomGenerator rng) {
    return sample(conditions, n, guidance, steps, rng, null, 0);
  }

  /**
   * Draws {@code n} samples, guided up a surrogate score in the second half of the trajectory.
   *
   * @param surrogate       score of a design in natural units, higher is better; null: none
   * @param surrogateWeight λ ≥ 0 (0: no surrogate guidance)
   */
  public double[][] sample(double[] conditions, int n, double guidance, int steps,
      RandomGenerator rng, ToDoubleFunction<double[]> surrogate, double surrogateWeight) {
    double[][] each = new double[n][];
    java.util.Arrays.fill(each, conditions);
    return sample(each, guidance, steps, rng, surrogate, surrogateWeight);
  }

  /**
   * Draws one sample per row of {@code conditions}, each conditioned on its own row (e.g. a
   * stability drawn per sample, to sample p(x | σ) = ∫ p(x | σ, h) p(h | σ) dh).
   */
  public double[][] sample(double[][] conditions, double guidance, int steps,
      RandomGenerator rng, ToDoubleFunction<double[]> surrogate, double surrogateWeight) {
    int n = conditions.length;
    if (surrogateWeight < 0 || !Double.isFinite(surrogateWeight)) {
      throw new IllegalArgumentException("surrogate guidance weight must be ≥ 0, got " + surrogateWeight);
    }
    boolean steer = surrogate != null && surrogateWeight > 0;
    int d = card.dimension();
    int c = card.condMean().length;
    int total = alphaBar.length;
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] cond = new float[2 * n * c];
    float[] mask = new float[2 * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        cond[i * c + k] = (float) ((conditions[i][k] - card.condMean()[k]) / card.condStd()[k]);
      }
      mask[i] = 1;
    }
    float[] xx = new float[2 * n * d];
    float[] tt = new float[2 * n];
    for (int s = 0; s < steps; s++) {
      int t = (int) Math.round((total - 1) * (1 - (double) s / steps));
      int tPrev = s + 1 < steps ? (int) Math.round((total - 1) * (1 - (double) (s + 1) / steps)) : -1;
      System.arraycopy(x, 0, xx, 0, n * d);
      System.arraycopy(x, 0, xx, n * d, n * d);
      java.util.Arrays.fill(tt, (float) (t + 1) / total);
      float[] eps = denoiser.predict(xx, tt, cond, mask, 2 * n);
      double a = alphaBar[t];
      double aPrev = tPrev >= 0 ? alphaBar[tPrev] : 1.0;
      boolean guideThisStep = steer && 2 * s >= steps;
      double[][] x0 = new double[n][d];
      double[][] e = new double[n][d];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          int j = i * d + k;
          e[i][k] = (1 + guidance) * eps[j] - guidance * eps[n * d + j];
          x0[i][k] = Math.max(-4, Math.min(4, (x[j] - Math.sqrt(1 - a) * e[i][k]) / Math.sqrt(a)));
        }
      }
      if (fixed != null) {
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < d; k++) {
            if (!Double.isNaN(fixed[k])) {
              x0[i][k] = fixed[k];
            }
          }
        }
      }
      if (guideThisStep) {
        climb(x0, surrogate, surrogateWeight);
      }
      if (guideThisStep || fixed != null) {
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < d; k++) {
            e[i][k] = (x[i * d + k] - Math.sqrt(a) * x0[i][k]) / Math.sqrt(1 - a);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          x[i * d + k] = (float) (Math.sqrt(aPrev) * x0[i][k] + Math.sqrt(1 - aPrev) * e[i][k]);
        }
      }
    }
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = decode(x, i * d);
    }
    return out;
  }

  /**
   * Moves each x̂0 (model space, in place) up the score's gradient. Steps are measured against
   * the median gradient norm of the batch: a sample on a steep slope moves {@code weight} ×
   * {@link #SURROGATE_STEP}, one where the score is nearly flat moves proportionally less. (A
   * per-sample unit step would walk flat samples — most of them, where the surrogates have no
   * data — in arbitrary directions off the model's manifold.)
   */
  private void climb(double[][] x0, ToDoubleFunction<double[]> score, double weight) {
    int n = x0.length;
    int d = n == 0 ? 0 : x0[0].length;
    double[][] gradient = new double[n][d];
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int k = 0; k < d; k++) {
        double keep = x0[i][k];
        x0[i][k] = keep + FINITE_DIFFERENCE;
        double up = score.applyAsDouble(decode(x0[i]));
        x0[i][k] = keep - FINITE_DIFFERENCE;
        double down = score.applyAsDouble(decode(x0[i]));
        x0[i][k] = keep;
        gradient[i][k] = (up - down) / (2 * FINITE_DIFFERENCE);
        norm += gradient[i][k] * gradient[i][k];
      }
      norms[i] = Double.isFinite(norm) ? Math.sqrt(norm) : 0;
    }
    double[] sorted = norms.clone();
    java.util.Arrays.sort(sorted);
    double scale = sorted[n / 2];
    if (!(scale > 0)) {
      scale = sorted[n - 1]; // most samples flat: measure against the steepest
    }
    if (!(scale > 0)) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (!(norms[i] > 0)) {
        continue;
      }
      double step = weight * SURROGATE_STEP / Math.max(norms[i], scale);
      for (int k = 0; k < d; k++) {
        x0[i][k] = Math.max(-4, Math.min(4, x0[i][k] + step * gradient[i][k]));
      }
    }
  }

  /** Model space → natural units: inverse standardisation, inverse ilr, process scaling. */
  double[] decode(float[] x, int offset) {
    double[] standardised = new double[card.dimension()];
    for (int k = 0; k < standardised.length; k++) {
      standardised[k] = x[offset + k];
    }
    return decode(standardised);
  }

  /** As {@link #decode(float[], int)} for one standardised model-space vector. */
  double[] decode(double[] standardised) {
    if (card.elementSpace()) {
      return decodeElements(standardised);
    }
    int p = card.precursors().size();
    int d = card.dimension();
    double[] z = new double[d];
    for (int k = 0; k < d; k++) {
      z[k] = standardised[k] * card.xStd()[k] + card.xMean()[k];
    }
    double[] out = new double[p + card.process().size()];
    double[] clr = new double[p];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p; i++) {
      for (int k = 0; k < p - 1; k++) {
        clr[i] += card.ilrBasis()[i][k] * z[k];
      }
      max = Math.max(max, clr[i]);
    }
    double sum = 0;
    for (int i = 0; i < p; i++) {
      out[i] = Math.exp(clr[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < p; i++) {
      out[i] /= sum;
    }
    for (int j = 0; j < card.process().size(); j++) {
      ModelCard.ProcessRange r = card.process().get(j);
      double scaled = z[p - 1 + j];
      out[p + j] = r.min() + (scaled + 1) / 2 * (r.max() - r.min());
    }
    return out;
  }

  /**
   * Element space → element fractions: f = max(x·scale + mean, 0)², fractions below the card's
   * sparsity dropped (an element at a few per mille of the atoms is the network's noise, not a
   * dopant the data support), renormalised; all zeros when nothing is left.
   */
  private double[] decodeElements(double[] x) {
    ModelCard.Encoding enc = card.encoding();
    double[] f = new double[x.length];
    double sum = 0;
    for (int k = 0; k < x.length; k++) {
      double root = Math.max(0, x[k] * enc.scale() + enc.mean()[k]);
      f[k] = root * root < enc.sparsity() ? 0 : root * root;
      sum += f[k];
    }
    for (int k = 0; k < f.length && sum > 0; k++) {
      f[k] /= sum;
    }
    return f;
  }
}
