package org.ionloop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ionloop campaign …}: read campaigns back from the store. */
@Command(name = "campaign", mixinStandardHelpOptions = true, description = "Inspect and steer campaigns kept in the store, recover one after a crash, run pool campaigns.",
    subcommands = {CampaignClientCli.Start.class, CampaignClientCli.Begin.class, CampaignClientCli.Status.class, CampaignCommand.Log.class, CampaignCommand.ListCampaigns.class,
        PoolCampaignCommand.class, ResumeCommand.class, QueueCli.class,
        OperatorCli.Approve.class, OperatorCli.Reject.class, OperatorCli.Pause.class,
        OperatorCli.Resume.class, OperatorCli.Stop.class, OperatorCli.Abort.class, OperatorCli.Station.class})
final class CampaignCommand {

  @Command(name = "log", mixinStandardHelpOptions = true,
      description = "Print a campaign's timeline: from a server (--server or $IONLOOP_SERVER), else from the store.")
  static final class Log implements Callable<Integer> {
    @Parameters(index = "0", description = "Campaign id.")
    String id;

    @Option(names = "--follow", description = "With a server: keep printing new events until the campaign ends.")
    boolean follow;

    @Option(names = "--kind", split = ",", description = "Only events of these kinds (e.g. decision,experiment_ended).")
    java.util.Set<String> kinds;

    @Option(names = "--experiment", description = "Only events of this experiment (e.g. e007).")
    String experiment;

    @Option(names = "--since", description = "Only events from this time on: an instant (2026-12-02T08:00:00Z)"
        + " or how long ago (30s, 10m, 2h, 1d).")
    String since;

    @Option(names = "--json", description = "One JSON object per event and line: seq, ts, experiment_id (or null),"
        + " kind, payload (an object).")
    boolean json;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      LogFilter filter = new LogFilter(kinds, experiment, LogFilter.since(since, java.time.Instant.now()), json);
      var through = server.resolve(store);
      if (through.isPresent()) {
        return CampaignClientCli.printLog(through.get(), id, follow, filter, System.out);
      }
      CampaignRepository repo = store.openExisting();
      List<CampaignRepository.EventRow> rows = repo.timeline(id);
      if (rows.isEmpty()) {
        System.err.println("no campaign '" + id + "' in " + store.describe());
        return 1;
      }
      for (CampaignRepository.EventRow r : rows) {
        filter.print(System.out, r.seq(), r.ts(), r.experimentId(), r.kind(), r.payload());
      }
      return 0;
    }
  }

  /**
   * Which events {@code campaign log} prints (by kind and by experiment, null: any), and how: a
   * line for people, or a JSON object per line for scripts.
   */
  record LogFilter(java.util.Set<String> kinds, String experiment, java.time.Instant since, boolean json) {
    static final LogFilter ALL = new LogFilter(null, null, null, false);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final java.util.regex.Pattern AGO = java.util.regex.Pattern.compile("(\\d+)([smhd])");

    /**
     * {@code --since}: an ISO-8601 instant, or a span before {@code now} (30s, 10m, 2h, 1d); null
     * for none.
     */
    static java.time.Instant since(String text, java.time.Instant now) {
      if (text == null) {
        return null;
      }
      var ago = AGO.matcher(text.trim());
      if (ago.matches()) {
        long n = Long.parseLong(ago.group(1));
        return now.minus(switch (ago.group(2)) {
          case "s" -> java.time.Duration.ofSeconds(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          case "h" -> java.time.Duration.ofHours(n);
          default -> java.time.Duration.ofDays(n);
        });
      }
      try {
        return java.time.Instant.parse(text.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new org.ionloop.IonloopException(org.ionloop.ErrorCode.INVALID_SPEC, "--since '" + text
            + "' is neither an instant (2026-12-02T08:00:00Z) nor a span ago (30s, 10m, 2h, 1d)");
      }
    }

    boolean keeps(String kind, String experimentShort, Object ts) {
      return (kinds == null || kinds.isEmpty() || kinds.contains(kind))
          && (experiment == null || experiment.equals(experimentShort) || experimentShort.endsWith("-" + experiment))
          && (since == null || !instantOf(ts).isBefore(since));
    }

    /** An event's time, from the store (an Instant) or from a server (its ISO-8601 text). */
    private static java.time.Instant instantOf(Object ts) {
      return ts instanceof java.time.Instant i ? i : java.time.Instant.parse(String.valueOf(ts));
    }

    /** Prints one event of the timeline, if kept: from the store or from a server alike. */
    void print(java.io.PrintStream out, long seq, Object ts, String experimentId, String kind, Object payload) {
      String e = experimentId == null ? "-" : shortId(experimentId);
      if (!keeps(kind, e, ts)) {
        return;
      }
      if (!json) {
        out.printf("%5d %s %-16s %-20s %s%n", seq, ts, e, kind, payload);
        return;
      }
      var line = JSON.createObjectNode();
      line.put("seq", seq);
      line.put("ts", String.valueOf(ts));
      line.put("experiment_id", experimentId);
      line.put("kind", kind);
      try {
        line.set("payload", payload instanceof com.fasterxml.jackson.databind.JsonNode node ? node
            : JSON.readTree(String.valueOf(payload)));
      } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
        line.put("payload", String.valueOf(payload));
      }
      out.println(line);
    }
  }

  /** An experiment's number as operators write it ({@code c…-e007} is e007). */
  static String shortId(String experimentId) {
    return experimentId.replaceFirst("^.*-(e\\d+)$", "$1");
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List campaigns: from a server (--server or $IONLOOP_SERVER), else from the store.")
  static final class ListCampaigns implements Callable<Integer> {
    @Option(names = "--json", description = "A JSON array of {id, name, state, created_at, experiments, results}.")
    boolean json;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      var rows = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
      var through = server.resolve(store);
      if (through.isPresent()) {
        for (var c : through.get().get("/api/campaigns")) {
          row(rows, c.path("id").asText(), c.path("name").asText(), c.path("state").asText(),
              c.path("created_at").asText(), c.path("experiments").asLong(), c.path("results").asLong());
        }
      } else {
        for (CampaignRepository.CampaignRow r : store.openExisting().campaigns()) {
          row(rows, r.id(), r.name(), r.state(), String.valueOf(r.createdAt()), r.experiments(), r.results());
        }
      }
      if (json) {
        System.out.println(rows.toPrettyString());
        return 0;
      }
      for (var c : rows) {
        System.out.printf("%-26s %-24s %-23s %s  experiments %d, results %d%n", c.path("id").asText(),
            c.path("name").asText(), c.path("state").asText(), c.path("created_at").asText(),
            c.path("experiments").asLong(), c.path("results").asLong());
      }
      return 0;
    }

    /** One campaign, the same fields from a server or the store (the --json schema). */
    private static void row(com.fasterxml.jackson.databind.node.ArrayNode rows, String id, String name, String state,
        String created, long experiments, long results) {
      rows.addObject().put("id", id).put("name", name).put("state", state).put("created_at", created)
          .put("experiments", experiments).put("results", results);
    }
  }
}
