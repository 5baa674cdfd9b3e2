package org.ionloop.proposer;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;
import org.ionloop.chemistry.ChemicalFormula;
import org.ionloop.chemistry.PrecursorMixture;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.proposer.model.OnnxDenoiser;
import org.ionloop.proposer.sampler.DdimSampler;

/**
 * A loaded diffusion model (card + ONNX denoiser + sampler) checked against the campaign's
 * design space. A design-space model must generate exactly the campaign's precursors and process
 * settings, in the same order. An element-space model ({@link ModelCard#elementSpace}) must know
 * every element of the campaign's precursors: each sampled composition becomes the closest
 * mixture of those precursors ({@link PrecursorMixture}); one farther than
 * {@link #MAX_RESIDUAL} from anything they make is dropped (a null row, counted by the caller),
 * and the process settings, which the data behind such a model do not cover, are drawn over the
 * campaign's ranges for the planner to choose among.
 */
public final class DiffusionProposer implements AutoCloseable {
  /** Largest share of a sample's atoms a campaign's precursors may get wrong (total variation). */
  public static final double MAX_RESIDUAL = 0.10;
  private final DesignSpace space;
  private final PrecursorMixture mixture;
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
    this.space = space;
    this.card = ModelCard.load(modelDir.resolve("model-card.json"));
    if (card.elementSpace()) {
      this.mixture = mixtureOf(card, space);
    } else {
      this.mixture = null;
      List<String> expected = space.names();
      List<String> generated = card.generates();
      if (!expected.equals(generated)) {
        throw new IonloopException(ErrorCode.MODEL, "model " + card.version() + " generates "
            + generated + " but the campaign's design space is " + expected);
      }
    }
    this.denoiser = new OnnxDenoiser(modelDir.resolve(card.file()), card.dimension(),
        card.condMean().length);
    this.sampler = new DdimSampler(denoiser, card, mixture == null ? null : absentOutside(card, mixture.elements()));
    this.guidance = guidance;
    this.steps = steps;
  }

  /**
   * The elements of the campaign's precursors that an element-space model does not know (empty:
   * it covers them). A design-space model is checked by its names instead.
   */
  public static List<String> unknownElements(ModelCard card, DesignSpace space) {
    java.util.Set<String> missing = new java.util.TreeSet<>();
    for (int i = 0; i < space.precursorCount(); i++) {
      missing.addAll(ChemicalFormula.parse(space.names().get(i)).elements().keySet());
    }
    missing.removeAll(card.elements());
    return List.copyOf(missing);
  }

  /**
   * The encoded value of "absent" for every element the campaign's precursors do not hold (NaN
   * for those they do), so the sampler stays in the compositions the lab can make.
   */
  private static double[] absentOutside(ModelCard card, List<String> reachable) {
    double[] fixed = new double[card.dimension()];
    for (int k = 0; k < fixed.length; k++) {
      fixed[k] = reachable.contains(card.elements().get(k)) ? Double.NaN
          : (0 - card.encoding().mean()[k]) / card.encoding().scale();
    }
    return fixed;
  }

  private static PrecursorMixture mixtureOf(ModelCard card, DesignSpace space) {
    List<String> missing = unknownElements(card, space);
    if (!missing.isEmpty()) {
      throw new IonloopException(ErrorCode.MODEL, "model " + card.version() + " knows no " + String.join(", ",
          missing) + " (its elements: " + String.join(" ", card.elements()) + "); without a model that covers"
          + " the precursors, remove the proposer and conditioning sections and the planner works alone");
    }
    java.util.Map<String, ChemicalFormula> formulas = new java.util.LinkedHashMap<>();
    for (int i = 0; i < space.precursorCount(); i++) {
      formulas.put(space.names().get(i), ChemicalFormula.parse(space.names().get(i)));
    }
    return new PrecursorMixture(formulas);
  }

  public String version() {
    return card.version();
  }

  /** File beside an element-space model holding its forward model ({@code bench forward-model --save}). */
  public static final String FORWARD_MODEL = "forward-model.json";
  private java.util.Optional<org.ionloop.proposer.forward.ConductivityModel> prior;

  /**
   * The forward model of log10 σ(T) that comes with an element-space model (its
   * {@value #FORWARD_MODEL}, conditioned on the base data its card names), loaded on first use;
   * empty for a model without one (a design-space model, a fine-tuned copy).
   *
   * @throws IonloopException code MODEL when the file is there but cannot be read
   */
  public synchronized java.util.Optional<org.ionloop.proposer.forward.ConductivityModel> prior() {
    if (prior == null) {
      Path file = modelDir.resolve(FORWARD_MODEL);
      if (mixture == null || card.baseData() == null || !java.nio.file.Files.exists(file)) {
        prior = java.util.Optional.empty();
      } else {
        try {
          prior = java.util.Optional.of(org.ionloop.proposer.forward.ConductivityModel.load(file,
              modelDir.resolve(card.baseData())));
        } catch (java.io.IOException | RuntimeException e) {
          throw new IonloopException(ErrorCode.MODEL, "model " + card.version() + ": cannot load its forward model "
              + file + ": " + e.getMessage(), e);
        }
      }
    }
    return prior;
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
    double[][] own = new double[conditions.length][];
    for (int i = 0; i < own.length; i++) {
      own[i] = modelConditions(conditions[i]);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    return designs(sampler.sample(own, guidance, steps, rng, null, 0), rng);
  }

  /**
   * n raw samples in natural units, reproducible for a seed, steered up a surrogate score with
   * weight {@code surrogateWeight} (see {@link DdimSampler}); a null score or weight 0 is plain.
   */
  public double[][] sample(double[] conditions, int n, long seed,
      java.util.function.ToDoubleFunction<double[]> surrogate, double surrogateWeight) {
    if (mixture != null && surrogate != null && surrogateWeight > 0) {
      throw new IllegalArgumentException("surrogate guidance steers a design-space model; model "
          + card.version() + " samples element fractions (set surrogate_guidance: 0)");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    return designs(sampler.sample(modelConditions(conditions), n, guidance, steps, rng, surrogate,
        surrogateWeight), rng);
  }

  /**
   * The model's conditions from the campaign's (log10 σ, T °C, E_hull): a design-space model takes
   * them as they are; an element-space one takes log10 σ and 1000/T (K), and has no stability
   * condition (its card says why).
   */
  private double[] modelConditions(double[] conditions) {
    if (mixture != null && conditions.length == 3) {
      return new double[] {conditions[0], 1000 / (conditions[1] + 273.15)};
    }
    if (conditions.length != card.condMean().length) {
      throw new IllegalArgumentException("conditions: expected " + card.condMean().length
          + " values " + card.conditions() + ", got " + conditions.length);
    }
    return conditions;
  }

  /**
   * Element-space samples as the campaign's design vectors: the closest precursor mixture, or
   * null where none comes within {@link #MAX_RESIDUAL}; process settings uniform over their
   * ranges. Design-space samples are already design vectors.
   */
  private double[][] designs(double[][] samples, SplittableRandom rng) {
    if (mixture == null) {
      return samples;
    }
    double[][] out = new double[samples.length][];
    for (int i = 0; i < samples.length; i++) {
      java.util.Map<String, Double> composition = new java.util.LinkedHashMap<>();
      for (int k = 0; k < samples[i].length; k++) {
        if (samples[i][k] > 0) {
          composition.put(card.elements().get(k), samples[i][k]);
        }
      }
      // Drawn for every sample, kept or not, so one sample's fate does not shift the others' draws.
      double[] process = space.process().stream().mapToDouble(r -> r.min() + rng.nextDouble() * (r.max() - r.min()))
          .toArray();
      if (!java.util.Arrays.stream(samples[i]).allMatch(Double::isFinite)) {
        // The network did not give a number: no mixture to fit, and the caller (a retrainer
        // checking a new model, a campaign) is told so by a design that is not one either.
        out[i] = new double[space.dimension()];
        java.util.Arrays.fill(out[i], Double.NaN);
        continue;
      }
      if (composition.isEmpty()) {
        continue;
      }
      PrecursorMixture.Fit fit = mixture.fit(composition);
      if (fit.residual() > MAX_RESIDUAL) {
        continue;
      }
      double[] x = new double[space.dimension()];
      for (int k = 0; k < space.precursorCount(); k++) {
        x[k] = fit.moleFractions().get(space.names().get(k));
      }
      System.arraycopy(process, 0, x, space.precursorCount(), process.length);
      out[i] = x;
    }
    return out;
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
    if (mixture != null) {
      return denoisingMseOfFractions(designs.stream().map(this::elementFractions).toList(), conditions.stream()
          .map(this::modelConditions).toList(), seed);
    }
    return denoisingMseOfEncoded(designs.stream().map(this::encode).toList(), conditions, seed);
  }

  /**
   * Held-out denoising loss of an element-space model on compositions given as element fractions
   * over {@link ModelCard#elements} (a measured material's, not a campaign design), with the
   * model's conditions (log10 σ, 1000/T).
   */
  public double denoisingMseOfFractions(List<double[]> fractions, List<double[]> modelConditions, long seed) {
    if (mixture == null) {
      throw new IllegalStateException("model " + card.version() + " is not an element-space model");
    }
    List<double[]> encoded = new java.util.ArrayList<>();
    for (double[] f : fractions) {
      if (f.length != card.dimension()) {
        throw new IllegalArgumentException("expected " + card.dimension() + " element fractions, got " + f.length);
      }
      double[] z = new double[f.length];
      for (int k = 0; k < f.length; k++) {
        z[k] = (Math.sqrt(Math.max(0, f[k])) - card.encoding().mean()[k]) / card.encoding().scale();
      }
      encoded.add(z);
    }
    return denoisingMseOfEncoded(encoded, modelConditions, seed);
  }

  /**
   * A campaign design's composition as element fractions over the model's elements (an
   * element-space model only): what a measured experiment teaches the model.
   */
  public double[] elementFractions(double[] design) {
    if (mixture == null) {
      throw new IllegalStateException("model " + card.version() + " is not an element-space model");
    }
    java.util.Map<String, Double> composition = mixture.composition(design);
    double[] f = new double[card.dimension()];
    for (int k = 0; k < f.length; k++) {
      f[k] = composition.getOrDefault(card.elements().get(k), 0.0);
    }
    return f;
  }

  private double denoisingMseOfEncoded(List<double[]> encoded, List<double[]> conditions, long seed) {
    int n = encoded.size();
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
      double[] z = encoded.get(i);
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
