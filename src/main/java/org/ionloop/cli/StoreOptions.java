package org.ionloop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Option;

/** Where the store is: an H2 file (default) or any JDBC URL, e.g. a lab's PostgreSQL server. */
final class StoreOptions {
  @Option(names = "--db", defaultValue = "${sys:ionloop.home:-.}/data/ionloop",
      description = "H2 database file, without .mv.db (default ${DEFAULT-VALUE}).")
  Path db;

  @Option(names = "--jdbc-url", defaultValue = "${env:IONLOOP_JDBC_URL}",
      description = "Store JDBC URL instead of the H2 file, e.g. jdbc:postgresql://127.0.0.1/ionloop "
          + "(default: $IONLOOP_JDBC_URL; credentials from $IONLOOP_DB_USER, $IONLOOP_DB_PASSWORD).")
  String jdbcUrl;

  /**
   * The store's JDBC URL, for a command that opens it itself.
   *
   * @throws IllegalArgumentException when a running server holds the H2 file (see {@link StoreLease})
   */
  String url() {
    heldByServer().ifPresent(held -> {
      throw new IllegalArgumentException(held.refusal(describe()));
    });
    return Database.urlOf(jdbcUrl, db);
  }

  /** The running server that holds the H2 file, if any (a JDBC URL store is never held). */
  java.util.Optional<StoreLease.Held> heldByServer() {
    return isH2File() ? StoreLease.find(db) : java.util.Optional.empty();
  }

  boolean isH2File() {
    return jdbcUrl == null || jdbcUrl.isBlank();
  }

  /** A human-readable name of the store for messages. */
  String describe() {
    return jdbcUrl == null || jdbcUrl.isBlank() ? db.toAbsolutePath() + ".mv.db"
        : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** Opens the store, creating an H2 file if there is none. */
  CampaignRepository openOrCreate() {
    return new CampaignRepository(Database.open(url()));
  }

  /** Opens an existing store for reading; an H2 file must already exist. */
  CampaignRepository openExisting() {
    if ((jdbcUrl == null || jdbcUrl.isBlank()) && !Files.exists(Path.of(db + ".mv.db"))) {
      throw new IllegalArgumentException("no database at " + db.toAbsolutePath() + ".mv.db");
    }
    return new CampaignRepository(Database.open(url()));
  }
}
