package org.ionloop.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ionloop.analysis.eis.ReferencePellets;
import org.ionloop.analysis.eis.SampleAnalysis;
import org.ionloop.analysis.eis.Spectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ionloop bench …}: benchmarks that print numbers (never asserted in tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print numbers.",
    subcommands = {BenchCommand.Eis.class, BenchCommand.ForwardModel.class, BenchCommand.Instruments.class,
        LabBenchCommand.class, PlannerBenchCommand.class, ProposerBenchCommand.class})
final class BenchCommand {

  @Command(name = "instruments", mixinStandardHelpOptions = true, description = "Command throughput and "
      + "round trips of N simulated MQTT instruments on one Mosquitto broker, and Modbus polling, on loopback.")
  static final class Instruments implements Callable<Integer> {
    @Option(names = "--instruments", defaultValue = "50", description = "Simulated MQTT instruments (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--commands", defaultValue = "200", description = "Commands per instrument (default ${DEFAULT-VALUE}).")
    int commands;

    @Option(names = "--rate", defaultValue = "500", description = "Offered load, commands/s over all "
        + "instruments, for the latency run (default ${DEFAULT-VALUE}); a second run measures saturation.")
    double rate;

    @Option(names = "--modbus-reads", defaultValue = "5000", description = "Modbus polls (default ${DEFAULT-VALUE}).")
    int modbusReads;

    @Override
    public Integer call() throws Exception {
      return output.run(this::measure);
    }

    @picocli.CommandLine.Mixin
    BenchOutput output;

    private Integer measure() throws Exception {
      System.out.printf("bench instruments: %d MQTT instruments × %d commands on Mosquitto (loopback), "
          + "QoS 1, one command in flight per instrument%n", instruments, commands);
      InstrumentBench.Result r;
      InstrumentBench.Result saturated;
      try (InstrumentBench.Mosquitto broker = new InstrumentBench.Mosquitto()) {
        r = InstrumentBench.run(broker.url(), instruments, commands, this.rate);
      }
      try (InstrumentBench.Mosquitto broker = new InstrumentBench.Mosquitto()) {
        saturated = InstrumentBench.run(broker.url(), instruments, commands, 0);
      }
      double rate = r.commands() / r.seconds();
      System.out.printf("offered %.0f commands/s: %d commands in %.2f s (%.0f commands/s); robots executed %d%n",
          this.rate, r.commands(), r.seconds(), rate, r.executions());
      System.out.printf("  ack round trip:  %s%n", InstrumentBench.describe(r.ackMs()));
      System.out.printf("  done round trip: %s%n", InstrumentBench.describe(r.doneMs()));
      System.out.printf("saturated (no pacing): %.0f commands/s; done round trip %s%n",
          saturated.commands() / saturated.seconds(), InstrumentBench.describe(saturated.doneMs()));
      try (var furnace = new org.ionloop.sim.SimFurnace("bench-furnace", org.ionloop.sim.Ports.free(),
          new org.ionloop.sim.VirtualBench(), 700, 1)) {
        var m = org.ionloop.instruments.modbus.ModbusPollBench.run("127.0.0.1", furnace.port(), 1, modbusReads);
        System.out.printf("Modbus polling (4 input registers, j2mod → simulated furnace): %.0f reads/s, "
            + "p50 %.3f ms, p99 %.3f ms%n", m.readsPerSecond(), m.p50Ms(), m.p99Ms());
        output.line(String.format(Locale.ROOT, "{\"bench\":\"instruments\",\"mqtt_instruments\":%d,\"commands\":%d,"
            + "\"saturated_commands_per_second\":%.1f,\"offered_per_second\":%.0f,\"commands_per_second\":%.1f,\"ack_p50_ms\":%.3f,\"ack_p99_ms\":%.3f,\"done_p50_ms\":%.3f,"
            + "\"done_p99_ms\":%.3f,\"modbus_reads_per_second\":%.1f,\"modbus_p50_ms\":%.3f,"
            + "\"modbus_p99_ms\":%.3f}", instruments, r.commands(),
            saturated.commands() / saturated.seconds(), this.rate, rate,
            InstrumentBench.percentile(r.ackMs(), 0.5), InstrumentBench.percentile(r.ackMs(), 0.99),
            InstrumentBench.percentile(r.doneMs(), 0.5), InstrumentBench.percentile(r.doneMs(), 0.99),
            m.readsPerSecond(), m.p50Ms(), m.p99Ms()));
      }
      return r.executions() == r.commands() && saturated.executions() == saturated.commands() ? 0 : 1;
    }
  }

