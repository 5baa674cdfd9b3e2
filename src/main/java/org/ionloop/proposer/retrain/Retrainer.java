package org.ionloop.proposer.retrain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.DiffusionProposer;

/**
 * Retrains the diffusion proposer on the base set plus a campaign's own measurements, with the
 * PyTorch trainer as a subprocess, and decides whether the new model may replace the current
 * one: it must load, sample finite points, and denoise held-out rows (every fifth measured
 * experiment plus a slice of the base set, never trained on) no worse than the current model
 * beyond a tolerance. A model that fails any of this is rejected and the current one stays.
 *
 * <p>The lab measures conductivity, not thermodynamic stability: a measured row takes the
 * energy above hull of the nearest base-set composition. Measured rows are repeated
 * {@code weight} times so a few dozen results are not drowned by thousands of base rows.
 */
public final class Retrainer {
  /** The training table's columns: the design, then the conditions and what was measured. */
  public static final String HEADER =
      "Li2S,P2S5,LiCl,LiBr,anneal_c,temperature_c,log10_sigma,ea_ev,e_hull_mev";

  /**
   * @param command   trainer command before its arguments (default: Debian's python3 and the
   *                  repository's trainer)
   * @param epochs    training epochs
   * @param baseData  the data the model was trained on, which every retraining keeps training on
   *                  (the file its card names as {@code training.base_data}); null until the
   *                  campaign's host sets it from the model
   * @param weight    how often each measured row is repeated in the training set
   * @param tolerance accepted relative increase of the held-out loss
   * @param timeout   the trainer is stopped after this
   */
  public record Settings(List<String> command, int epochs, Path baseData, int weight,
      double tolerance, Duration timeout) {
    public static final Settings DEFAULT = new Settings(
        List.of("/usr/bin/python3", "models/training/train_diffusion.py"), 40, null, 10, 0.10,
        Duration.ofMinutes(30));

    public Settings withEpochs(int e) {
      return new Settings(command, e, baseData, weight, tolerance, timeout);
    }

    /** With the base data of {@code model} (its card's {@code training.base_data}). */
    public Settings withBaseDataOf(DiffusionProposer model) {
      String file = model.card().baseData();
      if (file == null) {
        throw new IllegalArgumentException("model " + model.version() + " names no base data"
            + " (training.base_data in its card): retraining needs the data it was trained on");
      }
      return new Settings(command, epochs, model.modelDir().resolve(file), weight, tolerance, timeout);
    }

    public Settings withCommand(List<String> c) {
      return new Settings(c, epochs, baseData, weight, tolerance, timeout);
    }
  }

  /**
   * What came of a retraining.
   *
   * @param model the new model when accepted (the caller owns it), else null
   */
  public record Outcome(String version, boolean accepted, String reason, DiffusionProposer model,
      double currentLoss, double candidateLoss, int trainingRows, int heldOutRows, Path directory,
      Duration took) {}

  private static final int BASE_HELD_OUT = 300;
  private static final long LOSS_SEED = 20_261_124L;

  private final Settings settings;

  public Retrainer(Settings settings) {
    this.settings = settings;
  }

