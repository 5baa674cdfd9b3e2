package org.ionloop.store;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/** Opens the store (H2 by default) and brings its schema up to date with Flyway migrations. */
public final class Database {
  private Database() {}

  /** JDBC URL of an H2 file database at {@code file} (without the .mv.db suffix). */
  public static String h2FileUrl(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=FALSE";
  }

  /**
   * Opens a pooled data source and migrates the schema.
   *
   * @throws IonloopException code STORE when the database cannot be opened or migrated
   */
  public static DataSource open(String jdbcUrl) {
    try {
      if (jdbcUrl.startsWith("jdbc:h2:file:")) {
        String path = jdbcUrl.substring("jdbc:h2:file:".length()).split(";")[0];
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      }
      DataSource ds = JdbcConnectionPool.create(jdbcUrl, "sa", "");
      Flyway.configure().dataSource(ds).load().migrate();
      return ds;
    } catch (Exception e) {
      throw new IonloopException(ErrorCode.STORE, "cannot open store " + jdbcUrl + ": "
          + e.getMessage(), e);
    }
  }
}
