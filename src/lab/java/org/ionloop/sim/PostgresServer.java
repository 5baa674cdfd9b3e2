package org.ionloop.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian package {@code postgresql}) in a scratch folder on a free
 * loopback port, for one test class or one benchmark run ({@code bench lab --nodes}). Fails,
 * never skips, when PostgreSQL is not installed: the test command installs it. As root the server runs as user {@code postgres}, since PostgreSQL
 * refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;

  public PostgresServer() throws IOException, InterruptedException {
    this.bin = binaries();
    this.dir = Files.createTempDirectory("ionloop-pg");
    this.port = Ports.free();
    this.asRoot = "root".equals(System.getProperty("user.name"));
    if (asRoot) {
      run(List.of("chown", "postgres", dir.toString()), false);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "ionloop",
        "--auth=trust", "-E", "UTF8", "--no-sync"), true);
    start();
  }

  /** Stops the server (fast shutdown: clients are disconnected), keeping its data. */
  public void stop() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "fast",
        "stop"), true);
  }

  /** Starts the server again on the same port and data. */
  public void start() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "30",
        "-l", dir.resolve("server.log").toString(), "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
  }

  /** A fresh database on this server; its JDBC URL. */
  public String newDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=ionloop")) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=ionloop";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
        "immediate", "stop"), true);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Path binaries() throws IOException {
    if (!Files.isDirectory(VERSIONS)) {
      throw new IllegalStateException("PostgreSQL is not installed (" + VERSIONS
          + "); run the README's test command, which installs it with apt-get");
    }
    try (Stream<Path> versions = Files.list(VERSIONS)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no initdb under " + VERSIONS));
    }
  }

  private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asRoot && asServerUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
