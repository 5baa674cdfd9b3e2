package org.ionloop.proposer;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.proposer.model.OnnxDenoiser;
import org.ionloop.proposer.sampler.DdimSampler;

/**
 * A loaded diffusion model (card + ONNX denoiser + sampler) checked against the campaign's
 * design space: the model must generate exactly the campaign's precursors and process settings,
 * in the same order.
 */
public final class DiffusionProposer implements AutoCloseable {
  private final Path modelDir;
  private final ModelCard card;
  private final OnnxDenoiser denoiser;
  private final DdimSampler sampler;
  private final double guidance;
  private final int steps;

  /**
   * @param modelDir folder holding {@code model-card.json} and the ONNX file it names
   * @param guidance classifier-free guidance weight
   * @param steps    DDIM steps
   */
  public DiffusionProposer(Path modelDir, DesignSpace space, double guidance, int steps) {
    this.modelDir = modelDir;
    this.card = ModelCard.load(modelDir.resolve("model-card.json"));
    List<String> expected = space.names();
    List<String> generated = card.generates();
    if (!expected.equals(generated)) {
      throw new IonloopException(ErrorCode.MODEL, "model " + card.version() + " generates "
          + generated + " but the campaign's design space is " + expected);
    }
    this.denoiser = new OnnxDenoiser(modelDir.resolve(card.file()), card.dimension(),
        card.condMean().length);
    this.sampler = new DdimSampler(denoiser, card);
    this.guidance = guidance;
    this.steps = steps;
  }

  public String version() {
    return card.version();
  }

  public ModelCard card() {
    return card;
  }

  /** The folder the model was loaded from. */
  public Path modelDir() {
    return modelDir;
  }

  /** n raw samples in natural units, reproducible for a seed. */
  public double[][] sample(double[] conditions, int n, long seed) {
    return sample(conditions, n, seed, null, 0);
  }

  /** One raw sample per row of conditions, each conditioned on its row; reproducible for a seed. */
  public double[][] sample(double[][] conditions, long seed) {
    for (double[] c : conditions) {
      checkConditions(c);
    }
    return sampler.sample(conditions, guidance, steps, new SplittableRandom(seed), null, 0);
  }

  /**
   * n raw samples in natural units, reproducible for a seed, steered up a surrogate score with
   * weight {@code surrogateWeight} (see {@link DdimSampler}); a null score or weight 0 is plain.
   */
  public double[][] sample(double[] conditions, int n, long seed,
      java.util.function.ToDoubleFunction<double[]> surrogate, double surrogateWeight) {
    checkConditions(conditions);
    return sampler.sample(conditions, n, guidance, steps, new SplittableRandom(seed), surrogate,
        surrogateWeight);
  }

  private void checkConditions(double[] conditions) {
    if (conditions.length != card.condMean().length) {
      throw new IllegalArgumentException("conditions: expected " + card.condMean().length
          + " values " + card.conditions() + ", got " + conditions.length);
    }
  }

  /**
   * Held-out denoising loss: mean squared error of the predicted noise on {@code rows}, each
   * noised at a random diffusion step with fixed seeds, in the model's own normalisation. The
   * target is standard-normal noise whatever the model, so two models compare on the same rows.
   *
   * @param designs    design vectors in natural units (fractions, then process settings)
   * @param conditions condition vectors in the card's order
   */
  public double denoisingMse(List<double[]> designs, List<double[]> conditions, long seed) {
    int n = designs.size();
    int d = card.dimension();
    int c = card.condMean().length;
    double[] alphaBar = card.alphasCumprod();
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * d];
    float[] t = new float[n];
    float[] cond = new float[n * c];
    float[] mask = new float[n];
    double[] noise = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] z = encode(designs.get(i));
      int step = rng.nextInt(alphaBar.length);
      double a = alphaBar[step];
      for (int k = 0; k < d; k++) {
        noise[i * d + k] = rng.nextGaussian();
        x[i * d + k] = (float) (Math.sqrt(a) * z[k] + Math.sqrt(1 - a) * noise[i * d + k]);
      }
      t[i] = (float) (step + 1) / alphaBar.length;
      for (int k = 0; k < c; k++) {
        cond[i * c + k] = (float) ((conditions.get(i)[k] - card.condMean()[k]) / card.condStd()[k]);
      }
      mask[i] = 1;
    }
    float[] eps = denoiser.predict(x, t, cond, mask, n);
    double sum = 0;
    for (int i = 0; i < n * d; i++) {
      sum += (eps[i] - noise[i]) * (eps[i] - noise[i]);
    }
    return sum / (n * d);
  }

  /** Natural units → the model's standardised space (ilr of floored fractions, scaled process). */
  double[] encode(double[] design) {
    int p = card.precursors().size();
    double[] f = new double[p];
    double total = 0;
    for (int i = 0; i < p; i++) {
      f[i] = Math.max(design[i], card.fractionFloor());
      total += f[i];
    }
    double meanLog = 0;
    for (int i = 0; i < p; i++) {
      f[i] = Math.log(f[i] / total);
      meanLog += f[i] / p;
    }
    double[] z = new double[card.dimension()];
    for (int k = 0; k < p - 1; k++) {
      for (int i = 0; i < p; i++) {
        z[k] += (f[i] - meanLog) * card.ilrBasis()[i][k];
      }
    }
    for (int j = 0; j < card.process().size(); j++) {
      ModelCard.ProcessRange r = card.process().get(j);
      z[p - 1 + j] = (design[p + j] - r.min()) / (r.max() - r.min()) * 2 - 1;
    }
    for (int k = 0; k < z.length; k++) {
      z[k] = (z[k] - card.xMean()[k]) / card.xStd()[k];
    }
    return z;
  }

  @Override
  public void close() {
    denoiser.close();
  }
}
