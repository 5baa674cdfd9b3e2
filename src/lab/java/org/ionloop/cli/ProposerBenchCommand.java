package org.ionloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.proposer.DiffusionProposer;
import org.ionloop.proposer.bench.ProposerBench;
import org.ionloop.proposer.retrain.MeasuredRow;
import org.ionloop.proposer.retrain.Retrainer;
import org.ionloop.sim.MaterialModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ionloop bench proposer}: quality, throughput and retraining of the diffusion proposer. */
@Command(name = "proposer", mixinStandardHelpOptions = true, description = "Validity, uniqueness, "
    + "novelty and conditional hit rate (guided vs unconditional) against the virtual lab's truth; "
    + "throughput next to PyTorch eager; hit rate before and after retraining on a campaign's first results.")
final class ProposerBenchCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "${sys:ionloop.home:-.}/models/proposer", description = "Model folder (default ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--real", description = "Instead: the real-data model (models/proposer-sse unless --model names"
      + " another element-space model) on OBELiX's held-out test split: hit rates of conditional and unconditional"
      + " samples and of a retrieval baseline, novel hits, uniqueness, and the forward model's verdict.")
  boolean real;

  @Option(names = "--table", defaultValue = "${sys:ionloop.home:-.}/models/training/sse-real.csv",
      description = "With --real: the measured conductivities (default ${DEFAULT-VALUE}).")
  Path table;

  @Option(names = "--real-targets", split = ",", defaultValue = "-7,-5,-3,-2.5", description = "With --real: target"
      + " log10 σ at 25 °C (default ${DEFAULT-VALUE}).")
  double[] realTargets;

  @Option(names = "--family-model", description = "With --real: a model trained without one family (see"
      + " --family), to count its samples that land next to that family's real members.")
  Path familyModel;

  @Option(names = "--family", defaultValue = "argyrodite", description = "With --family-model: the held-out family"
      + " (a pattern of the table's family column; default ${DEFAULT-VALUE}).")
  String family;

  @Option(names = "--family-elements", split = ",", defaultValue = "Li,P,S,Cl", description = "With --family-model:"
      + " the elements the samples may use (default ${DEFAULT-VALUE}).")
  List<String> familyElements;

  @Option(names = "--no-oracle", description = "With --real: skip scoring samples by the forward model (fitted on"
      + " every third train row).")
  boolean noOracle;

  @Option(names = "--campaign", defaultValue = "${sys:ionloop.home:-.}/campaigns/demo.yaml", description = "Campaign whose design space and target are used (default ${DEFAULT-VALUE}).")
  Path campaign;

  @Option(names = "--targets", split = ",", defaultValue = "-2.0,-2.5,-3.0,-4.0", description = "Target log10 σ25 (S/cm) values (default ${DEFAULT-VALUE}).")
  List<Double> targets;

  @Option(names = "--n", defaultValue = "1024", description = "Samples per target and for throughput (default ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--steps", defaultValue = "50", description = "DDIM steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--guidance", defaultValue = "0.0", description = "Classifier-free guidance weight w (0: the conditional model alone; default ${DEFAULT-VALUE}).")
  double guidance;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with PyTorch for the eager comparison and retraining (default ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--retrain-results", defaultValue = "48", description = "Campaign results to retrain on (0 skips; default ${DEFAULT-VALUE}).")
  int retrainResults;

  @Option(names = "--retrain-epochs", defaultValue = "40", description = "Epochs of that retraining (default ${DEFAULT-VALUE}).")
  int retrainEpochs;

  @Option(names = "--surrogate-weights", split = ",", defaultValue = "0,0.5,1,2",
      description = "Surrogate guidance weights to compare (default ${DEFAULT-VALUE}; empty skips).")
  List<Double> surrogateWeights;

  @Option(names = "--surrogate-measured", defaultValue = "24",
      description = "Measured results the planner's GPs are fitted on for that comparison (default ${DEFAULT-VALUE}).")
  int surrogateMeasured;

  @Option(names = "--out", defaultValue = "${sys:ionloop.home:-.}/target/bench-proposer.json", description = "JSON report (default ${DEFAULT-VALUE}).")
  Path out;

  @picocli.CommandLine.Mixin
  BenchOutput output;

  @Override
  public Integer call() throws Exception {
    return output.run(this::measure);
  }

  private Integer measure() throws Exception {
    if (real) {
      return realBench();
    }
    CampaignSpec spec = CampaignSpec.load(campaign);
    DesignSpace space = spec.space();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("bench", "proposer");
    report.put("model", model.toString());
    report.put("samples", n);
    report.put("ddim_steps", steps);
    report.put("guidance", guidance);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    ProposerBench bench = new ProposerBench(space, 20_000);
    List<Map<String, Object>> quality = new ArrayList<>();
    try (var guided = new DiffusionProposer(model, space, guidance, steps);
         var unconditional = new DiffusionProposer(model, space, -1, steps)) {
      System.out.printf("proposer %s: %d samples per target, %d DDIM steps, guidance %.1f vs unconditional%n",
          guided.version(), n, steps, guidance);
      for (double target : targets) {
        double hull = bench.typicalHull(target);
        var g = bench.qualityAtConductivity(guided, target, n, 11);
        var atHull = bench.quality(guided, target, hull, guidance, n, steps, 11);
        var u = bench.quality(unconditional, target, hull, -1, n, steps, 11);
        System.out.printf(Locale.ROOT, "  target log10 σ25 %5.2f: hit rate conditioned %5.1f %% vs unconditional %5.1f %% (%.1f×),"
            + " among samples inside the design space %5.1f %% vs %5.1f %% (%.1f×);"
            + " validity %.1f %%, uniqueness %.1f %%, novelty %.1f %%, median true log10 σ25 %.2f;"
            + " at the single median E_hull %.0f meV/atom: %.1f %%%n",
            target, 100 * g.hitRate(), 100 * u.hitRate(), ratio(g.hitRate(), u.hitRate()),
            100 * g.hitRateInSpace(), 100 * u.hitRateInSpace(), ratio(g.hitRateInSpace(), u.hitRateInSpace()),
            100 * g.validity(), 100 * g.uniqueness(), 100 * g.novelty(), g.medianTrueLog10Sigma25(), hull,
            100 * atHull.hitRate());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target_log10_sigma25", target);
        row.put("conditioning", "σ25 = target at 25 °C, E_hull drawn per sample from the training materials"
            + " inside the design space with σ25 within ±0.3 of the target");
        row.put("guided", g);
        row.put("unconditional", u);
        row.put("median_e_hull_mev_per_atom", hull);
        row.put("guided_at_median_e_hull", atHull);
        quality.add(row);
      }
      report.put("quality", quality);
      double java = ProposerBench.throughput(guided, n, 3, System.out);
      Map<String, Object> speed = new LinkedHashMap<>();
      speed.put("onnxruntime_djl_candidates_per_s", java);
      String eager = eagerThroughput();
      System.out.printf(Locale.ROOT, "  throughput (batch %d, %d steps): ONNX Runtime via DJL %.0f candidates/s%n", n, steps, java);
      if (eager != null) {
        var node = new ObjectMapper().readTree(eager);
        double e = node.path("candidates_per_s").asDouble();
        speed.put("pytorch_eager", node);
        speed.put("speedup", java / e);
        System.out.printf(Locale.ROOT, "  PyTorch eager (torch %s, %d threads) %.0f candidates/s: ONNX Runtime is %.2f× faster%n",
            node.path("torch").asText(), node.path("threads").asInt(), e, java / e);
      }
      report.put("throughput", speed);
      if (!surrogateWeights.isEmpty()) {
        System.out.printf("  surrogate guidance: GPs fitted on %d designs proposed at the campaign's conditions and measured"
            + " on the lab's truth; %d samples per weight%n", surrogateMeasured, n);
        var effects = bench.surrogateGuidance(guided, spec.conditions(), surrogateMeasured,
            surrogateWeights.stream().mapToDouble(Double::doubleValue).toArray(), n, 17);
        for (var e : effects) {
          System.out.printf(Locale.ROOT, "    weight %.1f: mean score %.4f; truly enlarge the front %.1f %%, mean true HV gain %.4f,"
              + " top-4 by score %.4f; hit rate %.1f %%, validity %.1f %%%n", e.weight(), e.meanScore(),
              100 * e.improvingShare(), e.meanTrueGain(), e.topTrueGain(), 100 * e.hitRate(), 100 * e.validity());
        }
        report.put("surrogate_guidance", effects);
      }
      if (retrainResults > 0) {
        report.put("retraining", retraining(spec, guided, bench));
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    System.out.println("JSON report: " + out);
    output.report(report);
    return 0;
  }

  private static double ratio(double a, double b) {
    return b > 0 ? a / b : Double.POSITIVE_INFINITY;
  }

  /** PyTorch eager's candidates/s line, or null (with the reason printed) when it cannot run. */
  private String eagerThroughput() {
    try {
      Process p = new ProcessBuilder(python, "models/training/bench_eager.py", "--model-dir", model.toString(),
          "--batch", String.valueOf(n), "--steps", String.valueOf(steps), "--guidance", String.valueOf(guidance))
          .redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor() != 0) {
        System.out.println("  PyTorch eager comparison skipped: " + text.lines().reduce((a, b) -> b).orElse(""));
        return null;
      }
      return text.lines().reduce((a, b) -> b).orElseThrow();
    } catch (Exception e) {
      System.out.println("  PyTorch eager comparison skipped: " + e.getMessage());
      return null;
    }
  }

  /**
   * A campaign's first results, stood in for by the virtual lab: the first {@code retrainResults}
   * proposals at the campaign's target, measured by the lab's truth (with its synthesis scatter)
   * at four cell temperatures; retrained on them, the hit rate at the campaign's targets before
   * and after.
   */
  private Map<String, Object> retraining(CampaignSpec spec, DiffusionProposer current, ProposerBench bench)
      throws Exception {
    DesignSpace space = spec.space();
    MaterialModel truth = new MaterialModel();
    SplittableRandom rng = new SplittableRandom(5);
    double[][] proposals = current.sample(spec.conditions(), retrainResults, 3);
    List<MeasuredRow> rows = new ArrayList<>();
    for (int i = 0; i < proposals.length; i++) {
      double[] x = space.project(proposals[i]);
      Map<String, Double> fr = new LinkedHashMap<>();
      for (int k = 0; k < space.precursorCount(); k++) {
        fr.put(space.names().get(k), x[k]);
      }
      var t = truth.synthesise(fr, x[space.precursorCount()], rng);
      for (double temp : new double[] {25, 50, 75, 100}) {
        rows.add(new MeasuredRow("e" + i, x, temp, Math.log10(t.sigmaAt(temp)), t.eaEv()));
      }
    }
    Path work = Files.createTempDirectory("ionloop-bench-retrain");
    var settings = Retrainer.Settings.DEFAULT.withEpochs(retrainEpochs)
        .withCommand(List.of(python, "models/training/train_diffusion.py"));
    // The bench measures what retraining does, so it keeps the model whatever the validation says.
    settings = new Retrainer.Settings(settings.command(), settings.epochs(), null,
        settings.weight(), Double.MAX_VALUE, Duration.ofMinutes(30)).withBaseDataOf(current);
    System.out.printf("  retraining on %d results (%d rows, %d epochs)…%n", retrainResults, rows.size(), retrainEpochs);
    var outcome = new Retrainer(settings).retrain(current, space, guidance, steps, rows, work,
        current.version() + "-bench", 5, line -> { });
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("results", retrainResults);
    r.put("reason", outcome.reason());
    r.put("seconds", outcome.took().toMillis() / 1000.0);
    if (outcome.model() == null) {
      System.out.println("  retraining failed: " + outcome.reason());
      return r;
    }
    List<Map<String, Object>> perTarget = new ArrayList<>();
    double campaignTarget = spec.conditions()[0];
    try (DiffusionProposer after = outcome.model()) {
      for (double target : new double[] {campaignTarget, campaignTarget - 0.5}) {
        var before = bench.quality(current, target, spec.conditions()[2], guidance, n, steps, 13);
        var now = bench.quality(after, target, spec.conditions()[2], guidance, n, steps, 13);
        System.out.printf(Locale.ROOT, "  after retraining on %d results (%.0f s; %s): hit rate at log10 σ25 %.2f: %.1f %% → %.1f %%"
            + " (median true log10 σ25 %.2f → %.2f)%n", retrainResults, outcome.took().toMillis() / 1000.0,
            outcome.reason(), target, 100 * before.hitRate(), 100 * now.hitRate(),
            before.medianTrueLog10Sigma25(), now.medianTrueLog10Sigma25());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target_log10_sigma25", target);
        row.put("before", before);
        row.put("after", now);
        perTarget.add(row);
      }
    }
    r.put("targets", perTarget);
    return r;
  }

  /** {@code --real}: the real-data proposer on held-out real materials. */
  private Integer realBench() throws Exception {
    Path dir = model.getFileName().toString().equals("proposer") ? model.resolveSibling("proposer-sse") : model;
    var rows = org.ionloop.proposer.forward.MeasuredConductivities.read(table);
    org.ionloop.proposer.forward.ConductivityModel forward = null;
    if (!noOracle) {
      var train = rows.stream().filter(r -> r.split().equals("train")).toList();
      forward = org.ionloop.proposer.forward.ConductivityModel.fit(java.util.stream.IntStream.range(0, train.size())
          .filter(i -> i % 3 == 0).mapToObj(train::get).toList(), 1);
    }
    double w = guidance == 0 ? 2 : guidance;
    System.out.printf("bench proposer --real: %s, %d samples per target at 25 °C, guidance %.1f, %d DDIM steps;"
        + " hit = nearest OBELiX test composition within TV %.2f measured within ±0.5 decades%n", dir, n, w,
        steps, org.ionloop.proposer.bench.RealHitRateBench.RADIUS);
    long t0 = System.nanoTime();
    var results = org.ionloop.proposer.bench.RealHitRateBench.run(dir, rows, realTargets, n, w, steps, forward, 1);
    System.out.printf("%8s %10s %12s %10s %12s %8s %12s %14s%n", "target", "cond. hit", "uncond. hit", "retrieval",
        "novel hit", "unique", "oracle cond.", "oracle uncond.");
    StringBuilder json = new StringBuilder();
    for (var r : results) {
      System.out.printf("%8.1f %10.3f %12.3f %10.3f %12.3f %8.2f %12.3f %14.3f%n", r.log10Sigma(), r.conditionalHit(),
          r.unconditionalHit(), r.retrievalHit(), r.conditionalNovelHit(), r.unique(), r.oracleHit(),
          r.unconditionalOracleHit());
      json.append(json.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "{\"target\":%.2f,"
          + "\"conditional_hit\":%.4f,\"unconditional_hit\":%.4f,\"retrieval_hit\":%.4f,\"conditional_novel_hit\":%.4f,"
          + "\"unique\":%.4f,\"oracle_conditional\":%s,\"oracle_unconditional\":%s}", r.log10Sigma(),
          r.conditionalHit(), r.unconditionalHit(), r.retrievalHit(), r.conditionalNovelHit(), r.unique(),
          jsonNumber(r.oracleHit()), jsonNumber(r.unconditionalOracleHit())));
    }
    System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
    if (familyModel != null) {
      System.out.printf("leave one family out: %s never saw '%s'; samples in %s conditioned on 1 mS/cm at 25 °C%n",
          familyModel, family, familyElements);
      for (Path m : List.of(familyModel, dir)) {
        double[] f = org.ionloop.proposer.bench.RealHitRateBench.familyHoldOut(m, rows, family, familyElements, -3, n, w,
            steps, 1);
        System.out.printf("  %-40s near a real %s with σ ≥ 0.3 mS/cm (%d of them): conditional %.3f, unconditional"
            + " %.3f%n", m.getFileName() + (m.equals(familyModel) ? " (family held out)" : " (trained with it)"), family,
            (int) f[2], f[0], f[1]);
      }
    }
    String fineTune = "";
    if (retrainResults > 0) {
      fineTune = String.format(java.util.Locale.ROOT, ",\"fine_tuning\":%s", fineTuneReal(dir));
    }
    output.line(String.format(java.util.Locale.ROOT, "{\"bench\":\"proposer-real\",\"model\":\"%s\",\"samples\":%d,\"guidance\":%.2f,\"targets\":[%s]%s}",
        dir, n, w, json, fineTune));
    return 0;
  }

  /** A number for JSON: null where there is none (NaN: e.g. no oracle with --no-oracle). */
  private static String jsonNumber(double v) {
    return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.4f", v) : "null";
  }

  /**
   * Fine-tunes the real-data model on {@code retrainResults} results of the demo's argyrodite
   * campaign (the virtual lab's material model stands in for the lab; four temperatures each),
   * as a campaign's retraining does: the time it takes and the held-out losses (JSON).
   */
  private String fineTuneReal(Path dir) throws Exception {
    CampaignSpec spec = CampaignSpec.load(campaign);
    DesignSpace space = spec.space();
    MaterialModel truth = new MaterialModel();
    SplittableRandom rng = new SplittableRandom(5);
    List<MeasuredRow> rows = new ArrayList<>();
    for (int e = 0; e < retrainResults; e++) {
      double[] x = space.sample(rng);
      Map<String, Double> fr = new LinkedHashMap<>();
      for (int k = 0; k < space.precursorCount(); k++) {
        fr.put(space.names().get(k), x[k]);
      }
      var t = truth.synthesise(fr, x[space.precursorCount()], rng);
      for (double temp : new double[] {25, 50, 75, 100}) {
        rows.add(new MeasuredRow(String.format("lab-e%03d", e), x, temp, Math.log10(t.sigmaAt(temp)), t.eaEv()));
      }
    }
    Path work = Files.createTempDirectory("ionloop-bench-fine-tune");
    try (DiffusionProposer current = new DiffusionProposer(dir, space, 2.0, steps)) {
      // The bench measures the fine-tuning, so it keeps the model whatever the validation says.
      var settings = new Retrainer.Settings(List.of(python, "models/training/train_element_diffusion.py"),
          retrainEpochs, null, 10, Double.MAX_VALUE, Duration.ofMinutes(30)).withBaseDataOf(current);
      System.out.printf("fine-tuning %s on %d lab results (%d rows, %d epochs, %d cores)…%n", current.version(),
          retrainResults, rows.size(), retrainEpochs, Runtime.getRuntime().availableProcessors());
      var o = new org.ionloop.proposer.retrain.ElementRetrainer(settings).retrain(current, space, 2.0, steps, rows,
          work, current.version() + "-bench", 5, line -> { });
      System.out.printf("  %.1f s; %s%n", o.took().toMillis() / 1000.0, o.reason());
      if (o.model() != null) {
        o.model().close();
      }
      return String.format(java.util.Locale.ROOT, "{\"results\":%d,\"rows\":%d,\"epochs\":%d,\"seconds\":%.2f,"
          + "\"training_rows\":%d,\"held_out_rows\":%d,\"real_test_loss_before\":%.5f,\"real_test_loss_after\":%.5f,"
          + "\"reason\":%s}", retrainResults, rows.size(), retrainEpochs, o.took().toMillis() / 1000.0,
          o.trainingRows(), o.heldOutRows(), o.currentLoss(), o.candidateLoss(),
          new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o.reason()));
    }
  }
}
