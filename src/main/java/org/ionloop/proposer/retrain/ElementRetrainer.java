package org.ionloop.proposer.retrain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.DiffusionProposer;

/**
 * Fine-tunes the element-space proposer (trained on measured electrolytes) on a campaign's own
 * measurements, and decides whether the new model may replace the current one — the same path
 * as {@link Retrainer}, with real data only: the training table is the model's own (its card's
 * {@code training.base_data}, OBELiX and the Liverpool ionics table) plus the lab's rows, each
 * precursor mixture turned into element fractions and each cell temperature a row (σ at T),
 * repeated up to {@code weight} times (fewer once the lab's rows would outnumber the table's).
 * No simulator row is ever added.
 *
 * <p>Held out, never trained on: the table's own test split (uncensored rows) and every fifth
 * measured experiment. The candidate must load, sample, and denoise both sets no worse than the
 * current model beyond the tolerance; the lab's set decides only once it has rows.
 */
public final class ElementRetrainer {
  /** The table's fixed columns before the element fractions (models/training/prepare_real_data.py). */
  static final List<String> FIXED = List.of("split", "sources", "family", "formula", "temperature_c",
      "log10_sigma", "censored", "n");
  private static final long LOSS_SEED = 20_261_202L;

  private final Retrainer.Settings settings;

  public ElementRetrainer(Retrainer.Settings settings) {
    this.settings = settings;
  }

  /** The held-out rows of one set: element fractions and the model's conditions (log10 σ, 1000/T). */
  record HeldOut(List<double[]> fractions, List<double[]> conditions) {
    HeldOut() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void add(double[] f, double log10Sigma, double temperatureC) {
      fractions.add(f);
      conditions.add(new double[] {log10Sigma, 1000 / (temperatureC + 273.15)});
    }

    int size() {
      return fractions.size();
    }
  }

  /** The training file and the two held-out sets. */
  record Split(Path train, int trainingRows, int labRows, HeldOut real, HeldOut lab) {}

