package org.ionloop.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ionloop.sim.TrainingDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ionloop sim …}: virtual-lab utilities. */
@Command(name = "sim", description = "Virtual-lab utilities.",
    subcommands = {SimCommand.TrainingData.class})
final class SimCommand {

  @Command(name = "training-data",
      description = "Write the proposer's base training set from the virtual lab's ground truth.")
  static final class TrainingData implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;

    @Option(names = "--rows", defaultValue = "20000", description = "Rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      new TrainingDataGenerator().write(out, rows, new SplittableRandom(seed));
      System.out.printf("wrote %d rows to %s (seed %d)%n", rows, out, seed);
      return 0;
    }
  }
}
