package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the default H2 file, the server's own hints work as printed while it runs: {@code serve}
 * (a real process, through bin/ionloop) leaves a lease beside the file, and {@code campaign
 * list}, {@code token create|list} go through it; a command that needs the file itself, and a
 * second server, say who holds it. When the server stops, the lease goes and its token is
 * revoked, and the same commands read the file directly again.
 */
class StoreLeaseIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;

  /** Exit code, standard output and standard error of one command line run in this JVM. */
  record Ran(int code, String out, String err) {}

  static Ran run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      return new Ran(Main.execute(args), out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void commandsGoThroughTheServerThatHoldsTheFileAndReadItDirectlyOnceItStops() throws Exception {
    String db = dir.resolve("data/ionloop").toString();
    Path lease = dir.resolve("data/ionloop.server");
    ProcessBuilder serve = new ProcessBuilder(Path.of("bin/ionloop").toAbsolutePath().toString(), "serve",
        "--no-lab", "--port", "0", "--db", db).redirectErrorStream(true)
        .redirectOutput(dir.resolve("serve.log").toFile());
    serve.environment().put("IONLOOP_NO_BUILD", "1");
    serve.environment().remove("IONLOOP_SERVER");
    serve.environment().remove("IONLOOP_TOKEN");
    Process server = serve.start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(lease) && server.isAlive() && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(lease), "the server wrote its lease: " + Files.readString(dir.resolve("serve.log")));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lease)),
          "the lease carries a token: the owner's alone");
      String log = Files.readString(dir.resolve("serve.log"));
      assertTrue(log.contains("bin/ionloop token create NAME --role viewer|operator|admin --db "), log);

      Ran list = run("campaign", "list", "--json", "--db", db);
      assertEquals(0, list.code(), list.err());
      assertEquals(0, JSON.readTree(list.out()).size());
      Ran created = run("token", "create", "alice", "--role", "viewer", "--db", db);
      assertEquals(0, created.code(), created.err());
      assertTrue(created.out().contains("ilt_"), created.out());
      JsonNode tokens = JSON.readTree(run("token", "list", "--json", "--db", db).out());
      assertTrue(tokens.toString().contains("\"alice\"") && tokens.toString().contains("\"local-cli\""),
          tokens.toString());

      Ran resume = run("campaign", "recover", "c20261202-000000-abc", "--db", db);
      assertEquals(1, resume.code(), resume.out());
      assertTrue(resume.err().contains("is held by the ionloop server at http://127.0.0.1:")
          && resume.err().contains("process " + server.pid()), resume.err());
      Ran pause = run("campaign", "pause", "c20261202-000000-abc", "--db", db);
      assertTrue(pause.err().contains("404"), "steering finds the server by the lease too: " + pause.err());
      Ran status = run("campaign", "status", "c20261202-000000-abc", "--db", db);
      assertTrue(status.err().contains("404"), "so does status: " + status.err());
    } finally {
      server.destroy(); // SIGTERM: the server's shutdown
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stopped");
    }
    assertFalse(Files.exists(lease), "the lease goes with the server");
    Ran direct = run("token", "list", "--json", "--db", db);
    assertEquals(0, direct.code(), direct.err());
    for (JsonNode t : JSON.readTree(direct.out())) {
      if (t.path("name").asText().equals("local-cli")) {
        assertFalse(t.path("revoked_at").isNull(), "the lease's token is revoked: " + t);
      }
    }
  }

  @Test
  void aLeaseWhoseServerIsGoneIsIgnored() throws Exception {
    String db = dir.resolve("data/ionloop").toString();
    assertEquals(0, run("token", "create", "bob", "--role", "admin", "--db", db).code());
    // A process id no live process has (beyond Linux's pid_max), as a killed server leaves it.
    Files.writeString(dir.resolve("data/ionloop.server"),
        "{\"url\": \"http://127.0.0.1:1\", \"pid\": 99999999, \"token\": \"ilt_x\"}");
    Ran list = run("token", "list", "--json", "--db", db);
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains("\"bob\""), list.out());
  }
}
