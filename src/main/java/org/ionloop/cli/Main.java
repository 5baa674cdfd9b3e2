package org.ionloop.cli;

import org.ionloop.IonloopException;
import org.ionloop.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ionloop} command line. Exit codes: 0 ok, 1 failure, 2 invalid input. */
@Command(name = "ionloop", mixinStandardHelpOptions = true, version = "ionloop 0.1.0",
    description = "Closed-loop self-driving-lab orchestrator for solid-state electrolytes.",
    subcommands = {DemoCommand.class, RunCommand.class, CampaignCommand.class, ValidateCommand.class, EisCommand.class,
        BenchCommand.class, SimCommand.class, ServeCommand.class, TokenCommand.class, DeployCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (used by tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with its error handling, ready to parse or execute. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(java.nio.file.Path.class, UserPaths::of);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // Bad input (a user file, a spectrum file) is exit 2; a failure while running is 1.
      if (e instanceof SpecException || e instanceof IonloopException ie
          && ie.code() == org.ionloop.ErrorCode.INVALID_SPEC) {
        cmd.getErr().println("error: " + e.getMessage());
        return 2;
      }
      if (e instanceof IonloopException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("error: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli;
  }
}