  @Command(name = "forward-model", mixinStandardHelpOptions = true, description = "The forward model of"
      + " log10 σ(T) from composition (GP on composition descriptors and 1000/T) on held-out real materials:"
      + " fitted on the table's train split, scored on its test split against the training mean and the"
      + " nearest training composition.")
  static final class ForwardModel implements Callable<Integer> {
    @Option(names = "--table", defaultValue = "${sys:ionloop.home:-.}/models/training/sse-real.csv",
        description = "Measured conductivities (default ${DEFAULT-VALUE}).")
    java.nio.file.Path table;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the GP fit's random starts (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save", description = "Also write the fitted model's hyper-parameters here (e.g."
        + " models/proposer-sse/forward-model.json: the proposer's prior for a campaign's first decisions).")
    java.nio.file.Path save;

    @Override
    public Integer call() throws Exception {
      return output.run(this::measure);
    }

    @picocli.CommandLine.Mixin
    BenchOutput output;

    private Integer measure() throws Exception {
      var rows = org.ionloop.proposer.forward.MeasuredConductivities.read(table);
      var r = org.ionloop.proposer.bench.ForwardModelBench.run(rows, seed, save,
          save == null ? null : save.toAbsolutePath().getParent().relativize(table.toAbsolutePath()).toString());
      System.out.printf("forward model on %s: fitted on %d uncensored train rows in %.1f s (noise SD %.2f decades)%n",
          table, r.trainRows(), r.fitSeconds(), r.noiseSd());
      System.out.printf("test split, %d uncensored rows: MAE %.3f, RMSE %.3f decades; %.0f %% within ±2 SD%n",
          r.testRows(), r.mae(), r.rmse(), 100 * r.coverage2Sd());
      System.out.printf("  at 20–30 °C (%d rows, OBELiX's task): MAE %.3f%n", r.roomTemperatureRows(), r.roomTemperatureMae());
      System.out.printf("  baselines: training mean MAE %.3f, nearest training composition MAE %.3f%n", r.meanMae(),
          r.nearestMae());
      output.line(String.format(Locale.ROOT, "{\"bench\":\"forward-model\",\"train_rows\":%d,\"test_rows\":%d,\"mae\":%.4f,"
          + "\"rmse\":%.4f,\"room_temperature_mae\":%.4f,\"room_temperature_rows\":%d,\"mean_mae\":%.4f,"
          + "\"nearest_mae\":%.4f,\"coverage_2sd\":%.4f,\"fit_seconds\":%.2f,\"noise_sd\":%.4f}", r.trainRows(),
          r.testRows(), r.mae(), r.rmse(), r.roomTemperatureMae(), r.roomTemperatureRows(), r.meanMae(), r.nearestMae(),
          r.coverage2Sd(), r.fitSeconds(), r.noiseSd()));
      return 0;
    }
  }

  @Command(name = "eis", mixinStandardHelpOptions = true, description = "Accuracy and speed of the "
      + "impedance analysis on synthetic pellets (1 MHz – 0.1 Hz, 10 points per decade).")
  static final class Eis implements Callable<Integer> {
    @Option(names = "--spectra", defaultValue = "200", description = "Spectra per case and noise level (default ${DEFAULT-VALUE}).")
    int spectra;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--file", description = "A measured spectrum file to time as well (repeatable): reading, "
        + "fitting and plotting it in a warm JVM, median of --repeats.")
    List<java.nio.file.Path> files = new ArrayList<>();

    @Option(names = "--repeats", defaultValue = "20", description = "Timed runs per file (default ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() throws Exception {
      return output.run(this::measure);
    }

    @picocli.CommandLine.Mixin
    BenchOutput output;

