package org.ionloop.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ionloop.sim.TrainingDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ionloop sim …}: virtual-lab utilities. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Virtual-lab utilities.",
    subcommands = {SimCommand.TrainingData.class, SimCommand.Pool.class, SimInstrumentCommand.class})
final class SimCommand {

  @Command(name = "training-data",
      mixinStandardHelpOptions = true, description = "Write the proposer's base training set from the virtual lab's ground truth.")
  static final class TrainingData implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;

    @Option(names = "--rows", defaultValue = "20000", description = "Rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--literature", description = "Literature table whose compounds of the system are appended (e.g. models/training/literature.csv).")
    Path literature;

    @Override
    public Integer call() throws Exception {
      var facts = literature == null ? java.util.List.<org.ionloop.sim.LiteratureTable.Entry>of()
          : org.ionloop.sim.LiteratureTable.load(literature);
      int added = new TrainingDataGenerator().write(out, rows, new SplittableRandom(seed), facts,
          TrainingDataGenerator.LITERATURE_WEIGHT);
      System.out.printf("wrote %d virtual-lab rows%s to %s (seed %d)%n", rows,
          literature == null ? "" : " and " + added + " literature rows (" + added / TrainingDataGenerator.LITERATURE_WEIGHT
              + " compounds × " + TrainingDataGenerator.LITERATURE_WEIGHT + ")", out, seed);
      return 0;
    }
  }

  @Command(name = "pool", mixinStandardHelpOptions = true, description = "Write a candidate pool (CSV: descriptors and measured "
      + "values) from the virtual lab, for pool campaigns and `bench planner --pool`.")
  static final class Pool implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;

    @Option(names = "--rows", defaultValue = "1000", description = "Rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", defaultValue = "11", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      var problem = new org.ionloop.planner.bench.ArgyroditeSimplex();
      var space = problem.space();
      var rng = new SplittableRandom(seed);
      var lines = new java.util.ArrayList<String>();
      lines.add("id,Li2S,P2S5,LiCl,LiBr,anneal_c,li_per_p,halide_fraction,cl_share,"
          + "log10_sigma25,ea_ev");
      for (int i = 0; i < rows; i++) {
        double[] x = space.sample(rng);
        double[] f = problem.evaluate(x);
        double[] sd = problem.noiseSd();
        double liPerP = (2 * x[0] + x[2] + x[3]) / (2 * x[1]);
        double halide = x[2] + x[3];
        double clShare = halide > 0 ? x[2] / halide : 0;
        lines.add(String.format(java.util.Locale.ROOT,
            "pool-%04d,%.5f,%.5f,%.5f,%.5f,%.1f,%.4f,%.5f,%.4f,%.4f,%.4f", i + 1, x[0], x[1],
            x[2], x[3], x[4], liPerP, halide, clShare, f[0] + sd[0] * rng.nextGaussian(),
            -f[1] + sd[1] * rng.nextGaussian()));
      }
      if (out.getParent() != null) {
        java.nio.file.Files.createDirectories(out.getParent());
      }
      java.nio.file.Files.write(out, lines);
      System.out.printf("wrote %d candidates to %s (seed %d): descriptors Li2S…cl_share, "
          + "measured log10_sigma25 and ea_ev with lab-like noise%n", rows, out, seed);
      return 0;
    }
  }
}
