package org.ionloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * An H2 file can be open in one process only. While {@code ionloop serve} holds it, the server
 * leaves a lease beside the file ({@code ionloop.server} next to {@code ionloop.mv.db}): its URL,
 * its process id and an admin token made for this run, readable by the file's owner alone, as
 * the database itself is. Every other command finds the lease and goes through the server, so
 * {@code campaign list}, {@code token create}, {@code campaign approve} … work as printed while
 * the server runs, and a command that needs the file itself says who has it.
 *
 * <p>Whoever can read the lease could read the database file anyway; the token is revoked when
 * the server stops, and a lease whose process is gone is stale and ignored.
 */
final class StoreLease {
  /** The name of the token a lease carries (one live at a time: revoked when its server stops). */
  static final String TOKEN_NAME = "local-cli";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A running server's claim on the file: where it listens, its process, its token. */
  record Held(String url, long pid, String token, Path file) {
    /** The sentence a command that needs the file itself says. */
    String refusal(String database) {
      return database + " is held by the ionloop server at " + url + " (process " + pid + "); this command needs"
          + " the file itself. Stop the server, give --db another file, or do it through the server"
          + " (bin/ionloop campaign start FILE).";
    }
  }

  private StoreLease() {}

  /** The lease file of the H2 database {@code db} (given without .mv.db). */
  static Path fileOf(Path db) {
    return db.toAbsolutePath().resolveSibling(db.getFileName() + ".server");
  }

  /** Writes the lease (owner-only), replacing any stale one atomically. */
  static Path write(Path db, String url, String token) throws IOException {
    Path file = fileOf(db);
    Path fresh = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(fresh, JSON.createObjectNode().put("url", url).put("pid", ProcessHandle.current().pid())
        .put("token", token).toPrettyString() + "\n");
    return Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the lease if it is still this process's (a newer server may have replaced it). */
  static void release(Path file) {
    try {
      Optional<Held> held = read(file);
      if (held.isPresent() && held.get().pid() == ProcessHandle.current().pid()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      System.err.println("could not remove the store lease " + file + ": " + e.getMessage());
    }
  }

  /** The live server holding {@code db}, if any; a lease whose process has gone is ignored. */
  static Optional<Held> find(Path db) {
    Path file = fileOf(db);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return read(file).filter(h -> ProcessHandle.of(h.pid()).filter(StoreLease::couldBeAServer).isPresent());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the store lease " + file + ": " + e.getMessage());
    }
  }

  /** Alive, and a JVM as far as the system tells (a killed server's process id may be reused). */
  private static boolean couldBeAServer(ProcessHandle process) {
    return process.isAlive() && process.info().command().map(c -> c.endsWith("java")).orElse(true);
  }

  private static Optional<Held> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode lease = JSON.readTree(file.toFile());
    if (!lease.path("url").isTextual() || !lease.path("pid").canConvertToLong() || !lease.path("token").isTextual()) {
      throw new IOException("it lacks url, pid or token");
    }
    return Optional.of(new Held(lease.get("url").asText(), lease.get("pid").asLong(), lease.get("token").asText(),
        file));
  }
}
