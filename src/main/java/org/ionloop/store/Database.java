package org.ionloop.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * Opens the store and brings its schema up to date with Flyway migrations. An H2 file is the
 * default (nothing to install); a lab that runs for months points ionloop at PostgreSQL with a
 * JDBC URL ({@code jdbc:postgresql://host/db}), credentials from {@code IONLOOP_DB_USER} and
 * {@code IONLOOP_DB_PASSWORD} or in the URL. Migrations live per database under
 * {@code db/migration/h2} and {@code db/migration/postgresql} because the two disagree on large-text types.
 */
public final class Database {
  private static final String USER_VARIABLE = "IONLOOP_DB_USER";
  private static final String PASSWORD_VARIABLE = "IONLOOP_DB_PASSWORD";

  private Database() {}

  /**
   * JDBC URL of an H2 file database at {@code file} (without the .mv.db suffix). WRITE_DELAY=0:
   * H2 otherwise keeps the last half second of commits in memory, and a killed orchestrator
   * would come back with a log that lags what the lab has done (a power cut needs PostgreSQL,
   * whose commits are synced to disk). DB_CLOSE_ON_EXIT=FALSE: on Ctrl-C or SIGTERM the
   * orchestrator stops cleanly (running experiments finish and are recorded, the server revokes
   * its lease token), which needs the store until it is done; H2's own shutdown hook would close
   * it under them. Every commit is on disk already, so a process that exits without closing it
   * loses nothing.
   */
  public static String h2FileUrl(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** {@code --jdbc-url} when given, else the H2 file at {@code h2File}. */
  public static String urlOf(String jdbcUrl, Path h2File) {
    return jdbcUrl == null || jdbcUrl.isBlank() ? h2FileUrl(h2File) : jdbcUrl;
  }

  /**
   * Opens a pooled data source and migrates the schema.
   *
   * @throws IonloopException code STORE when the database cannot be opened or migrated
   */
  public static DataSource open(String jdbcUrl) {
    return open(jdbcUrl, System::getenv);
  }

  static DataSource open(String jdbcUrl, Function<String, String> environment) {
    try {
      DataSource ds;
      String vendor;
      if (jdbcUrl.startsWith("jdbc:h2:")) {
        vendor = "h2";
        createParentFolder(jdbcUrl);
        ds = JdbcConnectionPool.create(jdbcUrl, "sa", "");
      } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
        vendor = "postgresql";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("ionloop-store");
        config.setMaximumPoolSize(4);
        config.setInitializationFailTimeout(10_000);
        // A server that is down fails a write in seconds rather than Hikari's 30: the store says
        // so (Store.Health) and the campaign pauses while it retries, instead of hanging on it.
        config.setConnectionTimeout(5_000);
        String user = environment.apply(USER_VARIABLE);
        if (user != null) {
          config.setUsername(user);
          config.setPassword(environment.apply(PASSWORD_VARIABLE));
        }
        ds = new HikariDataSource(config);
      } else {
        throw new IllegalArgumentException("unsupported JDBC URL (use jdbc:h2:… or jdbc:postgresql:…)");
      }
      Flyway.configure().dataSource(ds).locations("classpath:db/migration/" + vendor).load().migrate();
      return ds;
    } catch (Exception e) {
      if (inUseByAnotherProcess(e)) {
        throw new IonloopException(ErrorCode.STORE, "the store " + redact(jdbcUrl) + " is open in another"
            + " ionloop process (serve, run or demo); an H2 file admits one process at a time. Ask that"
            + " process's server (--server URL, or IONLOOP_SERVER), or keep the store in PostgreSQL"
            + " (--jdbc-url) where any number of processes may share it.", e);
      }
      throw new IonloopException(ErrorCode.STORE, "cannot open store " + redact(jdbcUrl) + ": "
          + e.getMessage(), e);
    }
  }

  private static void createParentFolder(String jdbcUrl) throws java.io.IOException {
    if (jdbcUrl.startsWith("jdbc:h2:file:")) {
      String path = jdbcUrl.substring("jdbc:h2:file:".length()).split(";")[0];
      Path parent = Path.of(path).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
  }

  /** H2's "Database may be already in use" (error 90020), anywhere in the cause chain. */
  private static boolean inUseByAnotherProcess(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The URL without a password, for messages and logs. */
  static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