    private Integer measure() throws Exception {
      SampleAnalysis analysis = new SampleAnalysis();
      if (!files.isEmpty()) {
        timeFiles(analysis);
        if (spectra == 0) {
          return 0;
        }
      }
      double[] noises = {0, 0.01, 0.03};
      System.out.printf("bench eis: %d spectra per case and noise, %d threads, seed %d, circuits %s%n",
          spectra, threads, seed, SampleAnalysis.DEFAULT_CIRCUITS);
      // Warm up the JIT so the timing measures the steady state a running lab sees.
      for (int i = 0; i < 50; i++) {
        analysis.measure(ReferencePellets.spectrum(ReferencePellets.ALL.get(i % 3), 0.01,
            new SplittableRandom(i)), 1, 10);
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<String> json = new ArrayList<>();
      List<Double> allAt1 = new ArrayList<>();
      long totalNanos = 0;
      int total = 0;
      System.out.printf("%-42s %6s %10s %10s %8s %10s%n", "case", "noise", "median %", "p95 %", "failed", "KK valid %");
      for (double noise : noises) {
        for (ReferencePellets.Case c : ReferencePellets.ALL) {
          SplittableRandom rng = new SplittableRandom(seed);
          List<Spectrum> input = new ArrayList<>();
          for (int i = 0; i < spectra; i++) {
            input.add(ReferencePellets.spectrum(c, noise, rng.split()));
          }
          long t0 = System.nanoTime();
          List<Future<SampleAnalysis.Measurement>> futures = new ArrayList<>();
          for (Spectrum s : input) {
            futures.add(pool.submit(() -> analysis.measure(s, 1, 10)));
          }
          List<Double> errors = new ArrayList<>();
          int failed = 0;
          int kkValid = 0;
          for (Future<SampleAnalysis.Measurement> f : futures) {
            SampleAnalysis.Measurement m = f.get();
            if (m.resistance() == null || !Double.isFinite(m.resistance().ohm())) {
              failed++;
              continue;
            }
            kkValid += m.kk().valid() ? 1 : 0;
            errors.add(Math.abs(m.resistance().ohm() / c.truthOhm() - 1) * 100);
          }
          totalNanos += System.nanoTime() - t0;
          total += spectra;
          Collections.sort(errors);
          double median = errors.isEmpty() ? Double.NaN : errors.get(errors.size() / 2);
          double p95 = errors.isEmpty() ? Double.NaN : errors.get((int) Math.min(errors.size() - 1, Math.floor(0.95 * errors.size())));
          if (noise == 0.01) {
            allAt1.addAll(errors);
          }
          System.out.printf("%-42s %5.0f%% %10.3f %10.3f %8d %10.1f%n", c.name(), noise * 100, median, p95,
              failed, 100.0 * kkValid / spectra);
          json.add(String.format(Locale.ROOT, "{\"case\":\"%s\",\"noise\":%.2f,\"median_error_pct\":%.4f,"
              + "\"p95_error_pct\":%.4f,\"failed\":%d}", c.name(), noise, median, p95, failed));
        }
      }
      pool.shutdown();
      Collections.sort(allAt1);
      double rate = total / (totalNanos / 1e9);
      System.out.printf("all cases at 1 %% noise: median error %.3f %%; throughput %.0f spectra/s on %d threads "
          + "(fit of %d circuits + Lin-KK per spectrum)%n", allAt1.get(allAt1.size() / 2), rate, threads,
          SampleAnalysis.DEFAULT_CIRCUITS.size());
      output.line(String.format(Locale.ROOT, "{\"bench\":\"eis\",\"threads\":%d,\"spectra_per_second\":%.1f,"
          + "\"median_error_pct_at_1pct_noise\":%.4f,\"results\":[%s]}", threads, rate,
          allAt1.get(allAt1.size() / 2), String.join(",", json)));
      return 0;
    }

    /**
     * Reads, fits and plots each file as {@code eis fit} does, after warming the JIT on it: the
     * median milliseconds of each step (the analysis includes Lin-KK and every start of every
     * default circuit, and the equally-good-fits search the CLI prints).
     */
    private void timeFiles(SampleAnalysis analysis) throws Exception {
      System.out.printf("%-34s %-20s %6s %9s %9s %9s %9s%n", "file", "format", "points", "read ms", "fit ms",
          "spread ms", "plot ms");
      List<String> json = new ArrayList<>();
      java.nio.file.Path png = java.nio.file.Files.createTempFile("bench-eis", ".png");
      try {
        for (java.nio.file.Path file : files) {
          double[][] ms = new double[4][repeats];
          org.ionloop.analysis.eis.SpectrumFiles.Read read = null;
          for (int r = -3; r < repeats; r++) { // three untimed runs warm the JIT on this file
            long t0 = System.nanoTime();
            read = org.ionloop.analysis.eis.SpectrumFiles.readAll(file, 25).get(0);
            long t1 = System.nanoTime();
            SampleAnalysis.Measurement m = analysis.measure(read.spectrum(), 1, 10);
            long t2 = System.nanoTime();
            analysis.equallyGoodFits(read.spectrum(), 1, 10);
            long t3 = System.nanoTime();
            EisPlots.write(read.spectrum(), m.fit(), file.getFileName().toString(), png);
            long t4 = System.nanoTime();
            if (r >= 0) {
              ms[0][r] = (t1 - t0) / 1e6;
              ms[1][r] = (t2 - t1) / 1e6;
              ms[2][r] = (t3 - t2) / 1e6;
              ms[3][r] = (t4 - t3) / 1e6;
            }
          }
          double[] median = new double[4];
          for (int k = 0; k < 4; k++) {
            java.util.Arrays.sort(ms[k]);
            median[k] = ms[k][repeats / 2];
          }
          System.out.printf("%-34s %-20s %6d %9.2f %9.1f %9.1f %9.1f%n", file.getFileName(), read.format(),
              read.spectrum().size(), median[0], median[1], median[2], median[3]);
          json.add(String.format(Locale.ROOT, "{\"file\":\"%s\",\"format\":\"%s\",\"points\":%d,\"read_ms\":%.3f,"
              + "\"fit_ms\":%.2f,\"equally_good_fits_ms\":%.2f,\"plot_ms\":%.2f}", file.getFileName(), read.format(),
              read.spectrum().size(), median[0], median[1], median[2], median[3]));
        }
      } finally {
        java.nio.file.Files.deleteIfExists(png);
      }
      output.line(String.format(Locale.ROOT, "{\"bench\":\"eis-files\",\"repeats\":%d,\"files\":[%s]}", repeats,
          String.join(",", json)));
    }
  }
}