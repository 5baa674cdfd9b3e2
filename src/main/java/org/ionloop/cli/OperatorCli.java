package org.ionloop.cli;

import java.util.concurrent.Callable;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.OperatorCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop campaign approve|reject|pause|resume|stop|abort ID …}: steer a running campaign
 * from any terminal. The command goes into the store's operator inbox; the orchestrator running
 * the campaign carries it out, and this command waits for the outcome and prints it.
 */
final class OperatorCli {
  private OperatorCli() {}

  /** Options every operator command has. */
  static final class Common {
    @Parameters(index = "0", description = "Campaign id.")
    String campaignId;

    @Option(names = "--by", defaultValue = "${env:USER:-operator}", description = "Who asks (default: $USER).")
    String by;

    @Option(names = "--wait-s", defaultValue = "30", description = "Seconds to wait for the orchestrator's answer (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Mixin
    StoreOptions store;

    @Mixin
    ServerClient.Options server;

    /**
     * Files the command and waits for its outcome; the exit code. With a server (--server or
     * $IONLOOP_SERVER), or when a server holds the H2 file, it goes through the HTTP API;
     * otherwise straight into the store's inbox, where the orchestrator running the campaign
     * (ionloop run, against PostgreSQL) picks it up.
     */
    int issue(String kind, String experiment, String step, String reason) throws Exception {
      var through = server.resolve(store);
      if (through.isPresent()) {
        return viaServer(through.get(), kind, experiment, step, reason);
      }
      CampaignRepository repo = store.openExisting();
      if (repo.timeline(campaignId).isEmpty()) {
        System.err.println("no campaign '" + campaignId + "' in " + store.describe());
        return 1;
      }
      String experimentId = experiment == null || experiment.startsWith(campaignId)
          ? experiment : campaignId + "-" + experiment;
      OperatorCommands inbox = repo.operatorCommands();
      long id = inbox.issue(campaignId, kind, experimentId, step, reason, by);
      long until = System.nanoTime() + waitSeconds * 1_000_000_000L;
      while (System.nanoTime() < until) {
        var c = inbox.find(id).orElseThrow();
        if (c.handledAt() != null) {
          boolean ok = "ok".equals(c.outcome());
          System.out.println((ok ? "done: " : "refused: ") + kind
              + (experimentId == null ? "" : " " + experimentId + " " + step) + (ok ? "" : " — " + c.outcome()));
          return ok ? 0 : 1;
        }
        Thread.sleep(200);
      }
      System.out.printf("filed %s (#%d); no orchestrator has taken it within %d s — is the campaign running?%n",
          kind, id, waitSeconds);
      return 3;
    }

    private int viaServer(ServerClient client, String kind, String experiment, String step, String reason) throws Exception {
      String path = "/api/campaigns/" + campaignId + (kind.equals("release") ? "/stations/" + step + "/release"
          : experiment == null ? "/" + kind : "/experiments/" + experiment + "/steps/" + step + "/" + kind);
      String body = reason == null ? "{}" : new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
          .put("reason", reason).toString();
      var answer = client.post(path, body, "application/json");
      if ("filed".equals(answer.path("status").asText())) {
        System.out.println("filed " + kind + ": " + answer.path("message").asText());
        return 3;
      }
      System.out.println("done: " + kind + (experiment == null ? "" : " " + experiment + " " + step));
      return 0;
    }
  }

  /** {@code ionloop campaign station release ID STATION --reason …}. */
  @Command(name = "station", mixinStandardHelpOptions = true, description = "Stations of a campaign's lab.",
      subcommands = {StationRelease.class})
  static final class Station {}

  @Command(name = "release", mixinStandardHelpOptions = true,
      description = "Return a station taken out of service (after a failed experiment) once it has been inspected and emptied.")
  static final class StationRelease implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(index = "1", description = "Station (instrument id), e.g. furnace-1.")
    String station;

    @Option(names = "--reason", required = true, description = "What was done (kept in the campaign log).")
    String reason;

    @Override
    public Integer call() throws Exception {
      return common.issue("release", null, station, reason);
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve an experiment's approval gate.")
  static final class Approve implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(index = "1", description = "Experiment (e.g. e003 or the full id).")
    String experiment;

    @Parameters(index = "2", description = "Step id of the gate.")
    String step;

    @Override
    public Integer call() throws Exception {
      return common.issue("approve", experiment, step, null);
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject an approval gate: the experiment ends as failed.")
  static final class Reject implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(index = "1", description = "Experiment (e.g. e003 or the full id).")
    String experiment;

    @Parameters(index = "2", description = "Step id of the gate.")
    String step;

    @Option(names = "--reason", required = true, description = "Why (kept in the campaign log).")
    String reason;

    @Override
    public Integer call() throws Exception {
      return common.issue("reject", experiment, step, reason);
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause: no new experiments; running ones halt at their next step boundary.")
  static final class Pause implements Callable<Integer> {
    @Mixin
    Common common;

    @Override
    public Integer call() throws Exception {
      return common.issue("pause", null, null, null);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused campaign.")
  static final class Resume implements Callable<Integer> {
    @Mixin
    Common common;

    @Override
    public Integer call() throws Exception {
      return common.issue("resume", null, null, null);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop: running experiments finish, no new ones start.")
  static final class Stop implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--reason", defaultValue = "operator request", description = "Why (kept in the campaign log).")
    String reason;

    @Override
    public Integer call() throws Exception {
      return common.issue("stop", null, null, reason);
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true, description = "Abort: make instruments safe (furnaces stop), fail running experiments.")
  static final class Abort implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--reason", required = true, description = "Why (kept in the campaign log).")
    String reason;

    @Override
    public Integer call() throws Exception {
      return common.issue("abort", null, null, reason);
    }
  }
}
