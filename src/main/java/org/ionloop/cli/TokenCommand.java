package org.ionloop.cli;

import java.util.concurrent.Callable;
import org.ionloop.store.ApiTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ionloop token create|list|revoke}: API tokens, managed by whoever can open the store. */
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
    StoreOptions store;

    @Override
    public Integer call() {
      ApiTokens.NewToken t = new ApiTokens(store.openOrCreate().dataSource()).create(name, role);
      System.out.printf("token %d for %s (%s) — shown once, keep it safe:%n%s%n", t.row().id(), name, role, t.secret());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
      for (ApiTokens.TokenRow t : new ApiTokens(store.openExisting().dataSource()).all()) {
        System.out.printf("%4d  %-24s %-9s created %s%s%n", t.id(), t.name(), t.role(), t.createdAt(),
            t.revokedAt() == null ? "" : "  REVOKED " + t.revokedAt());
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", description = "Token id (from token list).")
    long id;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
      if (!new ApiTokens(store.openExisting().dataSource()).revoke(id)) {
        System.err.println("no live token " + id);
        return 1;
      }
      System.out.println("revoked token " + id);
      return 0;
    }
  }
}
