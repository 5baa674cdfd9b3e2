package org.ionloop.proposer.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * The machine-readable model card written by {@code models/training/train_diffusion.py} (a model
 * of one campaign's design vector: precursor fractions through the ilr, process settings) or by
 * {@code train_element_diffusion.py} ({@code space: elements}: a model of element fractions that
 * serves any campaign whose precursors' elements it knows): what the ONNX denoiser expects
 * (layout, normalisation, noise schedule) and where it came from (hashes, metrics).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(
    String version,
    String file,
    String sha256,
    List<String> precursors,
    List<ProcessRange> process,
    @JsonProperty("fraction_floor") double fractionFloor,
    @JsonProperty("ilr_basis") double[][] ilrBasis,
    @JsonProperty("x_mean") double[] xMean,
    @JsonProperty("x_std") double[] xStd,
    List<String> conditions,
    @JsonProperty("cond_mean") double[] condMean,
    @JsonProperty("cond_std") double[] condStd,
    Schedule schedule,
    Map<String, Object> training,
    Map<String, Object> metrics,
    String space,
    List<String> elements,
    Encoding encoding) {

  /** Element space: how element fractions f are encoded, x = (√f − mean) / scale. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Encoding(String kind, double[] mean, double scale, double sparsity) {}

  /** Whether the model generates element fractions rather than a campaign's design vector. */
  public boolean elementSpace() {
    return "elements".equals(space);
  }

  /**
   * The data the model was trained on, as a file beside the card ({@code training.base_data}),
   * which retraining keeps training on; null when the card names none.
   */
  public String baseData() {
    Object file = training == null ? null : training.get("base_data");
    return file == null ? null : file.toString();
  }

  /** A process setting the model generates, with the range it was trained on. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProcessRange(String name, double min, double max) {}

  /** Noise schedule: {@code kind} "cosine" (Nichol &amp; Dhariwal 2021) with T steps and offset s. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Schedule(String kind, int steps, double s) {}

  /** Reads a card; errors name the file. */
  public static ModelCard load(Path file) {
    try {
      ModelCard c = new ObjectMapper().readValue(file.toFile(), ModelCard.class);
      if (c.elementSpace()) {
        if (c.elements() == null || c.encoding() == null || c.schedule() == null || c.condMean() == null
            || c.encoding().mean() == null || c.encoding().mean().length != c.elements().size()
            || !"sqrt-fraction".equals(c.encoding().kind())) {
          throw new IonloopException(ErrorCode.MODEL, file + ": an element-space model card needs elements,"
              + " a sqrt-fraction encoding with one mean per element, cond_mean and schedule");
        }
      } else if (c.precursors() == null || c.ilrBasis() == null || c.schedule() == null) {
        throw new IonloopException(ErrorCode.MODEL, file + ": model card lacks precursors, "
            + "ilr_basis or schedule");
      }
      return c;
    } catch (IOException e) {
      throw new IonloopException(ErrorCode.MODEL, file + ": cannot read model card: "
          + e.getMessage(), e);
    }
  }

  /** The design variables the model generates, in order: its precursors, then its process settings. */
  public List<String> generates() {
    if (elementSpace()) {
      return elements;
    }
    List<String> names = new java.util.ArrayList<>(precursors);
    process.forEach(r -> names.add(r.name()));
    return names;
  }

  /** Dimension of the design vector the model works in: ilr coordinates + process settings. */
  public int dimension() {
    if (elementSpace()) {
      return elements.size();
    }
    return precursors.size() - 1 + process.size();
  }

  /** ᾱ_t for t = 1..T of the cosine schedule, clipped below at 1e-5 as in training. */
  public double[] alphasCumprod() {
    int n = schedule.steps();
    double[] a = new double[n];
    double f0 = Math.pow(Math.cos(schedule.s() / (1 + schedule.s()) * Math.PI / 2), 2);
    for (int t = 1; t <= n; t++) {
      double ft = Math.pow(Math.cos(((double) t / n + schedule.s()) / (1 + schedule.s()) * Math.PI / 2), 2);
      a[t - 1] = Math.min(1, Math.max(1e-5, ft / f0));
    }
    return a;
  }
}
