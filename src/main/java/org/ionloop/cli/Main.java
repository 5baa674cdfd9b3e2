package org.ionloop.cli;

import org.ionloop.IonloopException;
import org.ionloop.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ionloop} command line. Exit codes: 0 ok, 1 failure, 2 invalid input. */
@Command(name = "ionloop", mixinStandardHelpOptions = true, version = "ionloop 0.1.0",
    description = "Closed-loop self-driving-lab orchestrator for solid-state electrolytes.",
    exitCodeListHeading = "%nExit codes (every command):%n",
    exitCodeList = {"0:done", "1:a failure while running (an instrument, the store, a server, a fit)",
        "2:bad input (a file, an option, a request)", "3:a campaign that completed with failed experiments"},
    footer = {"", "Read commands take --json; commands that read or steer campaigns use $IONLOOP_SERVER (and"
        + " $IONLOOP_TOKEN) when set, else the server that holds the H2 file (its lease, data/ionloop.server),"
        + " else the store. 'ionloop help COMMAND' or 'ionloop COMMAND --help'"
        + " for each command."},
    subcommands = {RunCommand.class, CampaignCommand.class, ValidateCommand.class, EisCommand.class,
        ServeCommand.class, GatewayCommand.class, TokenCommand.class, DeployCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = execute(args);
    // A campaign's last word (it completed, it failed) is worth the few seconds it takes to send.
    org.ionloop.notify.Notifier.drainAll(java.time.Duration.ofSeconds(10));
    System.exit(code);
  }

  /** Runs a command line and returns its exit code (used by tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The virtual lab's commands (demo, sim, bench) live in the lab classes (src/lab, the lab jar),
   * not in the product: they are offered when those classes are on the class path, as they are
   * for bin/ionloop in a checkout.
   */
  public static final java.util.List<String> LAB_COMMANDS = java.util.List.of("org.ionloop.cli.DemoCommand",
      "org.ionloop.cli.SimCommand", "org.ionloop.cli.BenchCommand");

  private static void addLabCommands(CommandLine cli) {
    for (String name : LAB_COMMANDS) {
      try {
        var constructor = Class.forName(name).getDeclaredConstructor();
        constructor.setAccessible(true);
        cli.addSubcommand(constructor.newInstance());
      } catch (ClassNotFoundException productOnly) {
        // the product jar alone: no virtual lab, no benchmarks
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot load the lab command " + name + ": " + e, e);
      }
    }
  }

  /** {@code help} beside {@code --help} on the root and on every group ({@code ionloop campaign help log}). */
  private static void addHelpCommands(CommandLine cli) {
    if (cli.getSubcommands().isEmpty()) {
      return;
    }
    for (CommandLine sub : java.util.List.copyOf(cli.getSubcommands().values())) {
      addHelpCommands(sub);
    }
    if (!cli.getSubcommands().containsKey("help")) {
      cli.addSubcommand("help", new CommandLine.HelpCommand());
    }
  }

  /** The command line with its error handling, ready to parse or execute. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    addLabCommands(cli);
    addHelpCommands(cli);
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
