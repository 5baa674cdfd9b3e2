package org.ionloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ionloop.store.CampaignHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ionloop campaign start|status} against a running server; {@code log} also reads a server. */
final class CampaignClientCli {
  private CampaignClientCli() {}

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = {"Send a campaign file to a running server, which validates, records and starts it;",
          "or start a campaign created with --no-start, by its id."})
  static final class Start implements Callable<Integer> {
    /** A campaign id as the orchestrator makes them (c20261202-081500-3fa). */
    private static final java.util.regex.Pattern CAMPAIGN_ID = java.util.regex.Pattern.compile("c\\d{8}-\\d{6}-[0-9a-f]+");

    @Parameters(index = "0", paramLabel = "FILE|ID", description = "Campaign file, or the id of a created (PLANNED) campaign.")
    String target;

    @Option(names = "--no-start", description = "Only create it (state PLANNED).")
    boolean createOnly;

    @Option(names = "--queue", description = "Put it in the lab's queue: it starts when the lab is free"
        + " (at once if it is free now).")
    boolean queue;

    @Option(names = "--watch", description = "Then show its progress until it ends.")
    boolean watch;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      Path file = UserPaths.of(target);
      if (!Files.isRegularFile(file)) {
        if (CAMPAIGN_ID.matcher(target).matches()) {
          if (createOnly) {
            throw new IllegalArgumentException("campaign " + target + " exists already; --no-start is for a file");
          }
          return Begin.start(server.client(store), target, watch);
        }
        throw new IllegalArgumentException("no campaign file " + file.toAbsolutePath()
            + " (nor a campaign id such as c20261202-081500-3fa)");
      }
      ServerClient client = server.client(store);
      JsonNode c;
      try {
        if (createOnly && queue) {
          throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
              "--no-start and --queue exclude each other");
        }
        c = client.post("/api/campaigns" + (createOnly ? "" : queue ? "?queue=true" : "?start=true"),
            Files.readString(file), "application/yaml");
      } catch (ServerClient.InvalidFile e) {
        // As validate says it, exit 2, naming the user's file rather than the server's copy.
        throw new org.ionloop.spec.SpecException(file, e.line, e.field, e.problem);
      }
      String id = c.path("id").asText();
      System.out.printf("campaign %s (%s) %s%n", id, c.path("name").asText(), c.path("state").asText());
      if (watch) {
        return Status.follow(client, id, System.out);
      }
      if (queue) {
        System.out.println("in the lab's queue, or started if the lab was free: bin/ionloop campaign queue list");
      }
      System.out.printf("progress: bin/ionloop campaign status %s --watch%n", id);
      return 0;
    }
  }

  @Command(name = "begin", mixinStandardHelpOptions = true,
      description = "Start a campaign created with 'start --no-start' (state PLANNED) on a running server (as 'start ID').")
  static final class Begin implements Callable<Integer> {
    @Parameters(index = "0", description = "Campaign id.")
    String id;

    @Option(names = "--watch", description = "Then show its progress until it ends.")
    boolean watch;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      return start(server.client(store), id, watch);
    }

    /** Starts a created campaign; with {@code watch}, follows it to the end. */
    static int start(ServerClient client, String id, boolean watch) throws Exception {
      JsonNode c = client.post("/api/campaigns/" + id + "/start", "", "application/json");
      System.out.printf("campaign %s %s%n", id, c.path("state").asText("started"));
      return watch ? Status.follow(client, id, System.out) : 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "A campaign's state and progress bar, from a running server.")
  static final class Status implements Callable<Integer> {
    @Parameters(index = "0", description = "Campaign id.")
    String id;

    @Option(names = "--watch", description = "Refresh until the campaign ends.")
    boolean watch;

    @Option(names = "--json", description = "The campaign as the API gives it (GET /api/campaigns/ID): state,"
        + " state_reason, budget, completed, failed, running, results, objectives, pareto_front, hypervolume_so_far.")
    boolean json;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      ServerClient client = server.client(store);
      if (watch && json) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "--watch redraws a line for people; with --json, poll campaign status --json instead");
      }
      if (watch) {
        return follow(client, id, System.out);
      }
      JsonNode c = client.get("/api/campaigns/" + id);
      System.out.println(json ? c.toPrettyString() : line(c));
      return 0;
    }

    /** Redraws the progress line every second until the campaign ends; 0 when it completed. */
    static int follow(ServerClient client, String id, PrintStream out) throws Exception {
      while (true) {
        JsonNode c = client.get("/api/campaigns/" + id);
        String state = c.path("state").asText();
        boolean ended = CampaignHistory.ENDED_STATES.contains(state);
        out.print("\r" + line(c) + (ended ? "\n" : ""));
        out.flush();
        if (ended) {
          if (!c.path("state_reason").isNull()) {
            out.println("  " + c.path("state_reason").asText());
          }
          return CampaignHistory.exitCodeOf(state);
        }
        Thread.sleep(1000);
      }
    }

    /** e.g. {@code c2026…  RUNNING    [#########...............]  9/24  results 8, failed 1, running 3, HV 2.41}. */
    static String line(JsonNode c) {
      int budget = Math.max(1, c.path("budget").asInt(1));
      long done = c.path("completed").asLong() + c.path("failed").asLong();
      int width = 24;
      int filled = (int) Math.min(width, Math.round(width * (double) done / budget));
      JsonNode hv = c.path("hypervolume_so_far");
      return String.format("%s  %-9s [%s%s] %2d/%d  results %d, failed %d, running %d%s", c.path("id").asText(),
          c.path("state").asText(), "#".repeat(filled), ".".repeat(width - filled), done, budget,
          c.path("results").asLong(), c.path("failed").asLong(), c.path("running").asLong(),
          hv.size() == 0 ? "" : String.format(", hypervolume %.3f", hv.get(hv.size() - 1).asDouble()));
    }
  }

  /** Prints a campaign's events from the server; with {@code follow}, keeps polling for new ones. */
  static int printLog(ServerClient client, String id, boolean follow, PrintStream out) throws Exception {
    return printLog(client, id, follow, CampaignCommand.LogFilter.ALL, out);
  }

  static int printLog(ServerClient client, String id, boolean follow, CampaignCommand.LogFilter filter,
      PrintStream out) throws Exception {
    long after = 0;
    while (true) {
      for (JsonNode e : client.get("/api/campaigns/" + id + "/events?after=" + after)) {
        after = e.path("seq").asLong();
        filter.print(out, after, e.path("ts").asText(), e.path("experiment_id").isNull() ? null
            : e.path("experiment_id").asText(), e.path("kind").asText(), e.path("payload"));
      }
      if (!follow || CampaignHistory.ENDED_STATES.contains(client.get("/api/campaigns/" + id).path("state").asText())) {
        return 0;
      }
      Thread.sleep(1000);
    }
  }
}