  /**
   * @param current  the model in use (the baseline the candidate must match)
   * @param measured the campaign's measurements so far
   * @param workDir  where the data, the log and the model go (a folder per version)
   * @param progress receives the trainer's output lines
   */
  public Outcome retrain(DiffusionProposer current, DesignSpace space, double guidance, int steps,
      List<MeasuredRow> measured, Path workDir, String version, long seed,
      Consumer<String> progress) {
    long start = System.nanoTime();
    Path dir = workDir.resolve(version);
    try {
      Files.createDirectories(dir);
      Split split = writeTrainingSet(measured, dir, seed);
      Path modelDir = dir.resolve("model");
      // Fine-tune the current model when its PyTorch weights are at hand: a few epochs on the
      // campaign's results then keep what it learnt from the whole base set.
      Path init = Files.exists(current.modelDir().resolve("diffusion.pt")) ? current.modelDir() : null;
      String failure = runTrainer(settings, split.train(), modelDir, version, seed, init, List.of(),
          dir.resolve("train.log"), progress);
      if (failure != null) {
        return rejected(version, failure, split, dir, start);
      }
      DiffusionProposer candidate;
      try {
        candidate = new DiffusionProposer(modelDir, space, guidance, steps);
      } catch (RuntimeException e) {
        return rejected(version, "the new model does not load: " + e.getMessage(), split, dir, start);
      }
      double[][] samples = candidate.sample(new double[] {-2, 25, 0}, 64, seed);
      for (double[] x : samples) {
        for (double v : x) {
          if (!Double.isFinite(v)) {
            candidate.close();
            return rejected(version, "the new model samples non-finite values", split, dir, start);
          }
        }
      }
      double before = current.denoisingMse(split.heldOutDesigns(), split.heldOutConditions(), LOSS_SEED);
      double after = candidate.denoisingMse(split.heldOutDesigns(), split.heldOutConditions(), LOSS_SEED);
      boolean accepted = after <= before * (1 + settings.tolerance());
      String reason = String.format(Locale.ROOT, "held-out denoising loss %.4f → %.4f (%s; %s)",
          before, after, accepted ? "accepted" : "worse: rejected, the current model stays",
          Double.isFinite(100 * settings.tolerance())
              ? String.format(Locale.ROOT, "tolerance %.0f%%", 100 * settings.tolerance())
              : "no tolerance: any loss is accepted");
      if (!accepted) {
        candidate.close();
      }
      return new Outcome(version, accepted, reason, accepted ? candidate : null, before, after,
          split.trainingRows(), split.heldOutDesigns().size(), dir,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      return new Outcome(version, false, "cannot prepare the training data: " + e.getMessage(), null,
          Double.NaN, Double.NaN, 0, 0, dir, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Outcome rejected(String version, String reason, Split split, Path dir, long start) {
    return new Outcome(version, false, reason, null, Double.NaN, Double.NaN, split.trainingRows(),
        split.heldOutDesigns().size(), dir, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Runs the installation's trainer on {@code train}, writing a model to {@code out}; its
   * failure in words, or null when it wrote a model.
   *
   * @param init  a model folder to fine-tune, or null to train afresh
   * @param extra further arguments of the trainer (made here, never from a campaign file)
   */
  static String runTrainer(Settings settings, Path train, Path out, String version, long seed, Path init,
      List<String> extra, Path log, Consumer<String> progress) throws IOException {
    List<String> cmd = new ArrayList<>(settings.command());
    cmd.addAll(List.of("--data", train.toString(), "--out-dir", out.toString(), "--epochs",
        String.valueOf(settings.epochs()), "--seed", String.valueOf(seed), "--version", version));
    if (init != null) {
      cmd.addAll(List.of("--init-from", init.toString()));
    }
    cmd.addAll(extra);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      return "cannot run the trainer (" + cmd.get(0) + "): " + e.getMessage()
          + " — retraining needs PyTorch from Debian: apt-get install python3-torch";
    }
    try {
      if (!p.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return "the trainer did not finish within " + settings.timeout();
      }
    } catch (InterruptedException e) {
      // Wait for the trainer to be gone (the interrupt flag is clear here, so this wait works):
      // a cancelled round must not go on writing into its folder.
      try {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException again) {
        // interrupted twice: leave now
      }
      Thread.currentThread().interrupt();
      return "interrupted while training";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    lines.forEach(progress);
    if (p.exitValue() != 0) {
      String text = String.join("\n", lines);
      if (text.contains("No module named 'torch'")) {
        return cmd.get(0) + " has no PyTorch — retraining needs Debian's python3-torch: apt-get install python3-torch";
      }
      List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
      return "the trainer exited with " + p.exitValue() + ": " + String.join(" | ", tail);
    }
    if (!Files.exists(out.resolve("model-card.json"))) {
      return "the trainer wrote no model card in " + out;
    }
    return null;
  }

  /** Training file, held-out rows and counts. */
  private record Split(Path train, List<double[]> heldOutDesigns, List<double[]> heldOutConditions,
      int trainingRows) {}

  private Split writeTrainingSet(List<MeasuredRow> measured, Path dir, long seed) throws IOException {
    // The model's own base data, as its card names it: never rows made up here.
    if (settings.baseData() == null) {
      throw new IOException("no base data: the campaign's model names none (training.base_data)");
    }
    List<String> baseLines = Files.readAllLines(settings.baseData(), StandardCharsets.UTF_8);
    if (baseLines.isEmpty() || !baseLines.get(0).equals(HEADER)) {
      throw new IOException(settings.baseData() + " does not start with the header " + HEADER);
    }
    List<double[]> baseRows = baseLines.subList(1, baseLines.size()).stream()
        .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
        .toList();
    // The first rows are held out: the literature rows at the end always train.
    int heldOutBase = Math.min(BASE_HELD_OUT, baseRows.size() / 2);
    List<double[]> designs = new ArrayList<>();
    List<double[]> conditions = new ArrayList<>();
    for (double[] r : baseRows.subList(0, heldOutBase)) {
      designs.add(new double[] {r[0], r[1], r[2], r[3], r[4]});
      conditions.add(new double[] {r[6], r[5], r[8]});
    }
    List<String> experiments = measured.stream().map(MeasuredRow::experimentId).distinct().toList();
    Path train = dir.resolve("train.csv");
    int rows = 0;
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (double[] r : baseRows.subList(heldOutBase, baseRows.size())) {
      csv.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.2f,%.2f,%.5f,%.5f,%.3f%n",
          r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]));
      rows++;
    }
    for (MeasuredRow m : measured) {
      double eHull = nearestHull(m.design(), baseRows);
      boolean heldOut = experiments.indexOf(m.experimentId()) % 5 == 4;
      if (heldOut) {
        designs.add(m.design().clone());
        conditions.add(new double[] {m.log10Sigma(), m.temperatureC(), eHull});
        continue;
      }
      String line = String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.2f,%.2f,%.5f,%.5f,%.3f%n",
          m.design()[0], m.design()[1], m.design()[2], m.design()[3], m.design()[4],
          m.temperatureC(), m.log10Sigma(), m.eaEv(), eHull);
      for (int w = 0; w < settings.weight(); w++) {
        csv.append(line);
        rows++;
      }
    }
    Files.writeString(train, csv, StandardCharsets.UTF_8);
    return new Split(train, designs, conditions, rows);
  }

  /** Energy above hull of the base composition nearest to {@code design} (fractions, anneal). */
  private static double nearestHull(double[] design, List<double[]> base) {
    double best = Double.POSITIVE_INFINITY;
    double hull = 0;
    for (double[] r : base) {
      double d = 0;
      for (int i = 0; i < 4; i++) {
        d += (design[i] - r[i]) * (design[i] - r[i]);
      }
      double a = (design[4] - r[4]) / 350;
      d += a * a;
      if (d < best) {
        best = d;
        hull = r[8];
      }
    }
    return hull;
  }
}
