package org.ionloop.cli;

import java.util.concurrent.Callable;
import org.ionloop.store.ApiTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop token create|list|revoke}: API tokens, through a running server with an admin
 * token ({@code --server}/{@code IONLOOP_SERVER}), else in the store directly (whoever can open it).
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage the HTTP API's tokens (roles: viewer, operator, admin).",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a token; prints its secret once.")
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", description = "Who or what uses it (e.g. alice, robot-cell-2, grafana).")
    String name;

    @Option(names = "--role", required = true, description = "viewer (read), operator (steer campaigns) or admin (tokens).")
    String role;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      var through = server.resolve(store);
      if (through.isPresent()) {
        var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", name).put("role", role);
        var t = through.get().post("/api/tokens", body.toString(), "application/json");
        printNew(t.path("id").asLong(), name, role, t.path("token").asText());
        return 0;
      }
      ApiTokens.NewToken t = new ApiTokens(store.openOrCreate().dataSource()).create(name, role);
      printNew(t.row().id(), name, role, t.secret());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Option(names = "--json", description = "A JSON array of {id, name, role, created_at, revoked_at (or null)}.")
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
        for (var t : through.get().get("/api/tokens")) {
          row(rows, t.path("id").asLong(), t.path("name").asText(), t.path("role").asText(),
              t.path("created_at").asText(), t.path("revoked_at").isNull() ? null : t.path("revoked_at").asText());
        }
      } else {
        for (ApiTokens.TokenRow t : new ApiTokens(store.openExisting().dataSource()).all()) {
          row(rows, t.id(), t.name(), t.role(), String.valueOf(t.createdAt()),
              t.revokedAt() == null ? null : String.valueOf(t.revokedAt()));
        }
      }
      if (json) {
        System.out.println(rows.toPrettyString());
        return 0;
      }
      for (var t : rows) {
        printRow(t.path("id").asLong(), t.path("name").asText(), t.path("role").asText(), t.path("created_at").asText(),
            t.path("revoked_at").isNull() ? null : t.path("revoked_at").asText());
      }
      return 0;
    }

    /** One token, the same fields from a server or the store (the --json schema); never its secret. */
    private static void row(com.fasterxml.jackson.databind.node.ArrayNode rows, long id, String name, String role,
        String created, String revoked) {
      rows.addObject().put("id", id).put("name", name).put("role", role).put("created_at", created)
          .put("revoked_at", revoked);
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", description = "Token id (from token list).")
    long id;

    @Mixin
    ServerClient.Options server;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
      var through = server.resolve(store);
      if (through.isPresent()) {
        through.get().delete("/api/tokens/" + id);
        System.out.println("revoked token " + id);
        return 0;
      }
      if (!new ApiTokens(store.openExisting().dataSource()).revoke(id)) {
        System.err.println("no live token " + id);
        return 1;
      }
      System.out.println("revoked token " + id);
      return 0;
    }
  }

  private static void printNew(long id, String name, String role, String secret) {
    System.out.printf("token %d for %s (%s) — shown once, keep it safe:%n%s%n", id, name, role, secret);
  }

  private static void printRow(long id, String name, String role, Object createdAt, Object revokedAt) {
    System.out.printf("%4d  %-24s %-9s created %s%s%n", id, name, role, createdAt,
        revokedAt == null ? "" : "  REVOKED " + revokedAt);
  }
}
