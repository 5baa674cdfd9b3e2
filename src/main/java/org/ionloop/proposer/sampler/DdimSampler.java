package org.ionloop.proposer.sampler;

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
 */
public final class DdimSampler {
  private final OnnxDenoiser denoiser;
  private final ModelCard card;
  private final double[] alphaBar;

  public DdimSampler(OnnxDenoiser denoiser, ModelCard card) {
    this.denoiser = denoiser;
    this.card = card;
    this.alphaBar = card.alphasCumprod();
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
        cond[i * c + k] = (float) ((conditions[k] - card.condMean()[k]) / card.condStd()[k]);
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
      for (int i = 0; i < n * d; i++) {
        double e = (1 + guidance) * eps[i] - guidance * eps[n * d + i];
        double x0 = (x[i] - Math.sqrt(1 - a) * e) / Math.sqrt(a);
        x0 = Math.max(-4, Math.min(4, x0));
        x[i] = (float) (Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * e);
      }
    }
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = decode(x, i * d);
    }
    return out;
  }

  /** Model space → natural units: inverse standardisation, inverse ilr, process scaling. */
  double[] decode(float[] x, int offset) {
    int p = card.precursors().size();
    int d = card.dimension();
    double[] z = new double[d];
    for (int k = 0; k < d; k++) {
      z[k] = x[offset + k] * card.xStd()[k] + card.xMean()[k];
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
}
