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

  @Test
  void helpIsACommandOnEveryGroupToo() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), paths);
    int groups = 0;
    for (List<String> path : paths) {
      CommandLine at = Main.commandLine();
      for (String p : path) {
        at = at.getSubcommands().get(p);
      }
      if (at.getSubcommands().isEmpty() || path.contains("help")) {
        continue;
      }
      groups++;
      String some = at.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).findFirst().orElseThrow();
      for (List<String> asked : List.of(List.of("help"), List.of("help", some))) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        List<String> args = new ArrayList<>(path);
        args.addAll(asked);
        int rc = cli.execute(args.toArray(String[]::new));
        String usage = "Usage: ionloop" + (path.isEmpty() ? "" : " " + String.join(" ", path))
            + (asked.size() == 2 ? " " + some : "");
        assertEquals(0, rc, String.join(" ", args));
        assertTrue(out.toString().startsWith(usage), String.join(" ", args) + " printed: " + out);
      }
    }
    assertTrue(groups >= 5, "groups: " + groups);
  }

  @Test
  void theRootHelpDocumentsTheExitCodes() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    String help = out.toString();
    assertTrue(help.contains("Exit codes (every command):") && help.contains("  2   bad input")
        && help.contains("  3   a campaign that completed with failed experiments"), help);
  }

  @Test
  void campaignLogSinceTakesAnInstantOrASpanAgo() {
    java.time.Instant now = java.time.Instant.parse("2026-12-02T08:00:00Z");
    assertEquals(java.time.Instant.parse("2026-12-02T07:50:00Z"), CampaignCommand.LogFilter.since("10m", now));
    assertEquals(java.time.Instant.parse("2026-12-01T08:00:00Z"), CampaignCommand.LogFilter.since("1d", now));
    assertEquals(java.time.Instant.parse("2026-12-02T06:00:00Z"),
        CampaignCommand.LogFilter.since("2026-12-02T06:00:00Z", now));
    var filter = new CampaignCommand.LogFilter(null, null, CampaignCommand.LogFilter.since("30s", now), false);
    assertTrue(filter.keeps("decision", "e001", "2026-12-02T07:59:45Z"));
    assertTrue(!filter.keeps("decision", "e001", java.time.Instant.parse("2026-12-02T07:59:00Z")));
    var e = org.junit.jupiter.api.Assertions.assertThrows(org.ionloop.IonloopException.class,
        () -> CampaignCommand.LogFilter.since("yesterday", now));
    assertTrue(e.getMessage().contains("--since 'yesterday'"), e.getMessage());
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cli.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().name().equals(name) || name.equals("help")) {
        return; // an alias, or picocli's help command (tested apart)
      }
      List<String> next = new ArrayList<>(path);
      next.add(name);
      collect(sub, next, out);
    });
  }
}
