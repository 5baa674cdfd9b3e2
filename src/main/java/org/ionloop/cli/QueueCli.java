package org.ionloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop campaign queue list|add|move|remove}: the lab's queue of campaigns, kept by the
 * server that runs the lab (--server, $IONLOOP_SERVER, or the server holding the H2 file). Each
 * change prints the queue as it is afterwards.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
    description = "The lab's queue: campaigns that start, in order, when the lab is free.",
    subcommands = {QueueCli.ListQueue.class, QueueCli.Add.class, QueueCli.Move.class, QueueCli.Remove.class})
final class QueueCli {
  private QueueCli() {}

  /** Where the server is. */
  static final class Where {
    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    ServerClient client() {
      return server.client(store);
    }
  }

  /** Prints the queue, one campaign a line (or the API's JSON array). */
  static int print(JsonNode queue, boolean json) {
    if (json) {
      System.out.println(queue.toPrettyString());
      return 0;
    }
    if (queue.isEmpty()) {
      System.out.println("the queue is empty");
    }
    for (JsonNode e : queue) {
      System.out.printf("%3d  %-26s %-28s queued %s by %s%n", e.path("position").asInt(),
          e.path("campaign_id").asText(), e.path("name").asText(), e.path("queued_at").asText(),
          e.path("queued_by").asText());
    }
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The queue in the order it starts.")
  static final class ListQueue implements Callable<Integer> {
    @Option(names = "--json", description = "A JSON array of {position, campaign_id, name, queued_at, queued_by}.")
    boolean json;

    @Mixin
    Where where;

    @Override
    public Integer call() throws Exception {
      return print(where.client().get("/api/queue"), json);
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Queue a created (PLANNED) campaign; it starts at once if the lab is free.")
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", description = "Campaign id (from 'campaign start FILE --no-start').")
    String id;

    @Option(names = "--front", description = "Next in line instead of last.")
    boolean front;

    @Mixin
    Where where;

    @Override
    public Integer call() throws Exception {
      var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("campaign_id", id)
          .put("front", front);
      return print(where.client().post("/api/queue", body.toString(), "application/json"), false);
    }
  }

  @Command(name = "move", mixinStandardHelpOptions = true, description = "Move a queued campaign to a place (0: next).")
  static final class Move implements Callable<Integer> {
    @Parameters(index = "0", description = "Campaign id.")
    String id;

    @Parameters(index = "1", description = "Its new place, 0 for next.")
    int position;

    @Mixin
    Where where;

    @Override
    public Integer call() throws Exception {
      if (position < 0) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "POSITION must be ≥ 0 (0: next), got " + position);
      }
      String body = "{\"position\": " + position + "}";
      return print(where.client().post("/api/queue/" + id + "/move", body, "application/json"), false);
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a campaign out of the queue (it stays PLANNED).")
  static final class Remove implements Callable<Integer> {
    @Parameters(index = "0", description = "Campaign id.")
    String id;

    @Mixin
    Where where;

    @Override
    public Integer call() throws Exception {
      return print(where.client().delete("/api/queue/" + id), false);
    }
  }
}
