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
    this.card = ModelCard.load(modelDir.resolve("model-card.json"));
    List<String> expected = space.names();
    List<String> generated = new java.util.ArrayList<>(card.precursors());
    card.process().forEach(r -> generated.add(r.name()));
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

  /** n raw samples in natural units, reproducible for a seed. */
  public double[][] sample(double[] conditions, int n, long seed) {
    if (conditions.length != card.condMean().length) {
      throw new IllegalArgumentException("conditions: expected " + card.condMean().length
          + " values " + card.conditions() + ", got " + conditions.length);
    }
    return sampler.sample(conditions, n, guidance, steps, new SplittableRandom(seed));
  }

  @Override
  public void close() {
    denoiser.close();
  }
}
