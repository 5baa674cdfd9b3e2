package org.ionloop.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * {@code bench … --json}: for scripts, standard output carries only the bench's reports, one JSON
 * object per line, each with a {@code "bench"} field naming it; the tables and progress people
 * read go to standard error. Without it, the report lines are printed among the tables.
 */
final class BenchOutput {
  @Option(names = "--json", description = "Only the report on standard output: one JSON object per line, each with"
      + " \"bench\" naming it (tables and progress go to standard error).")
  boolean json;

  private PrintStream reports = System.out;

  /** Runs a bench; with --json, all it prints goes to standard error but its reports. */
  int run(Callable<Integer> bench) throws Exception {
    reports = System.out;
    if (!json) {
      return bench.call();
    }
    System.setOut(System.err);
    try {
      return bench.call();
    } finally {
      System.setOut(reports);
    }
  }

  /** A report line (one JSON object): printed for people and scripts alike. */
  void line(String jsonObject) {
    (json ? reports : System.out).println(jsonObject);
  }

  /**
   * A report written to a file (people get its path): on standard output only with --json, as
   * one line.
   */
  void report(Object report) throws java.io.IOException {
    if (json) {
      reports.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(report));
    }
  }
}
