package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and command group answers --help with its usage and exit code 0. */
class CliHelpTest {

  @Test
  void everyCommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), paths);
    assertTrue(paths.size() > 20, "commands found: " + paths);
    for (List<String> path : paths) {
      CommandLine cli = Main.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      int rc = cli.execute(args.toArray(String[]::new));
      String usage = "Usage: ionloop" + (path.isEmpty() ? "" : " " + String.join(" ", path));
      assertEquals(0, rc, String.join(" ", args) + ": " + err);
      assertTrue(out.toString().startsWith(usage), String.join(" ", args) + " printed: " + out + err);
    }
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cli.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().name().equals(name)) {
        return; // an alias
      }
      List<String> next = new ArrayList<>(path);
      next.add(name);
      collect(sub, next, out);
    });
  }
}
