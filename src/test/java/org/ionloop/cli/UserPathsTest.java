package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths on the command line are the caller's, as in every other tool: bin/ionloop runs in the
 * installation, yet a relative file resolves in the folder the command was typed in, and a file
 * that is not there is named by the absolute path that was tried.
 */
class UserPathsTest {
  @TempDir
  Path dir;

  @Test
  void relativePathsResolveInTheCallersFolderAndAbsoluteOnesStay() {
    String before = System.getProperty(UserPaths.CWD);
    try {
      System.setProperty(UserPaths.CWD, "/home/alice/lab");
      assertEquals(Path.of("/home/alice/lab/campaigns/x.yaml"), UserPaths.of("campaigns/x.yaml"));
      assertEquals(Path.of("/home/alice/x.yaml"), UserPaths.of("../x.yaml"));
      assertEquals(Path.of("/etc/ionloop/x.yaml"), UserPaths.of("/etc/ionloop/x.yaml"));
      System.clearProperty(UserPaths.CWD);
      assertEquals(Path.of("campaigns/x.yaml"), UserPaths.of("campaigns/x.yaml"), "without bin/ionloop: as given");
    } finally {
      if (before == null) {
        System.clearProperty(UserPaths.CWD);
      } else {
        System.setProperty(UserPaths.CWD, before);
      }
    }
  }

  @Test
  void binIonloopReadsTheCallersFilesAndSaysWhereItLooked() throws Exception {
    Files.writeString(dir.resolve("mine.yaml"), org.ionloop.TestCampaigns.demoCopy());
    Path launcher = Path.of("bin/ionloop").toAbsolutePath();
    ProcessBuilder ok = new ProcessBuilder(launcher.toString(), "validate", "mine.yaml").directory(dir.toFile())
        .redirectErrorStream(true);
    ok.environment().put("IONLOOP_NO_BUILD", "1");
    Process p = ok.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains(dir.resolve("mine.yaml") + ": ok"), out);

    ProcessBuilder missing = new ProcessBuilder(launcher.toString(), "validate", "nothere.yaml").directory(dir.toFile())
        .redirectErrorStream(true);
    missing.environment().put("IONLOOP_NO_BUILD", "1");
    Process q = missing.start();
    String said = new String(q.getInputStream().readAllBytes());
    assertTrue(q.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, q.exitValue(), said);
    assertTrue(said.contains("looked for " + dir.toRealPath().resolve("nothere.yaml"))
        || said.contains("looked for " + dir.resolve("nothere.yaml")), said);
  }
}