  /**
   * @param current  the element-space model in use (the baseline the candidate must match)
   * @param measured the campaign's measurements so far (designs in the campaign's order)
   */
  public Retrainer.Outcome retrain(DiffusionProposer current, DesignSpace space, double guidance, int steps,
      List<MeasuredRow> measured, Path workDir, String version, long seed, Consumer<String> progress) {
    long start = System.nanoTime();
    Path dir = workDir.resolve(version);
    Split split = null;
    try {
      Files.createDirectories(dir);
      split = writeTrainingSet(current, measured, dir);
      Path modelDir = dir.resolve("model");
      List<String> extra = List.of("--base-data", settings.baseData().toAbsolutePath().toString(),
          "--samples", "100");
      String failure = Retrainer.runTrainer(settings, split.train(), modelDir, version, seed, current.modelDir(),
          extra, dir.resolve("train.log"), progress);
      if (failure != null) {
        return rejected(version, failure, split, dir, start);
      }
      DiffusionProposer candidate;
      try {
        candidate = new DiffusionProposer(modelDir, space, guidance, steps);
      } catch (RuntimeException e) {
        return rejected(version, "the new model does not load: " + e.getMessage(), split, dir, start);
      }
      if (!samplesFinite(candidate, seed)) {
        candidate.close();
        return rejected(version, "the new model samples non-finite values", split, dir, start);
      }
      double realBefore = current.denoisingMseOfFractions(split.real().fractions(), split.real().conditions(), LOSS_SEED);
      double realAfter = candidate.denoisingMseOfFractions(split.real().fractions(), split.real().conditions(), LOSS_SEED);
      boolean accepted = realAfter <= realBefore * (1 + settings.tolerance());
      String lab = "no lab rows held out yet";
      if (split.lab().size() > 0) {
        double labBefore = current.denoisingMseOfFractions(split.lab().fractions(), split.lab().conditions(), LOSS_SEED);
        double labAfter = candidate.denoisingMseOfFractions(split.lab().fractions(), split.lab().conditions(), LOSS_SEED);
        accepted &= labAfter <= labBefore * (1 + settings.tolerance());
        lab = String.format(Locale.ROOT, "the lab's held-out rows (%d) %.4f → %.4f", split.lab().size(), labBefore,
            labAfter);
      }
      String reason = String.format(Locale.ROOT, "held-out denoising loss: real test split (%d rows) %.4f → %.4f, %s"
          + " (%s; tolerance %.0f%%)", split.real().size(), realBefore, realAfter, lab,
          accepted ? "accepted" : "worse: rejected, the current model stays", 100 * settings.tolerance());
      if (!accepted) {
        candidate.close();
      }
      return new Retrainer.Outcome(version, accepted, reason, accepted ? candidate : null, realBefore, realAfter,
          split.trainingRows(), split.real().size() + split.lab().size(), dir,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException | IllegalArgumentException e) {
      return new Retrainer.Outcome(version, false, "cannot prepare the training data: " + e.getMessage(), null,
          Double.NaN, Double.NaN, 0, 0, dir, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private static boolean samplesFinite(DiffusionProposer candidate, long seed) {
    for (double[] x : candidate.sample(new double[] {-3, 25, 0}, 64, seed)) {
      if (x != null && !Arrays.stream(x).allMatch(Double::isFinite)) {
        return false;
      }
    }
    return true;
  }

  private Retrainer.Outcome rejected(String version, String reason, Split split, Path dir, long start) {
    return new Retrainer.Outcome(version, false, reason, null, Double.NaN, Double.NaN, split.trainingRows(),
        split.real().size() + split.lab().size(), dir, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The model's table as it is (its attribution comments included) plus the lab's rows; the
   * table's test rows and every fifth experiment's rows held out.
   */
  Split writeTrainingSet(DiffusionProposer current, List<MeasuredRow> measured, Path dir) throws IOException {
    if (settings.baseData() == null) {
      throw new IOException("no base data: model " + current.version() + " names none (training.base_data)");
    }
    List<String> lines = Files.readAllLines(settings.baseData(), StandardCharsets.UTF_8);
    StringBuilder csv = new StringBuilder();
    int header = -1;
    for (int i = 0; i < lines.size() && header < 0; i++) {
      csv.append(lines.get(i)).append('\n');
      if (!lines.get(i).startsWith("#")) {
        header = i;
      }
    }
    if (header < 0) {
      throw new IOException(settings.baseData() + ": no header");
    }
    List<String> columns = List.of(lines.get(header).split(",", -1));
    List<String> elements = current.card().elements();
    if (!columns.subList(0, Math.min(FIXED.size(), columns.size())).equals(FIXED)
        || !columns.subList(FIXED.size(), columns.size()).equals(elements)) {
      throw new IOException(settings.baseData() + ": its columns are not " + FIXED + " and model "
          + current.version() + "'s elements");
    }
    HeldOut real = new HeldOut();
    int rows = 0;
    for (String line : lines.subList(header + 1, lines.size())) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] v = line.split(",", -1);
      if (v.length != columns.size()) {
        throw new IOException(settings.baseData() + ": a row of " + v.length + " values under " + columns.size()
            + " columns: " + line);
      }
      csv.append(line).append('\n');
      if (v[0].equals("train")) {
        rows++;
      } else if (v[0].equals("test") && v[6].equals("0")) {
        double[] f = new double[elements.size()];
        for (int k = 0; k < f.length; k++) {
          f[k] = Double.parseDouble(v[FIXED.size() + k]);
        }
        real.add(f, Double.parseDouble(v[5]), Double.parseDouble(v[4]));
      }
    }
    HeldOut lab = new HeldOut();
    List<String> experiments = measured.stream().map(MeasuredRow::experimentId).distinct().toList();
    // A few results count several times so they are not drowned by a thousand published rows;
    // never so often that the lab's rows outnumber the table's, or the model forgets the rest
    // of chemistry (seen: 100 results at weight 10 raised the real test loss by 16 %).
    long trainedLab = measured.stream().filter(m -> experiments.indexOf(m.experimentId()) % 5 != 4).count();
    int repeats = (int) Math.max(1, Math.min(settings.weight(), rows / Math.max(1, trainedLab)));
    int labRows = 0;
    for (MeasuredRow m : measured) {
      if (!Double.isFinite(m.log10Sigma()) || !Double.isFinite(m.temperatureC())) {
        continue; // a failed fit teaches nothing
      }
      double[] f = current.elementFractions(m.design());
      if (experiments.indexOf(m.experimentId()) % 5 == 4) {
        lab.add(f, m.log10Sigma(), m.temperatureC());
        continue;
      }
      // Split "train" so the trainer learns from it; sources say where it came from; never test.
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "train,lab:%s,lab,,%.2f,%.5f,0,1",
          m.experimentId().replace(',', ' '), m.temperatureC(), m.log10Sigma()));
      for (double x : f) {
        row.append(String.format(Locale.ROOT, ",%.6f", x));
      }
      for (int w = 0; w < repeats; w++) {
        csv.append(row).append('\n');
        rows++;
        labRows++;
      }
    }
    Path train = dir.resolve("train.csv");
    Files.writeString(train, csv, StandardCharsets.UTF_8);
    return new Split(train, rows, labRows, real, lab);
  }
}
